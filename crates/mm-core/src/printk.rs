//! The kernel log: `printk` lines stamped with the simulated clock, kept in a ring
//! buffer of `log_buf_len` bytes as the kernel keeps them, so a long session cannot
//! grow it without bound (the oldest lines go first, as `dmesg` shows on a real
//! machine that has been up a while).

use crate::vocab::deque::Deque;

pub use crate::limits::LOG_BUF_LEN;

/// The kernel's log buffer.
#[derive(Clone, Debug, Default)]
pub struct Log {
    lines: Deque<String>,
    bytes: usize,
    dropped: u64,
}

impl Log {
    /// Appends a record, stamped `[    s.uuuuuu]` from the clock in milliseconds,
    /// dropping the oldest once the buffer holds more than [`LOG_BUF_LEN`]. A record
    /// of several lines (one `printk` with newlines, as `show_free_areas`' first) is
    /// shown as `dmesg` shows it: the lines after the first indented by the stamp's
    /// width.
    pub fn printk(&mut self, ms: u64, line: &str) {
        let stamp = format!("[{:>5}.{:06}] ", ms / 1000, (ms % 1000) * 1000);
        let indent = format!("\n{}", " ".repeat(stamp.len()));
        let stamped = format!("{stamp}{}", line.replace('\n', &indent));
        self.bytes += stamped.len() + 1;
        self.lines.push_back(stamped);
        while self.bytes > LOG_BUF_LEN {
            let Some(old) = self.lines.pop_front() else {
                break;
            };
            self.bytes -= old.len() + 1;
            self.dropped += 1;
        }
    }

    /// The lines still in the buffer, oldest first.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(String::as_str)
    }

    /// Lines the ring buffer has overwritten since boot.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_lines_go_when_the_buffer_is_full() {
        let mut log = Log::default();
        for i in 0..10_000 {
            log.printk(i * 10, &format!("line {i} {}", "x".repeat(40)));
        }
        let kept: usize = log.lines().map(|l| l.len() + 1).sum();
        assert!(kept <= LOG_BUF_LEN);
        assert!(log.dropped() > 0);
        assert!(log.lines().last().is_some_and(|l| l.contains("line 9999 ")));
        assert_eq!(log.lines().count() as u64 + log.dropped(), 10_000);
    }
}
