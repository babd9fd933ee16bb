//! `cargo xtask bench`: the core's benchmarks, then the UI's in headless Chromium.

use crate::serve::build_app;
use crate::util::{cmd, root, run};

/// Runs the benchmarks (they print their own figures): the core's criterion and
/// scale benchmarks, then the UI's in headless Chromium against a release build.
pub fn bench() -> Result<(), String> {
    let tools = crate::setup::setup()?;
    run(cmd("cargo").args(["bench", "-p", "mm-core"]), "cargo bench")?;
    build_app()?;
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("cannot listen: {e}"))?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    std::thread::spawn(move || crate::serve::serve_forever(listener, root().join("dist")));
    println!("\n== UI (headless Chromium)");
    run(
        cmd("node")
            .arg("tests/e2e/bench/ui-bench.mjs")
            .env("MM_BASE_URL", format!("http://127.0.0.1:{port}/"))
            .env("CHROMIUM", &tools.chromium)
            .env(
                "NODE_PATH",
                root().join("tests").join("e2e").join("node_modules"),
            ),
        "UI benchmark",
    )
}
