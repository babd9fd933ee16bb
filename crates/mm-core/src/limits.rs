//! Every limit that keeps one input from freezing the tab or exhausting memory, in one
//! place, each with what a user sees when it is reached. `help limits` prints this
//! table; the README repeats it.

use crate::vocab::grouped;

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

/// Bytes one command line may have; a longer line is refused (`sh: line too long`)
/// before anything runs. No command needs more than a few dozen.
pub const LINE_BYTES: usize = 4096;

/// Lines a script may have (a `?script=` link, an embed's `script=`, `runScript`).
pub const SCRIPT_LINES: usize = 10_000;

/// Bytes a script may have.
pub const SCRIPT_BYTES: usize = 256 << 10;

/// Work a link's load (or one `runScript` call) may do, in steps
/// ([`crate::Outcome::work`]: each command costs one, plus the steps it takes, counted
/// ones too, plus one per 8 pages it boots). Some seconds of work in a browser; the
/// rest of the script is left unrun, with [`script_stopped`]'s message.
pub const LINK_WORK: u64 = 40_000_000;

/// Bytes a lesson's text may have (a file, a link or the editor's text; the course's
/// longest lesson has under 6 KiB). [`crate::lesson::Lesson::parse`] refuses a longer
/// one before reading a line.
pub const LESSON_BYTES: usize = 64 << 10;

/// Work checking one lesson may do ([`crate::lesson::verify`]: every step's setup,
/// solution and prediction, charged like a link's commands). A lesson opened from a
/// link is checked before it opens, so this bounds its steps' setups too.
pub const LESSON_WORK: u64 = LINK_WORK;

/// Characters of the address "Share" makes for a lesson (the lesson deflated and
/// base64url-encoded in `?lesson-data=`): RFC 9110 asks every server and client to take
/// at least 8,000 octets of a URI, and mail and chat programs keep links of that
/// length whole. A longer lesson is not put in a link; the editor says how long it
/// would be and offers the `.lesson` file to share instead. Opening a link has no
/// such bound (a browser takes far longer addresses), only [`LESSON_BYTES`] once
/// inflated.
pub const LESSON_LINK: usize = 8_000;

/// Bytes of a kernel log `import oom` reads (a whole `dmesg` of a busy server is a
/// few MiB; an OOM report with a thousand tasks is about 150 KiB).
pub const IMPORT_LOG_BYTES: usize = 4 << 20;

/// Bytes of one /proc file `import proc` reads (a 4-node server's zoneinfo is about
/// 100 KiB).
pub const IMPORT_FILE_BYTES: usize = 1 << 20;

/// Slab objects `import proc` creates in all (a busy server's slabinfo holds a few
/// million: a 64G machine booted with `caches=typical` has 5.2 million, allocated in
/// 0.6 s natively).
pub const IMPORT_SLAB_OBJECTS: u64 = 8_000_000;

/// Steps one `runScript` call returns in all (each becomes a JS object); the script
/// stops before the command that would start past it.
pub const SCRIPT_EVENTS: usize = 1_000_000;

/// Steps the app keeps for its timeline across a whole session. Beyond them the
/// oldest commands keep their output but not their steps (the timeline starts later).
pub const SESSION_EVENTS: usize = 2_000_000;

/// Bytes of command output the app keeps across a session (the oldest outputs are
/// replaced by a line saying so).
pub const SESSION_OUTPUT: usize = 32 << 20;

/// Bytes of earlier machines the app keeps to step back quickly (beyond them it
/// replays commands from the nearest kept one).
pub const SESSION_MACHINES: u64 = 256 << 20;

/// Commands the terminal shows (older ones scroll off; the session keeps them).
pub const SCROLLBACK: usize = 1_000;

/// Bytes of output the terminal shows (the newest command's always in full; older
/// ones scroll off first).
pub const SCROLLBACK_BYTES: usize = 1 << 20;

/// Notices the app shows at once (older ones are dropped; a repeated one is shown once).
pub const NOTICES: usize = 20;

/// Commands one embedding message may carry.
pub const MESSAGE_COMMANDS: usize = 100;

/// Simulated RAM all live `Sandbox`es of one page may hold together (each page of RAM
/// costs 11 bytes of model state): `new Sandbox()` beyond it throws a clear error.
pub const SANDBOX_RAM: u64 = 128 << 30;

/// kcompactd0's proactive compactions per command: a long `sleep` would otherwise
/// run one every 500 ms of simulated time (the model's bound, not the kernel's).
pub const PROACTIVE_RUNS_PER_COMMAND: u32 = 8;

/// Which limit stopped a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptStop {
    /// [`LINK_WORK`].
    Work,
    /// [`SCRIPT_EVENTS`].
    Steps,
}

/// A script's work and steps so far, against [`LINK_WORK`] and [`SCRIPT_EVENTS`]:
/// before each line, [`ScriptBudget::stop`] says whether the script must stop there.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScriptBudget {
    work: u64,
    steps: usize,
}

impl ScriptBudget {
    /// Why the next line may not run, if the script has used its budget.
    pub fn stop(&self) -> Option<ScriptStop> {
        if self.work > LINK_WORK {
            Some(ScriptStop::Work)
        } else {
            (self.steps > SCRIPT_EVENTS).then_some(ScriptStop::Steps)
        }
    }

