//! `cargo xtask bless`: rewrite the golden transcripts from the current behaviour.

use crate::util::{cmd, run};

/// Rewrites the golden transcripts (`crates/mm-core/tests/golden/*.out`), the
/// importers' explanations (`crates/mm-core/tests/fixtures/{oom,proc}`) and the app's
/// help details (`web/help/details.txt`).
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
                "--test",
                "import_proc",
                "--test",
                "help_file",
            ])
            .env("BLESS", "1"),
        "blessing golden transcripts",
    )?;
    println!(
        "golden transcripts, import explanations and help details rewritten: review them \
         with `git diff crates/mm-core/tests web/help`"
    );
    Ok(())
}
