//! What a command of the language is, declared by the subsystem that runs it: its
//! name, synopsis, one-line summary, explanation and the function that runs it, side by
//! side. The function's type is the subsystem's own (it takes the part of the kernel
//! that subsystem may touch); the shell's registry ([`crate::shell::registry`]) gathers
//! every subsystem's list into the one list that dispatch, `help`, completion and the
//! README's table come from. [`Failure`] says what a failed command may have changed.

use serde::Serialize;

/// What a failed command may have changed: the two kinds of failure are kept apart
/// everywhere (code, docs, the fuzzer).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Failure {
    /// Refused input (a usage error, a bad argument, a PFN that is no allocated block,
    /// an unknown file): the machine is as it was. Only the kernel log may hold the
    /// complaint the real kernel prints (`BUG: Bad page state`, SLUB's object errors).
    Rejected,
    /// The kernel tried and failed (ENOMEM, a page allocation failure, SIGSEGV, an OOM
    /// kill): it may leave exactly what the real kernel leaves, and the output or the
    /// log says what.
    Kernel,
}

/// One command.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec<F> {
    /// The command's name.
    pub name: &'static str,
    /// Its synopsis (`alloc_pages ORDER [GFP_FLAGS]`).
    pub usage: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// A longer explanation with an example.
    pub details: &'static str,
    /// Runs it with the words after the name.
    pub run: F,
}

/// A command's `details` text: kept with the `help-details` feature (on by default;
/// the app and the CLI show it), left out of the npm package's wasm, which keeps its
/// size budget by printing only each command's usage and summary.
#[cfg(feature = "help-details")]
macro_rules! details {
    ($text:expr) => {
        $text
    };
}

/// Without the `help-details` feature: no details text.
#[cfg(not(feature = "help-details"))]
macro_rules! details {
    ($text:expr) => {
        ""
    };
}

pub(crate) use details;
