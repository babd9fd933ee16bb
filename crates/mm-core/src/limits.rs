//! Every limit that keeps one input from freezing the tab or exhausting memory, in one
//! place, each with what a user sees when it is reached. `help limits` prints this
//! table; the README repeats it.

/// Micro-steps a command records in full. Beyond them the steps are counted, not
/// kept: the command's last [`TAIL_EVENTS`] steps and every decisive step (an OOM
/// kill, an allocation failure, a process born or gone, a refused charge) are kept,
/// and one `Summary` step says how many of each kind were left out. The machine's
/// state stays exact. 100,000 steps take a student at "very fast" (40 a second) over
/// 40 minutes to watch, and hold about 5 MB.
pub const EVENTS_PER_COMMAND: usize = 100_000;

/// The last steps of a cut command that are kept whole.
pub const TAIL_EVENTS: usize = 200;

/// Decisive steps kept past the cut (beyond them they are counted as well).
pub const DECISIVE_EVENTS: usize = 10_000;

/// `log_buf_len`: the kernel log's ring buffer, 128 KiB (`CONFIG_LOG_BUF_SHIFT=17`).
/// `dmesg` says how many older lines were overwritten.
pub const LOG_BUF_LEN: usize = 128 << 10;

/// Lines one command may print; the rest is cut with a line `(N lines cut)`.
pub const OUTPUT_LINES: usize = 5_000;

/// Bytes of the sandbox's own memory that page-table pages may take (each simulated
/// page table is a real 4 KiB array; the page array of `boot mem=` is counted apart).
/// 512 MiB holds 131,072 tables: any dense mapping of the largest machine, but not
/// millions of sparse ones. A `touch` that could need more is refused before it
/// starts; a fault that would pass it fails with a message naming this limit.
pub const PAGE_TABLE_MEMORY: u64 = 512 << 20;

/// Lines a script may have (a `?script=` link, an embed's `script=`, `runScript`).
pub const SCRIPT_LINES: usize = 10_000;

/// Bytes a script may have.
pub const SCRIPT_BYTES: usize = 256 << 10;

/// Work a session may do loading a link, in steps: each command costs one, plus the
/// steps it takes (counted ones too), plus one per 8 pages it boots. About five
/// seconds of work in a browser; the rest of the link is left unrun, with a notice.
pub const LINK_WORK: u64 = 40_000_000;

/// Steps the app keeps for its timeline across a whole session. Beyond them the
/// oldest commands keep their output but not their steps (the timeline starts later).
pub const SESSION_EVENTS: usize = 2_000_000;

/// Commands the terminal shows (older ones scroll off; the session keeps them).
pub const SCROLLBACK: usize = 1_000;

/// Notices the app shows at once (older ones are dropped).
pub const NOTICES: usize = 20;

/// Commands one embedding message may carry.
pub const MESSAGE_COMMANDS: usize = 100;

/// Simulated RAM all live `Sandbox`es of one page may hold together (each page of RAM
/// costs 11 bytes of model state): `new Sandbox()` beyond it throws a clear error.
pub const SANDBOX_RAM: u64 = 128 << 30;

/// The limits as `help limits` prints them: (what, value, what a user sees).
pub fn table() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "steps per command",
            format!("{EVENTS_PER_COMMAND} (then counted; the last {TAIL_EVENTS} kept)"),
            "a Summary step: \"... and N more steps like these: ...\"",
        ),
        (
            "kernel log",
            format!("{} KiB ring buffer (log_buf_len)", LOG_BUF_LEN >> 10),
            "dmesg starts with \"[mmsim: N earlier line(s) overwritten ...]\"",
        ),
        (
            "output per command",
            format!("{OUTPUT_LINES} lines"),
            "a last line \"(N lines cut)\"",
        ),
        (
            "sandbox memory for page tables",
            format!(
                "{} MiB ({} tables)",
                PAGE_TABLE_MEMORY >> 20,
                PAGE_TABLE_MEMORY >> 12
            ),
            "the command is refused, naming this limit of mm-sandbox",
        ),
        (
            "RAM",
            "4M to 64G (boot mem=)".to_string(),
            "boot: mem=... is out of range",
        ),
        (
            "script (link, embed, runScript)",
            format!("{SCRIPT_LINES} lines, {} KiB", SCRIPT_BYTES >> 10),
            "a notice naming the lines left out",
        ),
        (
            "work to load a link",
            format!("{LINK_WORK} steps"),
            "a notice: the rest of the link was not run",
        ),
        (
            "steps kept by the app's timeline",
            format!("{SESSION_EVENTS}"),
            "the oldest commands lose their steps (their output stays)",
        ),
        (
            "terminal scrollback",
            format!("{SCROLLBACK} commands"),
            "older commands scroll off the terminal",
        ),
        (
            "commands per embedding message",
            format!("{MESSAGE_COMMANDS}"),
            "a notice: the message was refused",
        ),
        (
            "RAM of all live Sandboxes in a page (JS API)",
            format!("{}G", SANDBOX_RAM >> 30),
            "new Sandbox() throws \"mm-sandbox: ...\"",
        ),
    ]
}
