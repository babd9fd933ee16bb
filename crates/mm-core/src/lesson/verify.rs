//! `mmsim lesson check`: every step's goal is unmet after its setup and met after its
//! solution, and every prediction's expected answer is the simulator's.

use super::{check, step_done, Lesson};
use crate::machine::Machine;

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

/// Verifies every step; returns one line per step, or the first failure, starting
/// with the file's line (`line 12: buddy step 2 ('Merge'): ...`).
pub fn verify(lesson: &Lesson) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    for (i, step) in lesson.steps.iter().enumerate() {
        let mut m = prepare(lesson, i);
        let name = format!("{} step {} ('{}')", lesson.id, i + 1, step.title);
        if let Some(p) = &step.predict {
            let o = m.run(&p.command);
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
            ran.push((line.clone(), m.run(line)));
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
    Ok(report)
}
