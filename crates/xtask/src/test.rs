//! `cargo xtask test`: every layer CI runs, in order, with a summary of counts.

use crate::serve::{build_app, serve_forever};
use crate::util::{cmd, root, run_tee, step};
use std::net::TcpListener;

/// What one layer ran.
struct Layer {
    name: &'static str,
    passed: u64,
    failed: u64,
    ok: bool,
    note: String,
    secs: f64,
}

/// The layers, in the order they run: (name on the command line, what it is).
pub const LAYERS: &[(&str, &str)] = &[
    ("fmt", "cargo fmt --check"),
    ("clippy", "clippy, native and wasm32, warnings denied"),
    ("native", "cargo test --workspace"),
    ("fuzz", "a short deterministic fuzzer pass"),
    ("doc", "cargo doc, warnings denied"),
    ("wasm", "wasm-pack test in headless Chromium"),
    ("e2e", "the built app in headless Chromium"),
    ("budget", "the bundles' gzipped sizes against their budgets"),
];

/// Sums `test result: ok. N passed; M failed` lines (cargo test, wasm-bindgen-test).
fn rust_counts(out: &str) -> (u64, u64) {
    let mut p = 0;
    let mut f = 0;
    for line in out.lines() {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let part = part.trim();
                if let Some(n) = part.strip_suffix(" passed") {
                    p += n.trim().parse::<u64>().unwrap_or(0);
                }
                if let Some(n) = part.strip_suffix(" failed") {
                    f += n.trim().parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    (p, f)
}

/// Reads node's test runner summary (`ℹ pass N` / `# pass N`).
fn node_counts(out: &str) -> (u64, u64) {
    let mut p = 0;
    let mut f = 0;
    for line in out.lines() {
        let l = line.trim().trim_start_matches(['ℹ', '#']).trim();
        if let Some(n) = l.strip_prefix("pass ") {
            p = n.trim().parse().unwrap_or(p);
        }
        if let Some(n) = l.strip_prefix("fail ") {
            f = n.trim().parse().unwrap_or(f);
        }
    }
    (p, f)
}

fn check(name: &'static str, c: &mut std::process::Command) -> Layer {
    let t = std::time::Instant::now();
    let r = step(name, || {
        let (ok, _) = run_tee(c)?;
        if ok {
            Ok(())
        } else {
            Err("failed".to_string())
        }
    });
    Layer {
        name,
        passed: 0,
        failed: 0,
        ok: r.is_ok(),
        note: if r.is_ok() {
            "clean".into()
        } else {
            "FAILED".into()
        },
        secs: t.elapsed().as_secs_f64(),
    }
}

fn counted(
    name: &'static str,
    c: &mut std::process::Command,
    counts: fn(&str) -> (u64, u64),
) -> Layer {
    let t = std::time::Instant::now();
    let mut layer = Layer {
        name,
        passed: 0,
        failed: 0,
        ok: false,
        note: String::new(),
        secs: 0.0,
    };
    let r = step(name, || {
        let (ok, out) = run_tee(c)?;
        let (p, f) = counts(&out);
        layer.passed = p;
        layer.failed = f;
        if ok && f == 0 {
            if p == 0 {
                return Err("ran no test".into());
            }
            Ok(())
        } else {
            Err("failed".into())
        }
    });
    layer.ok = r.is_ok();
    if let Err(e) = r {
        layer.note = e;
    }
    layer.secs = t.elapsed().as_secs_f64();
    layer
}

const WASM: &str = "wasm32-unknown-unknown";

/// The property tests' seed under `cargo xtask test` (and so in CI).
const PROPTEST_SEED: &str = "20261128";

/// `cargo` with space-separated arguments.
fn cargo(args: &str) -> std::process::Command {
    let mut c = cmd("cargo");
    c.args(args.split_whitespace());
    c
}

/// Runs every layer, or the ones named (`cargo xtask test e2e`); fails if any layer
/// failed or ran no test.
pub fn test(args: &[String]) -> Result<(), String> {
    let mut wanted: Vec<&str> = Vec::new();
    for a in args {
        match a.as_str() {
            "--native-only" => wanted.extend(["fmt", "clippy", "native", "fuzz", "doc"]),
            l if LAYERS.iter().any(|(n, _)| *n == l) => wanted.push(l),
            other => {
                let names: Vec<&str> = LAYERS.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "unknown layer '{other}' (layers: {}; or --native-only)",
                    names.join(", ")
                ));
            }
        }
    }
    let on = |layer: &str| wanted.is_empty() || wanted.contains(&layer);
    let tools = crate::setup::setup()?;
    let t = std::time::Instant::now();
    let mut layers = Vec::new();
    if on("fmt") {
        layers.push(check("fmt", &mut cargo("fmt --all -- --check")));
    }
    if on("clippy") {
        layers.push(check(
            "clippy (native)",
            &mut cargo("clippy --workspace --all-targets -- -D warnings"),
        ));
        layers.push(check(
            "clippy (wasm32)",
            &mut cargo(&format!(
                "clippy --target {WASM} -p mm-core -p mm-wasm -p mm-ui --lib --bins -- -D warnings"
            )),
        ));
        layers.push(check(
            "clippy (wasm32 tests)",
            &mut cargo(&format!(
                "clippy --target {WASM} -p mm-wasm --tests -- -D warnings"
            )),
        ));
    }
    if on("native") {
        // CI's property tests are deterministic: a fixed seed unless one is given. Plain
        // `cargo test` (and the long fuzz run) draw fresh random cases every time.
        let seed = std::env::var("PROPTEST_RNG_SEED").unwrap_or_else(|_| PROPTEST_SEED.into());
        println!("    property tests use PROPTEST_RNG_SEED={seed}");
        layers.push(counted(
            "native tests (cargo test)",
            cmd("cargo")
                .args(["test", "--workspace"])
                .env("PROPTEST_RNG_SEED", &seed),
            rust_counts,
        ));
    }
    if on("fuzz") {
        layers.push(check(
            "fuzz (30,000 lines, seeds 1-3, machines up to 1G)",
            cmd("cargo")
                .args(["run", "--quiet", "-p", "mm-fuzz", "--"])
                .args(crate::fuzz::CI_ARGS),
        ));
    }
    if on("doc") {
        layers.push(check(
            "docs (cargo doc, warnings denied)",
            cmd("cargo")
                .args([
                    "doc",
                    "--workspace",
                    "--no-deps",
                    "--document-private-items",
                ])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ));
    }
    if on("wasm") {
        let driver = tools.chromedriver.to_string_lossy().to_string();
        layers.push(counted(
            "wasm tests in headless Chromium (wasm-pack test)",
            cmd("wasm-pack").args([
                "test",
                "--headless",
                "--chrome",
                "--chromedriver",
                &driver,
                "crates/mm-wasm",
            ]),
            rust_counts,
        ));
    }
    if on("e2e") {
        layers.push(e2e(&tools));
    }
    if on("budget") {
        layers.push(budget(!on("e2e")));
    }

    println!("\n==> summary");
    let (mut passed, mut failed) = (0, 0);
    for l in &layers {
        let counts = if l.passed + l.failed > 0 {
            format!("{} passed, {} failed", l.passed, l.failed)
        } else {
            String::new()
        };
        println!(
            "  {:<4} {:<50} {:>6.1}s  {} {}",
            if l.ok { "ok" } else { "FAIL" },
            l.name,
            l.secs,
            counts,
            l.note
        );
        passed += l.passed;
        failed += l.failed;
    }
    let bad: Vec<&str> = layers.iter().filter(|l| !l.ok).map(|l| l.name).collect();
    if !bad.is_empty() && failed == 0 {
        failed = bad.len() as u64;
    }
    println!(
        "xtask: {passed} passed, {failed} failed in {:.0}s",
        t.elapsed().as_secs_f64()
    );
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!("failing layers: {}", bad.join(", ")))
    }
}