    /// Counts a line's work and the steps it returned.
    pub fn add(&mut self, work: u64, steps: usize) {
        self.work = self.work.saturating_add(work);
        self.steps = self.steps.saturating_add(steps);
    }
}

/// What a user reads when a script stops at [`LINK_WORK`] or [`SCRIPT_EVENTS`]:
/// `line` (1-based) of `lines` was the first not run.
pub fn script_stopped(line: usize, lines: usize, stop: ScriptStop) -> String {
    let why = match stop {
        ScriptStop::Work => format!("its work passed {} steps", grouped(LINK_WORK)),
        ScriptStop::Steps => format!(
            "the steps it returned passed {}",
            grouped(SCRIPT_EVENTS as u64)
        ),
    };
    format!(
        "stopped before line {} of {}: {why}, mm-sandbox's limit for one script \
         (see `help limits`), so the rest was not run",
        grouped(line as u64),
        grouped(lines as u64)
    )
}

/// The limits as `help limits` prints them: (what, value, what a user sees).
pub fn table() -> Vec<(&'static str, String, &'static str)> {
    let n = |x: u64| grouped(x);
    vec![
        (
            "steps per command",
            format!(
                "{} kept whole; then counted, with the decisive ones ({} at most) and the last {} kept",
                n(EVENTS_PER_COMMAND as u64),
                n(DECISIVE_EVENTS as u64),
                TAIL_EVENTS
            ),
            "a Summary step: \"... and N more steps like these: ...\"",
        ),
        (
            "proactive compaction",
            format!("{PROACTIVE_RUNS_PER_COMMAND} runs per command"),
            "kcompactd0's later 500 ms checks wait for the next command",
        ),
        (
            "command line",
            format!("{} bytes", n(LINE_BYTES as u64)),
            "sh: line too long (N bytes; mm-sandbox takes at most 4096)",
        ),
        (
            "output per command",
            format!("{} lines", n(OUTPUT_LINES as u64)),
            "a last line \"(N lines cut)\"",
        ),
        (
            "kernel log (log_buf_len)",
            format!("{} KiB ring buffer", LOG_BUF_LEN >> 10),
            "dmesg starts with \"[mmsim: N earlier line(s) overwritten ...]\"",
        ),
        (
            "RAM (boot mem=)",
            "4M to 64G".to_string(),
            "boot: mem=... is out of range (4M to 64G)",
        ),
        (
            "page tables' memory",
            format!(
                "{} MiB ({} tables)",
                PAGE_TABLE_MEMORY >> 20,
                n(PAGE_TABLE_MEMORY >> 12)
            ),
            "the command is refused, naming this limit",
        ),
        (
            "script (link, embed, runScript)",
            format!("{} lines, {} KiB", n(SCRIPT_LINES as u64), SCRIPT_BYTES >> 10),
            "a notice naming the commands left out (runScript throws)",
        ),
        (
            "work of one link or runScript",
            format!(
                "{} steps ({} returned by runScript)",
                n(LINK_WORK),
                n(SCRIPT_EVENTS as u64)
            ),
            "\"stopped before line N of M: ...\"; the rest is not run",
        ),
        (
            "lesson (file, link, editor)",
            format!("{} KiB; checking it, {} steps of work", LESSON_BYTES >> 10, n(LESSON_WORK)),
            "\"line N: ...\" naming the limit; the lesson does not open",
        ),
        (
            "import oom / import proc",
            format!(
                "a {} MiB log; {} MiB per /proc file, {} slab objects",
                IMPORT_LOG_BYTES >> 20,
                IMPORT_FILE_BYTES >> 20,
                n(IMPORT_SLAB_OBJECTS)
            ),
            "the input is refused, naming its size and the limit; caches past the objects are named short",
        ),
        (
            "lesson link (Share)",
            format!("{} characters", n(LESSON_LINK as u64)),
            "the editor gives the link's length and offers the .lesson file",
        ),
        (
            "steps the app's timeline keeps",
            n(SESSION_EVENTS as u64),
            "the oldest commands lose their steps (their output stays)",
        ),
        (
            "output the app keeps",
            format!("{} MiB", SESSION_OUTPUT >> 20),
            "the oldest outputs are replaced by \"(output dropped ...)\"",
        ),
        (
            "terminal scrollback",
            format!(
                "{} commands, {} MiB of output",
                n(SCROLLBACK as u64),
                SCROLLBACK_BYTES >> 20
            ),
            "\"N earlier commands scrolled off\"",
        ),
        (
            "notices shown",
            format!("{NOTICES}"),
            "older notices go; a repeated one shows once",
        ),
        (
            "commands per embedding message",
            format!("{MESSAGE_COMMANDS}"),
            "a notice: the message was refused",
        ),
        (
            "RAM of a page's Sandboxes (JS API)",
            format!("{}G in all", SANDBOX_RAM >> 30),
            "new Sandbox() and snapshot() throw \"mm-sandbox: ...\"; a boot is refused",
        ),
    ]
}
