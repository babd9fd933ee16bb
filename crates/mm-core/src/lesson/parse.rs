//! Reading a lesson file: every key, every rule, errors that name the line.

use super::predict::{Answer, Prediction};
use super::{Check, Lesson, Step};

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

/// The keys of a step's prediction.
const PREDICT_KEYS: &[&str] = &["question", "answer", "choice", "expect", "explain"];

impl Lesson {
    /// Parses a lesson file; errors start with the line (`line 4: unknown check`).
    pub fn parse(text: &str) -> Result<Lesson, String> {
        let limit = crate::limits::LESSON_BYTES;
        if text.len() > limit {
            return Err(format!(
                "line 1: the lesson has {} bytes; mm-sandbox reads at most {} KiB of a \
                 lesson (see `help limits`)",
                crate::vocab::grouped(text.len() as u64),
                limit >> 10
            ));
        }
        let mut l = Lesson::default();
        let mut lesson_line = 0;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let n = n + 1;
            let (key, rest) = line
                .split_once(char::is_whitespace)
                .map(|(k, r)| (k, r.trim()))
                .unwrap_or((line, ""));
            let err = |msg: String| format!("line {n}: {msg}");
            match key {
                "lesson" => {
                    l.id = rest.to_string();
                    lesson_line = n;
                }
                "title" if l.steps.is_empty() => l.title = rest.to_string(),
                "summary" => l.summary = rest.to_string(),
                "requires" => l.requires.extend(
                    rest.split([' ', ','])
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                ),
                "setup" if l.steps.is_empty() => l.setup.push(rest.to_string()),
                "step" => l.steps.push(Step {
                    line: n,
                    title: rest.to_string(),
                    ..Step::default()
                }),
                "title" | "text" | "setup" | "task" | "hint" | "check" | "solution" | "predict"
                | "question" | "answer" | "choice" | "expect" | "explain" => {
                    let s = l
                        .steps
                        .last_mut()
                        .ok_or_else(|| err(format!("'{key}' before the first 'step'")))?;
                    step_line(s, key, rest, n).map_err(err)?;
                }
                _ => return Err(err(format!("unknown key '{key}'"))),
            }
        }
        if l.id.is_empty()
            || !l
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            let at = if lesson_line > 0 {
                format!("line {lesson_line}: ")
            } else {
                String::new()
            };
            return Err(format!(
                "{at}the file needs a 'lesson ID' line (letters, digits, - and _)"
            ));
        }
        if l.steps.is_empty() {
            return Err(format!("lesson '{}' has no steps", l.id));
        }
        for s in &mut l.steps {
            finish_step(s)?;
        }
        Ok(l)
    }
}

/// One line inside a step.
fn step_line(s: &mut Step, key: &str, rest: &str, n: usize) -> Result<(), String> {
    if PREDICT_KEYS.contains(&key) && s.predict.is_none() {
        return Err(format!(
            "'{key}' needs a 'predict COMMAND' line before it in the step"
        ));
    }
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
                return Err(format!(
                    "unknown check '{word}' (checks: {})",
                    crate::vocab::join(CHECKS, ", ")
                ));
            }
            if word == "event" {
                let kind = rest.split_whitespace().nth(1).unwrap_or("");
                if !crate::event::kinds().any(|k| k == kind) {
                    return Err(format!(
                        "unknown event kind '{kind}' (kinds: {})",
                        crate::event::kinds().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            s.checks.push(Check {
                line: n,
                text: rest.to_string(),
            });
        }
        "solution" => s.solution.push(rest.to_string()),
        "predict" => {
            if s.predict.is_some() {
                return Err("a step predicts one command; start a new step for another".into());
            }
            if rest.is_empty() {
                return Err("'predict' needs the command whose result is predicted".into());
            }
            s.predict = Some(Prediction {
                line: n,
                command: rest.to_string(),
                ..Prediction::default()
            });
        }
        _ => {
            let Some(p) = s.predict.as_mut() else {
                return Ok(());
            };
            match key {
                "question" => p.question = rest.to_string(),
                "answer" => p.answer = Answer::parse(rest)?,
                "choice" => p.choices.push(rest.to_string()),
                "expect" => {
                    p.expect = rest.to_string();
                    p.expect_line = n;
                }
                _ => p.explain = rest.to_string(),
            }
        }
    }
    Ok(())
}

/// A step's own rules, checked once it is read whole; defaults for a predict step.
fn finish_step(s: &mut Step) -> Result<(), String> {
    let at = format!("line {}: step '{}'", s.line, s.title);
    if let Some(p) = &s.predict {
        if p.question.is_empty() || p.expect.is_empty() || p.answer == Answer::default() {
            return Err(format!(
                "{at}: a prediction needs 'question', 'answer' and 'expect' lines"
            ));
        }
        if p.choices.len() == 1 {
            return Err(format!(
                "{at}: give at least two choices, or none (a typed answer)"
            ));
        }
        if !p.choices.is_empty() && !p.choices.iter().any(|c| super::same_answer(c, &p.expect)) {
            return Err(format!(
                "line {}: the expected answer '{}' is not one of the choices",
                p.expect_line, p.expect
            ));
        }
        if s.task.is_empty() {
            s.task = format!("Predict: {} Then run it.", p.question);
        }
        if s.solution.is_empty() {
            s.solution.push(p.command.clone());
        }
        return Ok(());
    }
    if s.checks.is_empty() || s.solution.is_empty() || s.task.is_empty() {
        return Err(format!(
            "{at} needs a task, at least one check and a solution"
        ));
    }
    Ok(())
}
