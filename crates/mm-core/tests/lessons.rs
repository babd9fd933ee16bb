//! Every lesson in web/lessons parses, and each step's checks fail after its setup and
//! hold after its solution (what `mmsim lesson check` verifies).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::lesson::{verify, Lesson};
use std::path::Path;

#[test]
fn every_lesson_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/lessons");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lesson"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "at least five lessons");
    let mut ids = Vec::new();
    for f in files {
        let l = Lesson::parse(&std::fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(l.steps.len() >= 2, "{}: several steps", l.id);
        for line in verify(&l).unwrap_or_else(|e| panic!("{}: {e}", f.display())) {
            println!("{line}");
        }
        ids.push(l.id);
    }
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());
}

#[test]
fn bad_lessons_are_refused_with_the_line() {
    assert!(Lesson::parse("title x").unwrap_err().contains("lesson ID"));
    assert!(
        Lesson::parse("lesson a\nstep s\ntask t\ncheck bogus x\nsolution y")
            .unwrap_err()
            .starts_with("line 4: unknown check 'bogus'")
    );
    assert!(Lesson::parse("lesson a\ntext early")
        .unwrap_err()
        .contains("before the first 'step'"));
}
