//! `mmsim lesson check`: every step's goal is unmet after its setup and met after its
//! solution, and every prediction's expected answer is the simulator's.

use super::{check, step_done, Lesson};
use crate::limits::LESSON_WORK;
use crate::machine::Machine;
use crate::vocab::grouped;
use crate::Outcome;

/// A machine prepared for step `i`: freshly booted, then the lesson's and the step's
/// setup ([`Lesson::setup_of`]).
pub fn prepare(lesson: &Lesson, i: usize) -> Machine {
    let mut m = Machine::default();
    m.set_recording(true);
    for line in lesson.setup_of(i) {
        m.run(&line);
    }
    m
}

/// The work a verification may still do ([`LESSON_WORK`] at the start): every
/// command it runs is charged its [`Outcome::work`], and the first that passes the
/// limit stops the verification, so no lesson (one opened from a link included)
/// can keep the page busy.
struct Budget {
    left: u64,
}

impl Budget {
    /// Runs `line` on `m` and charges its work; `Err` once the limit is passed.
    fn run(&mut self, m: &mut Machine, line: &str) -> Result<Outcome, ()> {
        let o = m.run(line);
        self.left = self.left.checked_sub(o.work).ok_or(())?;
        Ok(o)
    }
}

/// What a user reads when a lesson's commands pass [`LESSON_WORK`].
fn too_much_work(line: usize, name: &str) -> String {
    format!(
        "line {line}: {name}: the lesson's setups, solutions and predictions passed {} \
         steps of work, mm-sandbox's limit for one lesson (see `help limits`); the rest \
         was not checked",
        grouped(LESSON_WORK)
    )
}

/// Verifies every step; returns one line per step, or the first failure, starting
/// with the file's line (`line 12: buddy step 2 ('Merge'): ...`). The whole check
/// does at most [`LESSON_WORK`] steps of work, and a lesson over
/// [`crate::limits::LESSON_BYTES`] never gets here: [`Lesson::parse`] refuses it.
pub fn verify(lesson: &Lesson) -> Result<Vec<String>, String> {
    let (report, failure) = verify_steps(lesson);
    match failure {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// Verifies the steps in order up to the first that fails: one report line per step
/// that passed (so the steps before `report.len()` pass), and the failure, if any.
/// The lesson editor marks each step with it, and lets an author try the steps
/// that pass while a later one is still being written.
pub fn verify_steps(lesson: &Lesson) -> (Vec<String>, Option<String>) {
    let mut report = Vec::new();
    let failure = verify_into(lesson, &mut report).err();
    (report, failure)
}

fn verify_into(lesson: &Lesson, report: &mut Vec<String>) -> Result<(), String> {
    let mut budget = Budget { left: LESSON_WORK };
    for (i, step) in lesson.steps.iter().enumerate() {
        let name = format!("{} step {} ('{}')", lesson.id, i + 1, step.title);
        let over = || too_much_work(step.line, &name);
        let mut m = Machine::default();
        m.set_recording(true);
        for line in lesson.setup_of(i) {
            budget.run(&mut m, &line).map_err(|_| over())?;
        }
        if let Some(p) = &step.predict {
            let o = budget.run(&mut m, &p.command).map_err(|_| over())?;
            let got = p.answer_of(&o, &m);
            if !super::same_answer(&got, &p.expect) {
                return Err(format!(
                    "line {}: {name}: the simulator's answer to '{}' is '{got}', not '{}'",
                    p.expect_line, p.command, p.expect
                ));
            }
            let ran = vec![(p.command.clone(), o)];
            if let Some(bad) = step.checks.iter().find(|c| !check(&m, &ran, &c.text)) {
                return Err(format!(
                    "line {}: {name}: after '{}', 'check {}' does not hold",
                    bad.line, p.command, bad.text
                ));
            }
            report.push(format!(
                "ok {name}: predict '{}': {} ({} choice(s))",
                p.command,
                got,
                p.choices.len()
            ));
            continue;
        }
        if step_done(&m, &[], step) {
            return Err(format!(
                "line {}: {name}: the goal is met before the student does anything",
                step.line
            ));
        }
        let mut ran = Vec::new();
        for line in &step.solution {
            ran.push((line.clone(), budget.run(&mut m, line).map_err(|_| over())?));
        }
        if let Some(bad) = step.checks.iter().find(|c| !check(&m, &ran, &c.text)) {
            return Err(format!(
                "line {}: {name}: after the solution, 'check {}' does not hold",
                bad.line, bad.text
            ));
        }
        report.push(format!(
            "ok {name}: {} check(s) met by {} command(s)",
            step.checks.len(),
            step.solution.len()
        ));
    }
    Ok(())
}
