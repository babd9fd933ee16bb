//! `cargo xtask dist`: the release build, with every file's size raw and gzipped.

use crate::serve::build_app;
use crate::util::root;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

fn gz_len(bytes: &[u8]) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    if enc.write_all(bytes).is_err() {
        return 0;
    }
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// The app's budget: what a browser loads to run the app, gzipped: the HTML, CSS,
/// wasm, the JS loader and its snippets. Not counted: the npm package, the course's
/// lessons and `help NAME`'s details (content the app fetches, like a page's images;
/// listed apart), and the pages beside the app ([`crate::serve::PAGES`]: the example
/// page for tutorial authors, and the import page, which loads the npm package's
/// importers).
pub const APP_BUDGET_KB: f64 = 350.0;

/// The files the app's budget counts: `dist/`'s own files and `dist/snippets/`.
fn app_files(dist: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
        for e in std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .flatten()
        {
            let path = e.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else {
                let name = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                out.push((name, path));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .flatten()
    {
        let path = e.path();
        let page = crate::serve::PAGES.iter().any(|p| e.file_name() == *p);
        if path.is_file() && !page {
            out.push((e.file_name().to_string_lossy().to_string(), path));
        } else if e.file_name() == "snippets" {
            walk(&path, dist, &mut out)?;
        }
    }
    out.sort();
    Ok(out)
}

/// A folder's own files, named.
fn files_of(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    out.sort();
    Ok(out)
}
/// The npm package's wasm budget, gzipped.
pub const NPM_WASM_BUDGET_KB: f64 = 160.0;

/// The importers' module (`mm_import_bg.wasm`, in the npm package and loaded by the
/// app's import page, `import.html`, when it opens), gzipped. It is never part of a first load: it
/// holds a whole mm-core of its own besides the importers, so it has a budget apart.
pub const IMPORT_WASM_BUDGET_KB: f64 = 190.0;

/// Builds `dist/` and prints every file's size, raw and gzipped, with totals.
pub fn dist() -> Result<(), String> {
    crate::setup::setup()?;
    build_app()?;
    let dist = root().join("dist");
    let (_, app_gz) = table("dist/ (the app)", app_files(&dist)?, None)?;
    println!(
        "app bundle (wasm + js + css + html, snippets included): {} gzipped (target < {APP_BUDGET_KB} KB: {})",
        kb(app_gz),
        verdict(app_gz, APP_BUDGET_KB)
    );
    table(
        "dist/lessons/ (the course, fetched at start; not in the budget)",
        files_of(&dist.join("lessons"))?,
        None,
    )?;
    table(
        "dist/help/ (help NAME's details, fetched at start; not in the budget)",
        files_of(&dist.join("help"))?,
        None,
    )?;
    table(
        "dist/npm/ (the mm-sandbox package)",
        files_of(&dist.join("npm"))?,
        Some(("mm_wasm_bg.wasm", NPM_WASM_BUDGET_KB)),
    )?;
    let import = dist.join("npm").join("mm_import_bg.wasm");
    let import_gz = gz_len(&std::fs::read(&import).map_err(|e| e.to_string())?);
    println!(
        "importers' wasm (loaded on demand): {} gzipped (target < {IMPORT_WASM_BUDGET_KB} KB: {})",
        kb(import_gz),
        verdict(import_gz, IMPORT_WASM_BUDGET_KB)
    );
    Ok(())
}

/// Whether `gz` bytes are within a budget of `kb` KB.
fn verdict(gz: usize, kb: f64) -> &'static str {
    if (gz as f64) / 1024.0 < kb {
        "met"
    } else {
        "MISSED"
    }
}

/// Checks the built `dist/` against both budgets: the sizes, or which is missed.
pub fn check_budgets() -> Result<String, String> {
    let dist = root().join("dist");
    let mut app = 0;
    for (_, path) in app_files(&dist)? {
        app += gz_len(&std::fs::read(&path).map_err(|e| e.to_string())?);
    }
    let wasm = dist.join("npm").join("mm_wasm_bg.wasm");
    let npm = gz_len(&std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?);
    let wasm = dist.join("npm").join("mm_import_bg.wasm");
    let import = gz_len(&std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?);
    let kb = |n: usize| n as f64 / 1024.0;
    let (app_kb, npm_kb, import_kb) = (kb(app), kb(npm), kb(import));
    let report = format!(
        "app {app_kb:.1} KB of {APP_BUDGET_KB} KB, npm wasm {npm_kb:.1} KB of {NPM_WASM_BUDGET_KB} KB, \
         importer wasm {import_kb:.1} KB of {IMPORT_WASM_BUDGET_KB} KB (gzipped; loaded on demand)"
    );
    println!("    {report}");
    if app_kb < APP_BUDGET_KB && npm_kb < NPM_WASM_BUDGET_KB && import_kb < IMPORT_WASM_BUDGET_KB {
        Ok(report)
    } else {
        Err(format!("over budget: {report}"))
    }
}

/// Prints a folder's files with raw and gzipped sizes; checks one file's gzipped
/// size against a target in KB, if given.
fn table(
    title: &str,
    files: Vec<(String, PathBuf)>,
    target: Option<(&str, f64)>,
) -> Result<(usize, usize), String> {
    println!("\n{:<48} {:>12} {:>12}", title, "raw", "gzipped");
    let (mut raw, mut gz) = (0, 0);
    for (name, path) in files {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let g = gz_len(&bytes);
        let mut note = String::new();
        if let Some((file, limit)) = target {
            if name == file {
                note = format!("  (target < {limit} KB gzipped: {})", verdict(g, limit));
            }
        }
        println!("{:<48} {:>12} {:>12}{note}", name, kb(bytes.len()), kb(g));
        raw += bytes.len();
        gz += g;
    }
    println!("{:<48} {:>12} {:>12}", "total", kb(raw), kb(gz));
    Ok((raw, gz))
}
