//! What the command language itself refuses.

use std::fmt;

/// A line the language cannot run; nothing changes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ShellError {
    /// A quote that is never closed.
    UnterminatedQuote,
    /// A `|` with nothing after it.
    EmptyPipe,
    /// A `|` with nothing before it.
    NothingBeforePipe,
    /// A pipe into something that is not a filter.
    NotAFilter(String),
    /// No command has this name.
    CommandNotFound,
    /// A filter used as a command.
    FilterFirst,
    /// `head`/`tail` with a count that is not a number.
    BadLineCount(String),
    /// `wc` with an option other than `-l`.
    WcOnlyLines,
    /// `echo ... >` with no file.
    NoFileAfterRedirect,
    /// `echo ... > a b`.
    OneFileAfterRedirect,
    /// `cat` redirected anywhere but /dev/null.
    CatRedirect,
    /// The machine has panicked.
    Halted,
    /// `help NAME` of an unknown name.
    NoCommand(String),
    /// `dmesg` with options.
    DmesgOptions,
    /// A line longer than [`crate::limits::LINE_BYTES`] (its length).
    LineTooLong(usize),
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShellError::UnterminatedQuote => f.write_str("unterminated quote"),
            ShellError::EmptyPipe => f.write_str("syntax error near '|'"),
            ShellError::NothingBeforePipe => f.write_str("syntax error: nothing before '|'"),
            ShellError::NotAFilter(cmd) => write!(
                f,
                "{cmd}: command not found (pipes go into head, tail, grep or wc)"
            ),
            ShellError::CommandNotFound => {
                f.write_str("command not found (type help for the list)")
            }
            ShellError::FilterFirst => {
                f.write_str("a filter: pipe a command into it (cat /proc/meminfo | head -n 3)")
            }
            ShellError::BadLineCount(n) => write!(f, "invalid number of lines: '{n}'"),
            ShellError::WcOnlyLines => f.write_str("only wc -l is supported"),
            ShellError::NoFileAfterRedirect => f.write_str("syntax error: no file after '>'"),
            ShellError::OneFileAfterRedirect => f.write_str("one file after '>'"),
            ShellError::CatRedirect => {
                f.write_str("cat's output can go only to '> /dev/null' (files are read, not written, by cat)")
            }
            ShellError::Halted => f.write_str(
                "the machine has halted (Kernel panic - not syncing: System is deadlocked on memory); only boot, dmesg and help run until you boot",
            ),
            ShellError::NoCommand(name) => write!(f, "no command '{name}'"),
            ShellError::DmesgOptions => f.write_str("takes no options here"),
            ShellError::LineTooLong(n) => write!(
                f,
                "line too long ({n} bytes; mm-sandbox takes at most {})",
                crate::limits::LINE_BYTES
            ),
        }
    }
}
