//! `mmsim lesson check` passes for every lesson in web/lessons, and fails on a broken one.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn every_lesson_passes_mmsim_lesson_check() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/lessons");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lesson"))
        .collect();
    files.sort();
    let out = Command::new(env!("CARGO_BIN_EXE_mmsim"))
        .arg("lesson")
        .arg("check")
        .args(&files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.lines().count() >= 10, "{text}");
}

#[test]
fn a_step_whose_solution_misses_its_goal_fails() {
    let bad = std::env::temp_dir().join("mmsim-bad.lesson");
    std::fs::write(&bad, "lesson bad\nstep s\nsetup boot mem=64M\ntask t\ncheck event OomKill\nsolution alloc_pages 0\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mmsim"))
        .args(["lesson", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not hold"));
}
