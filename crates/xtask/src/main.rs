//! `cargo xtask`: the project's own build tool. Every command runs `setup` first, so
//! a fresh machine needs nothing but Rust: `cargo xtask serve` and `cargo xtask test`.

mod bench;
mod bless;
mod dist;
mod fuzz;
mod package;
mod serve;
mod setup;
mod test;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>
  setup          install what is missing (wasm target, wasm-bindgen-cli, trunk, wasm-pack,
                 wasm-opt, Chromium, chromedriver, the e2e test packages)
  serve [--port N]  build the app (release, wasm-opt) and serve it on http://127.0.0.1:8080
  test [LAYER...] everything CI runs, or only the layers named: fmt, clippy, native
                 (cargo test), fuzz (a short deterministic pass), doc (cargo doc, warnings
                 denied), wasm (wasm-pack tests in headless Chromium), e2e (the built app
                 in headless Chromium), budget (the app < 350 KB, the npm wasm
                 < 160 KB, the importers' wasm < 190 KB, gzipped); --native-only is fmt
                 clippy native fuzz doc
  dist           release build into dist/, with each file's size raw and gzipped
  bench          the benchmarks, with their figures
  fuzz [--lines N] [--seed S] [--seeds K] [--max-mem SIZE]
                 random command lines against the simulator (100,000 by default),
                 checked line by line; failures shrunk to short scripts in target/fuzz
  bless          rewrite the golden transcripts from the current behaviour";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup().map(|_| ()),
        Some("serve") => serve::serve_cmd(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("dist") => dist::dist(),
        Some("bench") => bench::bench(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("bless") => bless::bless(),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
