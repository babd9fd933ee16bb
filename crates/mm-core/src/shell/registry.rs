//! The one list of commands: the shell's own and every subsystem's, in the order
//! `help` lists them. Dispatch, `help`, `help COMMAND`, completion and the README's
//! command table all come from it (a test holds the README to it).

use super::builtins::{ShellCommand, BOOT, SHELL};
use super::filters::{Filter, FILTERS};
use crate::error::Error;
use crate::machine::Machine;
use crate::page_alloc::commands::{PageAllocCommand, COMMANDS as PAGE_ALLOC};
use crate::procfs::FILES;
use crate::slub::commands::{SlabCommand, COMMANDS as SLAB};
use crate::vm::commands::{VmCommand, COMMANDS as VM};
use crate::vmscan::commands::COMMANDS as VMSCAN;

/// A registered command, with the part of the machine its subsystem may use.
#[derive(Clone, Copy, Debug)]
pub enum Command {
    /// The shell's own: the whole machine.
    Shell(&'static ShellCommand),
    /// The page allocator's: on virtual memory, whose slow path reclaims.
    PageAlloc(&'static PageAllocCommand),
    /// SLUB's.
    Slab(&'static SlabCommand),
    /// Virtual memory's.
    Vm(&'static VmCommand),
}

/// What every command has, whoever runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandInfo {
    /// The command's name.
    pub name: &'static str,
    /// Its synopsis.
    pub usage: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// A longer explanation.
    pub details: &'static str,
}

impl Command {
    /// Its name, synopsis, summary and explanation.
    pub fn info(&self) -> CommandInfo {
        macro_rules! info {
            ($s:expr) => {
                CommandInfo {
                    name: $s.name,
                    usage: $s.usage,
                    summary: $s.summary,
                    details: $s.details,
                }
            };
        }
        match self {
            Command::Shell(s) => info!(s),
            Command::PageAlloc(s) => info!(s),
            Command::Slab(s) => info!(s),
            Command::Vm(s) => info!(s),
        }
    }

    /// Runs it on the machine, lending its subsystem what it may use.
    pub fn run(&self, m: &mut Machine, args: &[&str]) -> Result<String, Error> {
        match self {
            Command::Shell(s) => (s.run)(m, args),
            Command::PageAlloc(s) => (s.run)(&mut m.vm(), args),
            Command::Slab(s) => (s.run)(&mut m.vm(), args),
            Command::Vm(s) => (s.run)(&mut m.vm(), args),
        }
    }
}

/// Every command, in `help`'s order: `boot`, the page allocator's, SLUB's, virtual
/// memory's, then the shell's file and log commands.
pub fn commands() -> impl Iterator<Item = Command> {
    BOOT.iter()
        .map(Command::Shell)
        .chain(PAGE_ALLOC.iter().map(Command::PageAlloc))
        .chain(SLAB.iter().map(Command::Slab))
        .chain(VM.iter().map(Command::Vm))
        .chain(VMSCAN.iter().map(Command::Vm))
        .chain(SHELL.iter().map(Command::Shell))
}

/// The command with this name.
pub fn command(name: &str) -> Option<Command> {
    commands().find(|c| c.info().name == name)
}

/// Every command's name, synopsis, summary and explanation, in `help`'s order: what
/// completion, the help panel and the README's table come from.
pub fn command_infos() -> impl Iterator<Item = CommandInfo> {
    commands().map(|c| c.info())
}

/// Every filter's name, synopsis, summary and explanation.
pub fn filter_infos() -> impl Iterator<Item = CommandInfo> {
    FILTERS.iter().map(filter_info)
}

fn filter_info(f: &Filter) -> CommandInfo {
    CommandInfo {
        name: f.name,
        usage: f.usage,
        summary: f.summary,
        details: f.details,
    }
}

/// `help` with no argument: one line per command, then the filters.
pub fn overview() -> String {
    let infos: Vec<CommandInfo> = commands().map(|c| c.info()).collect();
    let width = infos.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out =
        String::from("Commands (one per line, # starts a comment; help COMMAND for more):\n");
    for c in &infos {
        out.push_str(&format!("  {:<width$}  {}\n", c.name, c.summary));
    }
    out.push_str("Filters (after |):\n");
    for f in FILTERS {
        out.push_str(&format!("  {:<width$}  {}\n", f.name, f.summary));
    }
    out.push_str("Sizes take K, M, G suffixes (powers of 1024); numbers take 0x hex.\n");
    out.push_str("help limits lists what mm-sandbox bounds, and what you see when it does.\n");
    out
}

/// What `help NAME` says in place of the details when built without `help-details`
/// (the npm package, and the app, which puts them back from [`details_file`]'s text,
/// fetched when it starts).
pub const DETAILS_ELSEWHERE: &str = "The mm-sandbox app's help explains it in full.";

/// What `help limits` says when built without `help-details`.
pub const LIMITS_ELSEWHERE: &str =
    "mm-sandbox bounds each command's steps and output, the kernel log, RAM (4M to 64G), \
     page-table memory and scripts, so that no input can freeze the page; the mm-sandbox \
     app's help limits lists every limit and what you see when it is reached.\n";

/// `help limits` without `help-details` (the npm package): where to read them.
#[cfg(not(feature = "help-details"))]
pub fn limits() -> String {
    LIMITS_ELSEWHERE.to_string()
}

/// The details that a build without `help-details` leaves out, as one text: a
/// section per command and filter (`@@ NAME`, then its details) and one for
/// `limits` (all of `help limits`). The app fetches it (`web/help/details.txt`, kept equal
/// to this by a test) instead of carrying it in its wasm.
#[cfg(feature = "help-details")]
pub fn details_file() -> String {
    let mut out = String::from(
        "# `help NAME`'s details for the mm-sandbox app, fetched when it starts.\n\
         # Written by `cargo xtask bless` from mm-core's command table: do not edit.\n",
    );
    let infos = commands()
        .map(|c| c.info())
        .chain(FILTERS.iter().map(filter_info));
    for i in infos {
        out.push_str(&format!("@@ {}\n{}\n", i.name, i.details));
    }
    out.push_str(&format!("@@ limits\n{}", limits()));
    out
}

/// `help limits`: every limit of [`crate::limits`], its value and what a user sees.
#[cfg(feature = "help-details")]
pub fn limits() -> String {
    let mut out = String::from(
        "mm-sandbox's limits, so that no input can freeze the page or exhaust its memory:\n",
    );
    for (what, value, seen) in crate::limits::table() {
        out.push_str(&format!("  {what}: {value}\n      when reached: {seen}\n"));
    }
    out
}

/// `help NAME`, for a command or a filter; `cat` and `echo` list the files they reach.
pub fn help(name: &str) -> Option<String> {
    let info = command(name).map(|c| c.info()).or_else(|| {
        FILTERS
            .iter()
            .find(|f| f.name == name)
            .map(|f| CommandInfo {
                name: f.name,
                usage: f.usage,
                summary: f.summary,
                details: f.details,
            })
    })?;
    let details = if info.details.is_empty() {
        // Built without `help-details` (the npm package, the app).
        DETAILS_ELSEWHERE
    } else {
        info.details
    };
    let mut out = format!("usage: {}\n{}.\n{details}\n", info.usage, info.summary);
    if name == "cat" || name == "echo" {
        out.push_str(if name == "cat" {
            "Files:\n"
        } else {
            "Writable files:\n"
        });
        for f in FILES.iter().filter(|f| name == "cat" || f.write.is_some()) {
            out.push_str(&format!("  {:<26} {}\n", f.path, f.summary));
        }
    }
    Some(out)
}
