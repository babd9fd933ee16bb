//! The npm package `mm-sandbox`: `wasm-pack build --target web` of mm-wasm, the
//! project's wasm-opt over it, its imports and exports renamed
//! (`web/build/shrink.mjs --npm`), and the hand-written public API from
//! `crates/mm-wasm/npm/` on top. Lands in `target/npm/mm-sandbox/`.

use crate::util::{cmd, root, run, step};
use std::path::PathBuf;

/// Where the package is assembled.
pub fn package_dir() -> PathBuf {
    root().join("target").join("npm").join("mm-sandbox")
}

/// Builds the package.
pub fn build_package() -> Result<PathBuf, String> {
    step(
        "npm package mm-sandbox (wasm-pack build --target web, wasm-opt)",
        || {
            let raw = root().join("target").join("npm").join("raw");
            let out = package_dir();
            let _ = std::fs::remove_dir_all(&out);
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            build_module("mm-wasm", "mm_wasm", &raw, &out)?;
            // The importers: a module of their own, loaded only by `mm-sandbox/import`.
            let raw_import = root().join("target").join("npm").join("raw-import");
            build_module("mm-import", "mm_import", &raw_import, &out)?;
            for f in ["mm_import.js", "mm_import.d.ts"] {
                std::fs::copy(raw_import.join(f), out.join(f))
                    .map_err(|e| format!("copy {f}: {e}"))?;
            }
            for f in ["mm_wasm.js", "mm_wasm.d.ts"] {
                std::fs::copy(raw.join(f), out.join(f)).map_err(|e| format!("copy {f}: {e}"))?;
            }
            // The import and export names, as for the app (web/build/shrink.mjs):
            // about 3 KB of the wasm's gzipped budget. It says so and changes nothing
            // if it cannot.
            run(
                cmd("node")
                    .arg(root().join("web").join("build").join("shrink.mjs"))
                    .arg("--npm")
                    .arg(&out)
                    .current_dir(root()),
                "shrink the npm package's import names",
            )?;
            let npm = root().join("crates").join("mm-wasm").join("npm");
            for f in [
                "index.js",
                "index.d.ts",
                "import.js",
                "import.d.ts",
                "package.json",
                "README.md",
            ] {
                std::fs::copy(npm.join(f), out.join(f)).map_err(|e| format!("copy {f}: {e}"))?;
            }
            Ok(out)
        },
    )
}

/// `wasm-pack build --target web` of the crate `krate` into `raw`, then the
/// project's wasm-opt from `raw/NAME_bg.wasm` to `out/NAME_bg.wasm`.
fn build_module(
    krate: &str,
    name: &str,
    raw: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), String> {
    run(
        cmd("wasm-pack")
            .args([
                "build",
                "--target",
                "web",
                "--release",
                "--no-pack",
                "--out-dir",
            ])
            .arg(raw)
            .arg(root().join("crates").join(krate)),
        &format!("wasm-pack build {krate}"),
    )?;
    let wasm = format!("{name}_bg.wasm");
    run(
        cmd("wasm-opt")
            // Merging functions that differ only in constants, then flattening
            // and re-looping the control flow before optimising for size, then
            // -Os and -Oz, gzips 2.0 KB smaller than -Oz alone (the budget
            // counts gzipped bytes); the producers and target-features
            // sections are only informational.
            .args([
                "--merge-similar-functions",
                "--flatten",
                "--rereloop",
                "-Os",
                "-Oz",
                "--converge",
                "--strip-producers",
                "--strip-target-features",
                "--low-memory-unused",
                "--zero-filled-memory",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
            ])
            .arg(raw.join(&wasm))
            .arg("-o")
            .arg(out.join(&wasm)),
        &format!("wasm-opt {wasm}"),
    )
}

/// Copies a folder's files (not recursive).
pub fn copy_files(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for e in std::fs::read_dir(from)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
