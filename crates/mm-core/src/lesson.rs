//! Lessons: data files an author writes without Rust, and the checks the simulator
//! evaluates to say whether a student met a step's goal.
//!
//! A lesson file is lines of `KEY rest-of-line`; `#` lines are comments:
//!
//! ```text
//! lesson buddy                      # the id used in ?lesson=buddy
//! title The buddy allocator
//! summary Power-of-two blocks, split and merged.
//!
//! step Split a block                # each step starts a new step
//! setup boot mem=64M                # commands that prepare the machine (fresh boot first)
//! text When the kernel needs 2^order pages...   # prose; an empty `text` starts a paragraph
//! task Allocate an order-3 block.
//! hint The order is the power of two.           # shown one at a time
//! check ran alloc_pages 3                       # every check must hold
//! solution alloc_pages 3                        # what "Show me" plays
//! ```
//!
//! Checks, evaluated over the commands the student ran in the step and the machine:
//! `ran PREFIX`, `failed PREFIX`, `output TEXT`, `event KIND`, `file PATH TEXT`
//! (the file contains TEXT), `zone_free ZONE >= N` (or `<=`), `sysctl NAME VALUE`,
//! `processes >= N`.

use crate::machine::Machine;
use crate::shell::Outcome;

/// One step of a lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Its title.
    pub title: String,
    /// Paragraphs of prose.
    pub text: Vec<String>,
    /// Commands that prepare the machine.
    pub setup: Vec<String>,
    /// What the student is asked to do.
    pub task: String,
    /// Hints, in order.
    pub hints: Vec<String>,
    /// Checks that must all hold.
    pub checks: Vec<String>,
    /// Commands that meet the goal.
    pub solution: Vec<String>,
}

/// A lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    /// The id (`?lesson=ID`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// One line on what it teaches.
    pub summary: String,
    /// Its steps.
    pub steps: Vec<Step>,
}

/// The check keywords.
const CHECKS: &[&str] = &[
    "ran",
    "failed",
    "output",
    "event",
    "file",
    "zone_free",
    "sysctl",
    "processes",
];

impl Lesson {
    /// Parses a lesson file; errors name the line.
    pub fn parse(text: &str) -> Result<Lesson, String> {
        let mut l = Lesson::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, rest) = line
                .split_once(' ')
                .map(|(k, r)| (k, r.trim()))
                .unwrap_or((line, ""));
            let err = |msg: &str| format!("line {}: {msg}", n + 1);
            match key {
                "lesson" => l.id = rest.to_string(),
                "title" if l.steps.is_empty() => l.title = rest.to_string(),
                "summary" => l.summary = rest.to_string(),
                "step" => l.steps.push(Step {
                    title: rest.to_string(),
                    ..Step::default()
                }),
                "title" | "text" | "setup" | "task" | "hint" | "check" | "solution" => {
                    let s = l
                        .steps
                        .last_mut()
                        .ok_or_else(|| err(&format!("'{key}' before the first 'step'")))?;
                    match key {
                        "title" => s.title = rest.to_string(),
                        "text" => {
                            if rest.is_empty() || s.text.is_empty() {
                                s.text.push(rest.to_string());
                            } else if let Some(last) = s.text.last_mut() {
                                if !last.is_empty() {
                                    last.push(' ');
                                }
                                last.push_str(rest);
                            }
                        }
                        "setup" => s.setup.push(rest.to_string()),
                        "task" => s.task = rest.to_string(),
                        "hint" => s.hints.push(rest.to_string()),
                        "check" => {
                            let word = rest.split_whitespace().next().unwrap_or("");
                            if !CHECKS.contains(&word) {
                                return Err(err(&format!(
                                    "unknown check '{word}' (checks: {})",
                                    crate::vocab::join(CHECKS, ", ")
                                )));
                            }
                            if word == "event" {
                                let kind = rest.split_whitespace().nth(1).unwrap_or("");
                                if !crate::event::kinds().any(|k| k == kind) {
                                    return Err(err(&format!(
                                        "unknown event kind '{kind}' (kinds: {})",
                                        crate::event::kinds().collect::<Vec<_>>().join(", ")
                                    )));
                                }
                            }
                            s.checks.push(rest.to_string());
                        }
                        _ => s.solution.push(rest.to_string()),
                    }
                }
                _ => return Err(err(&format!("unknown key '{key}'"))),
            }
        }
        if l.id.is_empty()
            || !l
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err("the file needs a 'lesson ID' line (letters, digits, - and _)".into());
        }
        if l.steps.is_empty() {
            return Err(format!("lesson '{}' has no steps", l.id));
        }
        for (i, s) in l.steps.iter().enumerate() {
            if s.checks.is_empty() || s.solution.is_empty() || s.task.is_empty() {
                return Err(format!(
                    "step {} ('{}') needs a task, at least one check and a solution",
                    i + 1,
                    s.title
                ));
            }
        }
        Ok(l)
    }
}

