//! Every lesson in web/lessons parses, and each step's checks fail after its setup and
//! hold after its solution (what `mmsim lesson check` verifies).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::lesson::{verify, Lesson};
use std::path::Path;

#[test]
fn every_lesson_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/lessons");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lesson"))
        .collect();
    files.sort();
    // index.txt is the course: every lesson file once, in the suggested order.
    let index = std::fs::read_to_string(dir.join("index.txt")).unwrap();
    let mut listed: Vec<String> = index
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let order = listed.clone();
    listed.sort();
    assert_eq!(listed, files, "index.txt lists every lesson file once");
    let mut ids: Vec<String> = Vec::new();
    let mut steps = 0;
    let mut predictions = 0;
    for f in order {
        let l = Lesson::parse(&std::fs::read_to_string(dir.join(&f)).unwrap())
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(l.steps.len() >= 2, "{}: several steps", l.id);
        // Prerequisites come earlier in the course.
        for r in &l.requires {
            assert!(
                ids.contains(r),
                "{f}: requires '{r}', which is not an earlier lesson"
            );
        }
        for line in verify(&l).unwrap_or_else(|e| panic!("{f}: {e}")) {
            println!("{line}");
        }
        steps += l.steps.len();
        predictions += l.steps.iter().filter(|s| s.predict.is_some()).count();
        assert!(!ids.contains(&l.id), "{f}: lesson id '{}' used twice", l.id);
        ids.push(l.id);
    }
    println!(
        "{} lessons, {steps} steps, {predictions} predictions",
        ids.len()
    );
}

#[test]
fn predictions_are_verified_against_the_simulator() {
    let good = "lesson p\nsetup boot mem=64M\nstep s\npredict alloc_pages 3\nquestion Which PFN?\nanswer key pfn\nchoice 0x1020\nchoice 0x2000\nexpect 0x1020\n";
    let l = Lesson::parse(good).unwrap();
    let p = l.steps[0].predict.as_ref().unwrap();
    assert_eq!(p.command, "alloc_pages 3");
    assert_eq!(l.steps[0].solution, ["alloc_pages 3"]);
    assert!(l.steps[0].task.contains("Which PFN?"));
    let report = verify(&l).unwrap();
    assert!(report[0].contains("0x1020"), "{report:?}");
    // The wrong expectation fails on its own line, saying what the simulator gives.
    let bad = good.replace(
        "choice 0x2000\nexpect 0x1020",
        "choice 0x2000\nexpect 0x2000",
    );
    let e = verify(&Lesson::parse(&bad).unwrap()).unwrap_err();
    assert!(e.starts_with("line 9: p step 1 ('s')"), "{e}");
    assert!(e.contains("is '0x1020', not '0x2000'"), "{e}");
    // An expectation that is not a choice, a lone choice, a missing answer.
    let e = Lesson::parse(&good.replace("expect 0x1020", "expect 0x3000")).unwrap_err();
    assert!(e.starts_with("line 9: the expected answer"), "{e}");
    let e = Lesson::parse(&good.replace("choice 0x2000\n", "")).unwrap_err();
    assert!(e.contains("at least two choices"), "{e}");
    let e = Lesson::parse(&good.replace("answer key pfn\n", "")).unwrap_err();
    assert!(e.starts_with("line 3: step 's'"), "{e}");
    let e = Lesson::parse(&good.replace("answer key pfn", "answer colour")).unwrap_err();
    assert!(e.starts_with("line 6: unknown answer 'colour'"), "{e}");
    let e = Lesson::parse("lesson a\nstep s\nquestion early?").unwrap_err();
    assert!(
        e.starts_with("line 3: 'question' needs a 'predict COMMAND'"),
        "{e}"
    );
}

#[test]
fn a_step_that_boots_skips_the_lessons_setup() {
    let l = Lesson::parse(
        "lesson a\nsetup boot mem=64M\nsetup spawn x\nstep one\nsetup mmap 2 4K\ntask t\ncheck ran ps\nsolution ps\nstep two\nsetup boot mem=1G\ntask t\ncheck ran ps\nsolution ps\n",
    )
    .unwrap();
    assert_eq!(l.setup_of(0), ["boot mem=64M", "spawn x", "mmap 2 4K"]);
    assert_eq!(l.setup_of(1), ["boot mem=1G"]);
}

