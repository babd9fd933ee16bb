//! Dirty pages and the flusher (`mm/page-writeback.c: domain_dirty_limits`,
//! `balance_dirty_pages`, `folio_end_writeback`; `fs/fs-writeback.c: wb_writeback`,
//! `wb_check_old_data_flush`; `sync`).
//!
//! The disk completes the writes submitted during a command at the next tick of the
//! clock, so `Writeback` in /proc/meminfo shows pages between one command and the
//! next; `sync` waits for its writes.

use super::events::VmscanEvent;
use super::lru::pg;
use crate::sysctl::VmSysctl;
use crate::vm::Vm;

/// `domain_dirty_limits` on `global_dirtyable_memory` (free pages above
/// `totalreserve_pages`, plus the file LRU, plus one): `vm.dirty_bytes` in pages if
/// set, else `vm.dirty_ratio` percent of it (the ratio taken per PAGE_SIZE first, as
/// the kernel does for precision); the same for the background threshold, which is
/// halved from the hard one if it would reach it. Returns (thresh, bg_thresh).
pub fn dirty_limits(free: u64, totalreserve: u64, file_lru: u64, sysctl: &VmSysctl) -> (u64, u64) {
    const PAGE_SIZE: u64 = 4096;
    let available = free - free.min(totalreserve) + file_lru + 1;
    let ratio = sysctl.dirty_ratio * PAGE_SIZE / 100;
    let bg_ratio = sysctl.dirty_background_ratio * PAGE_SIZE / 100;
    let thresh = match sysctl.dirty_bytes {
        0 => ratio * available / PAGE_SIZE,
        bytes => bytes.div_ceil(PAGE_SIZE),
    };
    let mut bg = match sysctl.dirty_background_bytes {
        0 => bg_ratio * available / PAGE_SIZE,
        bytes => bytes.div_ceil(PAGE_SIZE),
    };
    if bg >= thresh {
        bg = thresh / 2;
    }
    (thresh, bg)
}

