//! The command language: one line in, an [`Outcome`] out. A line is words (with
//! quotes), `#` starts a comment, and `|` pipes the output into filters (`head`,
//! `tail`, `grep`, `wc`). Commands come from one registry ([`registry`]); the shell
//! knows their names and synopses, and lends each subsystem's command what that
//! subsystem may use.

pub(crate) mod builtins;
pub mod error;
pub(crate) mod filters;
pub mod registry;
pub(crate) mod words;

use crate::error::{CommandError, Error, Failure};
use crate::event::Event;
use crate::limits::OUTPUT_LINES;
use crate::machine::Machine;
use error::ShellError;

/// The result of one command.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Whether the command did what it was asked.
    pub ok: bool,
    /// What it printed (a failure prints one line naming the command).
    pub output: String,
    /// Its micro-steps, in order.
    pub events: Vec<Event>,
    /// How it failed, if it did: refused input (nothing changed) or a kernel failure.
    pub failure: Option<Failure>,
}

impl Outcome {
    /// A command that did nothing and printed nothing (a blank line or a comment).
    pub fn empty() -> Outcome {
        Outcome {
            ok: true,
            output: String::new(),
            events: Vec::new(),
            failure: None,
        }
    }
}

/// At most [`OUTPUT_LINES`] lines of a command's output, then `(N lines cut)`.
fn cap_output(output: String) -> String {
    let lines = output.lines().count();
    if lines <= OUTPUT_LINES {
        return output;
    }
    let mut kept: String = output
        .lines()
        .take(OUTPUT_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    kept.push_str(&format!("({} lines cut)\n", lines - OUTPUT_LINES));
    kept
}

/// A complaint from the language itself (`sh: ...`).
fn sh(e: ShellError) -> CommandError {
    CommandError {
        program: "sh".into(),
        error: e.into(),
        usage: None,
    }
}

impl Machine {
    /// Runs one line of the command language. A command that fails prints one line
    /// that starts with its name: refused input leaves the machine as it was; a kernel
    /// failure leaves what the real kernel would leave.
    pub fn run(&mut self, line: &str) -> Outcome {
        self.k.trace.take();
        let line = match line.find('#') {
            Some(i) => &line[..i],
            None => line,
        };
        if line.trim().is_empty() {
            return Outcome::empty();
        }
        self.tick();
        let result = self.run_pipeline(line);
        let events = self.k.trace.take();
        match result {
            Ok(output) => Outcome {
                ok: true,
                output: cap_output(output),
                events,
                failure: None,
            },
            Err(e) => Outcome {
                ok: false,
                output: format!("{e}\n"),
                events,
                failure: Some(e.failure()),
            },
        }
    }

    /// Runs every line of a script, returning each line with its outcome.
    pub fn run_script(&mut self, text: &str) -> Vec<(String, Outcome)> {
        text.lines().map(|l| (l.to_string(), self.run(l))).collect()
    }

    fn run_pipeline(&mut self, line: &str) -> Result<String, CommandError> {
        let parts = words::stages(line);
        let first = words::words(parts[0]).map_err(sh)?;
        let mut stages = Vec::new();
        for p in &parts[1..] {
            let w = words::words(p).map_err(sh)?;
            let Some((name, args)) = w.split_first() else {
                return Err(sh(ShellError::EmptyPipe));
            };
            let f =
                filters::filter(name).ok_or_else(|| sh(ShellError::NotAFilter(name.clone())))?;
            stages.push((f, args.to_vec()));
        }
        let Some((name, args)) = first.split_first() else {
            return Err(sh(ShellError::NothingBeforePipe));
        };
        let fail = |program: &str, usage: &'static str| {
            let program = program.to_string();
            move |error: Error| CommandError {
                program,
                error,
                usage: Some(usage),
            }
        };
        // Check the filters before running anything, so a bad pipe changes nothing.
        for (f, args) in &stages {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            (f.run)(&a, "").map_err(fail(f.name, f.usage))?;
        }
        let cmd = registry::command(name).ok_or_else(|| CommandError {
            program: name.clone(),
            error: match filters::filter(name) {
                Some(_) => ShellError::FilterFirst.into(),
                None => ShellError::CommandNotFound.into(),
            },
            usage: None,
        })?;
        let info = cmd.info();
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut out = cmd.run(self, &a).map_err(fail(info.name, info.usage))?;
        for (f, args) in &stages {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            out = (f.run)(&a, &out).map_err(fail(f.name, f.usage))?;
        }
        Ok(out)
    }
}
