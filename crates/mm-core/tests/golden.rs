//! Golden transcripts: each `tests/golden/NAME.mm` script runs on a fresh default
//! machine and its transcript must equal `NAME.out` byte for byte. A script whose
//! first line is `# steps` also prints every micro-step's narration.
//!
//! Re-bless after an intended change: `cargo xtask bless` (or `BLESS=1 cargo test
//! -p mm-core --test golden`), then review the diff.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::transcript::transcript;
use mm_core::Machine;
use std::path::Path;

#[test]
fn golden_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("BLESS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mm"))
        .collect();
    scripts.sort();
    assert!(
        !scripts.is_empty(),
        "no golden scripts in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap();
        let steps = text.starts_with("# steps");
        // Invariants after every line, on a second machine running the same script.
        let mut check = Machine::default();
        for line in text.lines() {
            check.run(line);
            if let Err(e) = check.check_invariants() {
                failures.push(format!(
                    "{}: invariant broken after '{line}': {e}",
                    script.display()
                ));
                break;
            }
        }
        let got = transcript(&mut Machine::default(), &text, true, steps);
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            let line = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "{}: transcript differs from {} at line {}:\n  got:      {:?}\n  expected: {:?}",
                script.display(),
                expected_path.display(),
                line + 1,
                got.lines().nth(line),
                expected.lines().nth(line)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