impl Vm<'_> {
    /// The node's dirty thresholds now: (thresh, bg_thresh).
    pub fn dirty_thresholds(&self) -> (u64, u64) {
        let file = self.pr.lru.size(super::lru::LruList::InactiveFile, 3)
            + self.pr.lru.size(super::lru::LruList::ActiveFile, 3);
        dirty_limits(
            self.k.node.nr_free_pages(),
            self.k.node.totalreserve_pages(),
            file,
            self.sysctl,
        )
    }

    /// `balance_dirty_pages`: above the background threshold the flusher starts (after
    /// the command); above the hard threshold the writer waits for writeback.
    pub(crate) fn balance_dirty_pages(&mut self, _ino: u32) {
        let (thresh, bg) = self.dirty_thresholds();
        if self.pr.nr_dirty + self.pr.nr_writeback > thresh {
            self.writeback(Some(bg), "throttled writer");
            self.complete_writeback();
        } else if self.pr.nr_dirty > bg {
            self.pr.kswapd.flusher_wanted = true;
        }
    }

    /// The flusher, if reclaim or a writer asked for it: background writeback down to
    /// the background threshold (all dirty pages when reclaim found nothing but dirty
    /// ones).
    pub(crate) fn run_flusher_if_wanted(&mut self) {
        if !std::mem::take(&mut self.pr.kswapd.flusher_wanted) {
            return;
        }
        let (_, bg) = self.dirty_thresholds();
        self.writeback(Some(bg), "background");
    }

    /// `wb_writeback`: submits dirty pages, oldest-dirtied file first, page by page,
    /// until at most `down_to` remain dirty (None: all). Returns pages submitted.
    pub(crate) fn writeback(&mut self, down_to: Option<u64>, reason: &str) -> u64 {
        let mut files: Vec<(u64, u32)> = self
            .pr
            .fs
            .files
            .iter()
            .filter_map(|i| i.dirtied_when.map(|t| (t, i.ino)))
            .collect();
        // Oldest first; inode numbers are in order already.
        crate::vocab::sort::sort_by_key(&mut files, |f| f.0);
        self.writeback_files(files.into_iter().map(|(_, i)| i).collect(), down_to, reason)
    }

    fn writeback_files(&mut self, files: Vec<u32>, down_to: Option<u64>, reason: &str) -> u64 {
        let mut total = 0;
        for ino in files {
            if down_to.is_some_and(|d| self.pr.nr_dirty <= d) {
                break;
            }
            let Some(inode) = self.pr.fs.inode(ino) else {
                continue;
            };
            let pages: Vec<u64> = inode.cached_pages().collect();
            let mut n = 0;
            for p in pages {
                if down_to.is_some_and(|d| self.pr.nr_dirty <= d) {
                    break;
                }
                let Some(f) = self.pr.lru.get_mut(p) else {
                    continue;
                };
                if !f.test(pg::DIRTY) || f.test(pg::WRITEBACK) {
                    continue;
                }
                f.flags = (f.flags & !pg::DIRTY) | pg::WRITEBACK;
                self.pr.nr_dirty -= 1;
                self.pr.nr_writeback += 1;
                self.pr.in_flight.push(p);
                n += 1;
            }
            if let Some(i) = self.pr.fs.inode_mut(ino) {
                i.nr_dirty -= n.min(i.nr_dirty);
                if i.nr_dirty == 0 {
                    i.dirtied_when = None;
                }
            }
            if n > 0 {
                let file = self.file_name(ino);
                let reason = reason.into();
                self.k.trace.push(|| VmscanEvent::WritebackStart {
                    file,
                    pages: n,
                    reason,
                });
            }
            total += n;
        }
        total
    }

    /// Every file write in flight completes (`folio_end_writeback`).
    pub(crate) fn complete_writeback(&mut self) {
        let done = std::mem::take(&mut self.pr.in_flight);
        self.end_writeback(done);
    }

    /// `folio_end_writeback` for each page of `done` (file or swap writes): it is
    /// clean; one reclaim marked `PG_reclaim` goes to the inactive tail
    /// (`folio_rotate_reclaimable`, PGROTATED), where the next scan frees it.
    pub(crate) fn end_writeback(&mut self, done: Vec<u64>) {
        if done.is_empty() {
            return;
        }
        let mut rotated = 0;
        for p in &done {
            // The write belongs to the folio, not the frame: a folio truncated
            // while under writeback is gone, and its frame may hold another folio
            // by now (a new page, or one compaction moved there).
            let Some(f) = self.pr.lru.get_mut(*p).filter(|f| f.test(pg::WRITEBACK)) else {
                continue;
            };
            f.flags &= !pg::WRITEBACK;
            self.pr.nr_writeback -= 1;
            self.pr.stat.nr_written += 1;
            self.pr.stat.pgpgout += 4;
            if f.test(pg::RECLAIM) {
                f.flags &= !(pg::RECLAIM | pg::ACTIVE);
                if f.test(pg::LRU) && !f.test(pg::UNEVICTABLE) {
                    self.pr.lru.move_to_tail(*p);
                    self.pr.stat.pgrotated += 1;
                    rotated += 1;
                }
            }
        }
        let pages = done.len() as u64;
        self.k
            .trace
            .push(|| VmscanEvent::WritebackEnd { pages, rotated });
    }

    /// `sync`: write every dirty page and wait for the disk. Returns pages written.
    pub fn sync(&mut self) -> u64 {
        let n = self.writeback(None, "sync");
        self.complete_writeback();
        n
    }

    /// `wb_check_old_data_flush`, every `dirty_writeback_centisecs`: files dirty for
    /// longer than `dirty_expire_centisecs` are written.
    pub(crate) fn periodic_writeback(&mut self, now: u64) {
        let expire_ms = self.sysctl.dirty_expire_centisecs * 10;
        let old: Vec<u32> = self
            .pr
            .fs
            .files
            .iter()
            .filter(|i| i.dirtied_when.is_some_and(|t| now >= t + expire_ms))
            .map(|i| i.ino)
            .collect();
        if !old.is_empty() {
            self.writeback_files(old, None, "periodic");
        }
    }
}