#[test]
fn a_goal_met_too_early_or_missed_names_its_line() {
    let early = "lesson a\nstep s\nsetup boot mem=64M\ntask t\ncheck processes >= 1\nsolution ps\n";
    let e = verify(&Lesson::parse(early).unwrap()).unwrap_err();
    assert!(
        e.starts_with("line 2: a step 1 ('s'): the goal is met"),
        "{e}"
    );
    let missed = "lesson a\nstep s\nsetup boot mem=64M\ntask t\ncheck event OomKill\nsolution ps\n";
    let e = verify(&Lesson::parse(missed).unwrap()).unwrap_err();
    assert!(
        e.starts_with("line 5: a step 1 ('s'): after the solution"),
        "{e}"
    );
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

mod parse_props {
    use mm_core::lesson::{same_answer, Lesson};
    use proptest::prelude::*;

    /// Lines a lesson file may hold, well-formed or not.
    fn line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "lesson", "title", "summary", "requires", "setup", "step", "text", "task", "hint",
            "check", "solution", "predict", "question", "answer", "choice", "expect", "explain",
            "bogus", "#", "",
        ]);
        let rest = prop::sample::select(vec![
            "",
            "a",
            "x y",
            "event Split",
            "event Nope",
            "ran ps",
            "key pfn",
            "outcome",
            "victim",
            "file /proc/buddyinfo DMA",
            "event KswapdWake",
            "line Normal",
            "0x10",
            "16",
            "boot mem=64M",
            "alloc_pages 3",
            "\u{0}\u{7f}é漢",
            "<script>alert(1)</script>",
        ]);
        (key, rest).prop_map(|(k, r)| format!("{k} {r}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the text, parsing returns a lesson or an error, never panics, and
        /// an error about a line names a line the text has.
        #[test]
        fn any_text_parses_or_is_refused_by_line(lines in prop::collection::vec(line(), 0..40)) {
            let text = lines.join("\n");
            match Lesson::parse(&text) {
                Ok(l) => {
                    prop_assert!(!l.steps.is_empty());
                    for s in &l.steps {
                        prop_assert!(!s.task.is_empty() && !s.solution.is_empty());
                        if let Some(p) = &s.predict {
                            prop_assert!(p.choices.is_empty() || p.choices.iter().any(|c| same_answer(c, &p.expect)));
                        }
                    }
                }
                Err(e) => {
                    if let Some(rest) = e.strip_prefix("line ") {
                        let n: usize = rest.split(':').next().unwrap_or("").parse().unwrap_or(0);
                        prop_assert!(n >= 1 && n <= lines.len(), "{e}");
                    }
                }
            }
        }

        /// Any bytes at all (as text) are refused or parsed without a panic.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,400}") {
            let _ = Lesson::parse(&text);
        }
    }
}

/// No lesson keeps the page busy: a text over `LESSON_BYTES` is refused before a
/// line is read, and checking stops at `LESSON_WORK`, naming the step's line, with
/// the steps before it reported as passing (the editor lets an author try those).
#[test]
fn lessons_are_bounded_in_size_and_work() {
    use mm_core::limits::{LESSON_BYTES, LESSON_WORK};
    let big = format!("lesson a\n{}", "# padding\n".repeat(LESSON_BYTES / 10));
    let e = Lesson::parse(&big).unwrap_err();
    assert!(
        e.starts_with("line 1: the lesson has 65,539 bytes; mm-sandbox reads at most 64 KiB"),
        "{e}"
    );
    // Each 64G boot is 2,097,152 steps of work (one per 8 pages): 20 of them fit in
    // 40,000,000, the 21st does not.
    let boots = "setup boot mem=64G\n".repeat(12);
    let text = format!(
        "lesson w\nstep fine\nsetup boot mem=64M\ntask t\ncheck ran ps\nsolution ps\nstep heavy\n{boots}task t\ncheck ran ps\nsolution ps\nstep heavier\n{boots}task t\ncheck ran ps\nsolution ps\n"
    );
    let l = Lesson::parse(&text).unwrap();
    let (passed, failure) = mm_core::lesson::verify_steps(&l);
    assert_eq!(passed.len(), 2, "{passed:?}");
    let e = failure.unwrap();
    assert!(
        e.starts_with("line 23: w step 3 ('heavier'): the lesson's setups, solutions and predictions passed 40,000,000 steps of work"),
        "{e}"
    );
    assert_eq!(LESSON_WORK, 40_000_000);
    assert_eq!(verify(&l).unwrap_err(), e);
}
