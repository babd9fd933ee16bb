//! `cargo xtask bless`: rewrite the golden transcripts from the current behaviour.

use crate::util::{cmd, run};

/// Rewrites the golden transcripts (`crates/mm-core/tests/golden/*.out`).
pub fn bless() -> Result<(), String> {
    run(
        cmd("cargo")
            .args([
                "test",
                "-p",
                "mm-core",
                "--test",
                "golden",
                "--test",
                "import_oom",
            ])
            .env("BLESS", "1"),
        "blessing golden transcripts",
    )?;
    println!(
        "golden transcripts rewritten: review them with `git diff crates/mm-core/tests/golden`"
    );
    Ok(())
}
