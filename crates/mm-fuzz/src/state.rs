//! Everything a student could see of a machine, to check that refused input changed
//! none of it: every /proc file (global and per process, sysctls included), the exact
//! free lists, the state of every page, the slab caches and the processes with their
//! mappings and page tables. The kernel log is left out on purpose: a refusal may
//! log why (`BUG: Bad page state`), as the real kernel's does.

use mm_core::views::FreeListsView;
use mm_core::Machine;

/// What a machine shows, part by part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    parts: Vec<(String, String)>,
}

impl Seen {
    /// Reads everything.
    pub fn of(m: &Machine) -> Seen {
        let mut parts = Vec::new();
        for f in m.files() {
            let text = m
                .read_file(&f)
                .unwrap_or_else(|e| format!("(unreadable: {e})"));
            parts.push((f, text));
        }
        parts.push(("free lists".into(), format!("{:?}", FreeListsView::of(m))));
        parts.push((
            "page states".into(),
            format!("{:x?}", fold(m.page_states())),
        ));
        parts.push(("slab caches".into(), format!("{:?}", m.caches())));
        parts.push(("processes".into(), format!("{:?}", m.processes())));
        Seen { parts }
    }

    /// The first part that differs, with a short excerpt of each side.
    pub fn diff(&self, after: &Seen) -> Option<String> {
        let names = |s: &Seen| s.parts.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        if names(self) != names(after) {
            return Some(format!(
                "the files changed: {:?} -> {:?}",
                names(self),
                names(after)
            ));
        }
        self.parts
            .iter()
            .zip(&after.parts)
            .find(|(a, b)| a != b)
            .map(|((name, a), (_, b))| {
                let line = a.lines().zip(b.lines()).find(|(x, y)| x != y);
                match line {
                    Some((x, y)) => format!("{name} changed: {x:?} -> {y:?}"),
                    None => format!("{name} changed ({} -> {} bytes)", a.len(), b.len()),
                }
            })
    }
}

/// The page states as runs (state, count): short, and still exact.
fn fold(states: &[u8]) -> Vec<(u8, usize)> {
    let mut runs: Vec<(u8, usize)> = Vec::new();
    for &s in states {
        match runs.last_mut() {
            Some((last, n)) if *last == s => *n += 1,
            _ => runs.push((s, 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_line_changes_nothing_a_command_changes_something() {
        let mut m = Machine::boot(mm_core::BootParams::parse(["mem=16M"]).unwrap_or_default());
        let before = Seen::of(&m);
        m.run("free_pages 0x5");
        assert_eq!(before.diff(&Seen::of(&m)), None);
        m.run("alloc_pages 2");
        let d = before.diff(&Seen::of(&m)).unwrap_or_default();
        assert!(
            d.starts_with("/proc/buddyinfo changed") || d.contains("changed"),
            "{d}"
        );
    }
}