/// The bundle budgets, over the `dist/` the e2e layer built (or a fresh build).
fn budget(build: bool) -> Layer {
    let t = std::time::Instant::now();
    let r = step("bundle budgets (gzipped)", || {
        if build {
            build_app()?;
        }
        crate::dist::check_budgets()
    });
    Layer {
        name: "bundle budgets (app < 350 KB, npm wasm < 160 KB, importers < 190 KB)",
        passed: 0,
        failed: 0,
        ok: r.is_ok(),
        note: r.unwrap_or_else(|e| e),
        secs: t.elapsed().as_secs_f64(),
    }
}

/// Builds the app and `mmsim`, serves `dist/` on a free port, and runs the node test
/// runner over `tests/e2e` against it in headless Chromium.
fn e2e(tools: &crate::setup::Tools) -> Layer {
    let name = "end-to-end browser tests (tests/e2e)";
    if let Err(e) = build_app().and_then(|_| {
        step("build mmsim", || {
            crate::util::run(
                cmd("cargo").args(["build", "-p", "mm-cli"]),
                "cargo build -p mm-cli",
            )
        })
    }) {
        return Layer {
            name,
            passed: 0,
            failed: 0,
            ok: false,
            note: e,
            secs: 0.0,
        };
    }
    let listener = match TcpListener::bind(("127.0.0.1", 0)) {
        Ok(l) => l,
        Err(e) => {
            return Layer {
                name,
                passed: 0,
                failed: 0,
                ok: false,
                note: format!("cannot listen: {e}"),
                secs: 0.0,
            }
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    std::thread::spawn(move || serve_forever(listener, root().join("dist")));
    let shots = root().join("target").join("screenshots");
    let _ = std::fs::create_dir_all(&shots);
    counted(
        name,
        cmd("node")
            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            .arg("tests/e2e/")
            .env("MM_BASE_URL", format!("http://127.0.0.1:{port}/"))
            .env("CHROMIUM", &tools.chromium)
            .env("MMSIM", root().join("target").join("debug").join("mmsim"))
            .env("SCREENSHOT_DIR", &shots),
        node_counts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read() {
        let out = "test result: ok. 12 passed; 0 failed; 0 ignored\ntest result: FAILED. 3 passed; 2 failed;\n";
        assert_eq!(rust_counts(out), (15, 2));
        assert_eq!(node_counts("ℹ tests 4\nℹ pass 3\nℹ fail 1\n"), (3, 1));
        assert_eq!(node_counts("# pass 7\n# fail 0\n"), (7, 0));
    }
}