/// Whether one check holds, given the commands run in the step (line and outcome).
pub fn check(m: &Machine, ran: &[(String, Outcome)], check: &str) -> bool {
    let (word, rest) = check
        .split_once(' ')
        .map(|(w, r)| (w, r.trim()))
        .unwrap_or((check, ""));
    let cmp = |have: u64, op: &str, want: &str| -> bool {
        let Ok(want) = want.parse::<u64>() else {
            return false;
        };
        match op {
            ">=" => have >= want,
            "<=" => have <= want,
            ">" => have > want,
            "<" => have < want,
            _ => have == want,
        }
    };
    match word {
        "ran" => ran.iter().any(|(l, o)| o.ok && l.trim().starts_with(rest)),
        "failed" => ran.iter().any(|(l, o)| !o.ok && l.trim().starts_with(rest)),
        "output" => ran.iter().any(|(_, o)| o.output.contains(rest)),
        "event" => ran
            .iter()
            .any(|(_, o)| o.events.iter().any(|e| e.kind() == rest)),
        "file" => {
            let (path, text) = rest.split_once(' ').unwrap_or((rest, ""));
            m.read_file(path).is_ok_and(|f| f.contains(text.trim()))
        }
        "zone_free" => {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let [zone, op, n] = w.as_slice() else {
                return false;
            };
            m.node()
                .populated()
                .find(|z| z.ztype.name() == *zone)
                .is_some_and(|z| cmp(z.nr_free_pages, op, n))
        }
        "sysctl" => {
            let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
            m.vm_sysctl()
                .get(name.trim_start_matches("vm."))
                .is_some_and(|v| v == value.trim())
        }
        "processes" => {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let [op, n] = w.as_slice() else { return false };
            cmp(m.tasks().count() as u64, op, n)
        }
        _ => false,
    }
}

/// Whether every check of a step holds.
pub fn step_done(m: &Machine, ran: &[(String, Outcome)], step: &Step) -> bool {
    step.checks.iter().all(|c| check(m, ran, c))
}

/// A machine prepared for a step: freshly booted, then the step's setup.
pub fn prepare(step: &Step) -> Machine {
    let mut m = Machine::default();
    m.set_recording(true);
    for line in &step.setup {
        m.run(line);
    }
    m
}

/// `mmsim lesson check`: every step's checks fail right after its setup and hold after
/// its solution. Returns one line per step.
pub fn verify(lesson: &Lesson) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    for (i, step) in lesson.steps.iter().enumerate() {
        let mut m = prepare(step);
        let name = format!("{} step {} ('{}')", lesson.id, i + 1, step.title);
        if step_done(&m, &[], step) {
            return Err(format!(
                "{name}: the goal is met before the student does anything"
            ));
        }
        let mut ran = Vec::new();
        for line in &step.solution {
            ran.push((line.clone(), m.run(line)));
        }
        if let Some(bad) = step.checks.iter().find(|c| !check(&m, &ran, c)) {
            return Err(format!(
                "{name}: after the solution, 'check {bad}' does not hold"
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
