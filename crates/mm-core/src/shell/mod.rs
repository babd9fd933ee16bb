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
use crate::limits::{LINE_BYTES, OUTPUT_LINES};
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
    /// The work it did, in steps: one for the command, one per step it recorded (those
    /// a summary counts too), and one per 8 pages of a machine it booted. A link's or a
    /// script's load stops at [`crate::limits::LINK_WORK`].
    pub work: u64,
    /// Whether it booted a new machine (whose free lists no step leads to).
    pub booted: bool,
}

impl Outcome {
    /// A command that did nothing and printed nothing (a blank line or a comment).
    pub fn empty() -> Outcome {
        Outcome {
            ok: true,
            output: String::new(),
            events: Vec::new(),
            failure: None,
            work: 0,
            booted: false,
        }
    }
}

/// [`Outcome::work`]: the command, its steps, and the pages it booted.
fn work(events: &[Event], booted_pages: Option<u64>) -> u64 {
    let steps: u64 = events
        .iter()
        .map(|e| match e {
            Event::Summary(crate::event::SummaryEvent::Summary { steps, .. }) => *steps,
            _ => 1,
        })
        .sum();
    1 + steps + booted_pages.unwrap_or(0) / 8
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

/// What a halted machine still answers: `boot`, `dmesg`, `help`.
fn halted_may_run(line: &str) -> bool {
    matches!(
        line.split_whitespace().next(),
        Some("boot" | "dmesg" | "help")
    )
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
        let result = if line.len() > LINE_BYTES {
            Err(sh(ShellError::LineTooLong(line.len())))
        } else if self.pr.panicked.is_some() && !halted_may_run(line) {
            Err(sh(ShellError::Halted))
        } else {
            self.run_pipeline(line)
        };
        // Accepted work lets the kernel's own threads run: kswapd finishes, the disk
        // completes writes, and the clock's timers fire (refused input changes
        // nothing, so they wait for the next accepted command).
        let accepted = result
            .as_ref()
            .map_or_else(|e| e.failure() == crate::Failure::Kernel, |_| true);
        if accepted && self.k.ticks > 0 {
            self.after_command();
        }
        let events = self.k.trace.take();
        // A boot restarts the clock that tick() just moved past zero.
        let booted = (self.k.ticks == 0).then(|| self.page_states().len() as u64);
        let work = work(&events, booted);
        match result {
            Ok(output) => Outcome {
                ok: true,
                output: cap_output(output),
                events,
                failure: None,
                work,
                booted: booted.is_some(),
            },
            Err(e) => Outcome {
                ok: false,
                output: format!("{e}\n"),
                events,
                failure: Some(e.failure()),
                work,
                booted: booted.is_some(),
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

#[cfg(test)]
mod tests {
    use crate::limits::LINE_BYTES;
    use crate::Machine;

    #[test]
    fn a_line_past_the_limit_is_refused_before_it_runs() {
        let mut m = Machine::default();
        let before = m.read_file("/proc/buddyinfo");
        let line = format!("alloc_pages 3 {}", "#".repeat(LINE_BYTES));
        assert!(m.run(&line).ok, "a long comment is stripped first");
        let line = format!("alloc_pages 3{}", " ".repeat(LINE_BYTES));
        let o = m.run(&line);
        assert!(!o.ok);
        assert_eq!(o.failure, Some(crate::Failure::Rejected));
        assert_eq!(
            o.output,
            format!(
                "sh: line too long ({} bytes; mm-sandbox takes at most 4096)\n",
                line.len()
            )
        );
        assert_ne!(
            m.read_file("/proc/buddyinfo"),
            before,
            "the first alloc ran"
        );
        let after = m.read_file("/proc/buddyinfo");
        m.run(&line);
        assert_eq!(m.read_file("/proc/buddyinfo"), after);
    }

    #[test]
    fn work_counts_the_command_its_steps_and_what_it_boots() {
        let mut m = Machine::default();
        m.set_recording(true);
        let o = m.run("alloc_pages 0");
        assert!(o.events.len() > 3);
        assert_eq!(o.work, 1 + o.events.len() as u64);
        assert!(!o.booted);
        let o = m.run("boot mem=64M");
        assert!(o.booted);
        assert_eq!(o.work, 1 + 16384 / 8);
        assert!(!m.run("boot mem=1").booted, "a refused boot boots nothing");
        m.set_event_budget(10);
        m.run("spawn a");
        m.run("mmap 2 1M");
        let o = m.run("touch 2 0x7ffff7eff000 1M");
        assert!(o.events.len() < 300);
        assert!(o.work > 256 * 5, "counted steps are work too: {}", o.work);
    }
}
