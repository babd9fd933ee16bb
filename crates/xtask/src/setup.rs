//! `cargo xtask setup`: installs what is missing, skips what is present at the right
//! version, and says which it did and how long it took.

use crate::util::{cmd, output, root, run, step, tools_dir, which};
use std::path::PathBuf;
use std::time::Instant;

/// trunk 0.22 needs a newer rustc than the machines have; 0.21.14 is verified.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_PACK_VERSION: &str = "0.15.1";
/// wasm-opt from npm's binaryen; Debian's binaryen is too old for Rust's wasm.
const BINARYEN_VERSION: &str = "132";
/// rolldown's minifier, for the release build's JavaScript (web/build/minify-js.mjs).
const ROLLDOWN_VERSION: &str = "1.2.19";

/// Paths of the browser tools setup found or installed.
pub struct Tools {
    /// The Chromium binary.
    pub chromium: PathBuf,
    /// The chromedriver binary.
    pub chromedriver: PathBuf,
}

/// The wasm-bindgen version Cargo.lock pins (the CLI must equal it).
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Installs an npm package at a version into `.tools/` (the project's own tools, not
/// the machine's).
fn npm_tool(package: &str, version: &str) -> Result<(), String> {
    std::fs::create_dir_all(tools_dir()).map_err(|e| e.to_string())?;
    let pkg = tools_dir().join("package.json");
    if !pkg.exists() {
        std::fs::write(&pkg, "{ \"private\": true }\n").map_err(|e| e.to_string())?;
    }
    run(
        cmd("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools_dir())
            .arg(format!("{package}@{version}")),
        &format!("npm install {package}"),
    )
}

fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let path = which(program)?;
    output(std::process::Command::new(path).args(args))
}

/// Runs one setup item: `check` says whether it is present; otherwise `install` runs.
fn item(
    name: &str,
    check: impl Fn() -> bool,
    install: impl FnOnce() -> Result<(), String>,
    changed: &mut bool,
) -> Result<(), String> {
    if check() {
        println!("    ok       {name}");
        return Ok(());
    }
    *changed = true;
    step(&format!("installing {name}"), || {
        install()?;
        if check() {
            Ok(())
        } else {
            Err(format!("{name} still missing after install"))
        }
    })
}

fn cargo_install(args: &[&str], what: &str) -> Result<(), String> {
    println!("    (compiling from the Rust package registry: a few minutes on 2 cores)");
    run(cmd("cargo").arg("install").args(args), what).map_err(|e| {
        format!(
            "{e}; check that the Rust package registry is reachable, then run `cargo xtask setup` again"
        )
    })
}

/// Installs everything the build and the tests need.
pub fn setup() -> Result<Tools, String> {
    println!("==> setup: checking tools");
    let t = Instant::now();
    let mut changed = false;

    item(
        "rust target wasm32-unknown-unknown",
        || {
            output(cmd("rustup").args(["target", "list", "--installed"]))
                .is_some_and(|o| o.lines().any(|l| l == "wasm32-unknown-unknown"))
        },
        || {
            run(
                cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
                "rustup target add wasm32-unknown-unknown",
            )
        },
        &mut changed,
    )?;

    let wbg = locked_wasm_bindgen()?;
    item(
        &format!("wasm-bindgen-cli {wbg} (equal to Cargo.lock's wasm-bindgen)"),
        || {
            version_of("wasm-bindgen", &["--version"])
                .is_some_and(|v| v == format!("wasm-bindgen {wbg}"))
                && which("wasm-bindgen-test-runner").is_some()
        },
        // No --locked: a locked dependency version is missing from the registry snapshot.
        || {
            cargo_install(
                &["wasm-bindgen-cli", "--version", &wbg, "--force"],
                "cargo install wasm-bindgen-cli",
            )
        },
        &mut changed,
    )?;

    item(
        &format!("trunk {TRUNK_VERSION}"),
        || {
            version_of("trunk", &["--version"])
                .is_some_and(|v| v == format!("trunk {TRUNK_VERSION}"))
        },
        || {
            cargo_install(
                &["trunk", "--version", TRUNK_VERSION, "--locked", "--force"],
                "cargo install trunk",
            )
        },
        &mut changed,
    )?;

    item(
        &format!("wasm-pack {WASM_PACK_VERSION}"),
        || {
            version_of("wasm-pack", &["--version"])
                .is_some_and(|v| v == format!("wasm-pack {WASM_PACK_VERSION}"))
        },
        || {
            cargo_install(
                &[
                    "wasm-pack",
                    "--version",
                    WASM_PACK_VERSION,
                    "--locked",
                    "--force",
                ],
                "cargo install wasm-pack",
            )
        },
        &mut changed,
    )?;

    item(
        "node and npm",
        || which("node").is_some() && which("npm").is_some(),
        || apt(&["nodejs", "npm"]),
        &mut changed,
    )?;

    item(
        &format!("wasm-opt {BINARYEN_VERSION} (npm binaryen, in .tools/)"),
        || {
            version_of("wasm-opt", &["--version"])
                .is_some_and(|v| v.starts_with(&format!("wasm-opt version {BINARYEN_VERSION}")))
        },
        || npm_tool("binaryen", BINARYEN_VERSION),
        &mut changed,
    )?;

    item(
        &format!("JS minifier (npm rolldown {ROLLDOWN_VERSION}, in .tools/)"),
        || {
            std::fs::read_to_string(tools_dir().join("node_modules/rolldown/package.json"))
                .is_ok_and(|p| p.contains(&format!("\"version\": \"{ROLLDOWN_VERSION}\"")))
        },
        || npm_tool("rolldown", ROLLDOWN_VERSION),
        &mut changed,
    )?;

    item(
        "chromium and chromedriver",
        || which("chromium").is_some() && which("chromedriver").is_some(),
        || apt(&["chromium", "chromium-driver"]),
        &mut changed,
    )?;

    let e2e = root().join("tests").join("e2e");
    item(
        "end-to-end test packages (tests/e2e/node_modules)",
        || {
            ["playwright-core", "vite"].iter().all(|p| {
                e2e.join("node_modules")
                    .join(p)
                    .join("package.json")
                    .exists()
            })
        },
        || {
            run(
                cmd("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&e2e),
                "npm ci in tests/e2e",
            )
        },
        &mut changed,
    )?;

    let secs = t.elapsed().as_secs_f64();
    if changed {
        println!("==> setup: done in {secs:.1}s");
    } else {
        println!("==> setup: everything already installed, nothing to do ({secs:.1}s)");
    }
    Ok(Tools {
        chromium: which("chromium").ok_or("chromium not found")?,
        chromedriver: which("chromedriver").ok_or("chromedriver not found")?,
    })
}

/// Installs Debian packages (as root, or through sudo).
fn apt(pkgs: &[&str]) -> Result<(), String> {
    let is_root = output(std::process::Command::new("id").arg("-u")).is_some_and(|u| u == "0");
    let prefix: Vec<&str> = if is_root { vec![] } else { vec!["sudo"] };
    let mk = |args: &[&str]| {
        let mut all = prefix.clone();
        all.extend_from_slice(args);
        let mut c = cmd(all[0]);
        c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    let hint = format!(
        "install them by hand: apt-get update && apt-get install -y {}",
        pkgs.join(" ")
    );
    run(&mut mk(&["apt-get", "update"]), "apt-get update").map_err(|e| format!("{e}; {hint}"))?;
    let mut args = vec!["apt-get", "install", "-y"];
    args.extend_from_slice(pkgs);
    run(&mut mk(&args), "apt-get install").map_err(|e| format!("{e}; {hint}"))
}
