//! `cargo xtask fuzz`: the fuzzer (`crates/mm-fuzz`), built with overflow checks on
//! (the dev profile, the simulator optimised), its options passed through.

use crate::util::{cmd, run};

/// What CI runs: a short deterministic pass on machines up to 1G.
pub const CI_ARGS: &[&str] = &[
    "--lines",
    "30000",
    "--seed",
    "1",
    "--seeds",
    "3",
    "--max-mem",
    "1G",
];

/// `fuzz [--lines N] [--seed S] [--seeds K] [--max-mem SIZE] [--episode L] [--show N]`:
/// 100,000 lines from seed 1 unless told otherwise.
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut c = cmd("cargo");
    c.args(["run", "--quiet", "-p", "mm-fuzz", "--"]);
    if !args.iter().any(|a| a == "--lines") {
        c.args(["--lines", "100000"]);
    }
    c.args(args);
    run(&mut c, "mm-fuzz")
}
