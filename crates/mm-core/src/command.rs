//! What a command of the language is, declared by the subsystem that runs it: its
//! name, synopsis, one-line summary, explanation and the function that runs it, side by
//! side. The function's type is the subsystem's own (it takes the part of the kernel
//! that subsystem may touch); the machine's registry ([`crate::commands`]) gathers
//! every subsystem's list into the one list that dispatch, `help`, completion and the
//! README's table come from.

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
