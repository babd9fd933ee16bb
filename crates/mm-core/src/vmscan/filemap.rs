//! Files under /data and their page cache (`mm/filemap.c: filemap_read`,
//! `filemap_add_folio`, `folio_mark_accessed`; `mm/readahead.c: page_cache_sync_ra`,
//! `page_cache_async_ra`, `page_cache_ra_unbounded`; `generic_perform_write`).
//!
//! The disk holds files of any content; the model keeps only their sizes, so a read
//! says how many bytes it read. A file's page cache maps page indices to the PFNs
//! caching them, or to the shadow an evicted page left (`workingset_eviction`), which
//! tells a later refault how long the page was gone.

use super::error::FileError;
use super::events::VmscanEvent;
use super::lru::{pg, Folio, LruList, Owner};
use super::slowpath::SlowPathError;
use crate::page_alloc::memmap::PageUse;
use crate::vm::Vm;
use crate::vocab::gfp::{__GFP_NORETRY, __GFP_NOWARN, __GFP_WRITE, GFP_HIGHUSER_MOVABLE};
use crate::vocab::xarray::{XArray, XaEntry};
use crate::vocab::{GfpFlags, Pfn};

pub use super::error::{DISK_BYTES, MAX_FILES, MOUNT};
/// `VM_READAHEAD_PAGES`: the default readahead window, 128 KiB (`bdi->ra_pages`;
/// the disk's `io_pages` is the same, so a read never widens it).
pub const RA_PAGES: u64 = 32;
/// `cat` reads in 128 KiB chunks (coreutils' `io_blksize`).
pub const CAT_CHUNK: u64 = 128 << 10;
/// `mapping_gfp_mask` of a regular file: `GFP_HIGHUSER_MOVABLE`.
pub const GFP_MAPPING: u32 = GFP_HIGHUSER_MOVABLE;

/// One slot of a file's page cache, as its [`XArray`] entry says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheEntry {
    /// The page is cached in this PFN.
    Page(u64),
    /// The page was evicted by reclaim; the workingset clock then read this
    /// (`pack_shadow`), and whether it was in the working set.
    Shadow {
        /// `nonresident_age` at eviction.
        eviction: u64,
        /// `PG_workingset` at eviction.
        workingset: bool,
    },
}

impl CacheEntry {
    /// The xarray entry: the folio, or the shadow as a value entry with the
    /// workingset bit lowest (`pack_shadow`).
    pub fn to_xa(self) -> XaEntry {
        match self {
            CacheEntry::Page(pfn) => XaEntry::Folio(pfn),
            CacheEntry::Shadow {
                eviction,
                workingset,
            } => XaEntry::Value((eviction << 1) | u64::from(workingset)),
        }
    }

    /// Back from the xarray (`unpack_shadow`).
    pub fn from_xa(e: XaEntry) -> CacheEntry {
        match e {
            XaEntry::Folio(pfn) => CacheEntry::Page(pfn),
            XaEntry::Value(v) => CacheEntry::Shadow {
                eviction: v >> 1,
                workingset: v & 1 == 1,
            },
        }
    }
}

/// An inode on the disk.
#[derive(Clone, Debug)]
pub struct Inode {
    /// Its inode number.
    pub ino: u32,
    /// Its path (`/data/NAME`).
    pub path: String,
    /// `i_size`, bytes.
    pub size: u64,
    /// The page cache (`i_pages`): index to page or shadow.
    pub pages: XArray,
    /// `mapping->nrpages`.
    pub nrpages: u64,
    /// Dirty pages of this file.
    pub nr_dirty: u64,
    /// `inode->dirtied_when` (ms), while it has dirty pages.
    pub dirtied_when: Option<u64>,
    /// Removed while mapped: no name any more (its path reads `... (deleted)`), kept
    /// with its pages until the last mapping goes (`iput` → `evict`).
    pub unlinked: bool,
}

impl Inode {
    /// The PFN caching page `index`, if any.
    pub fn page(&self, index: u64) -> Option<u64> {
        match self.pages.load(index) {
            Some(XaEntry::Folio(p)) => Some(p),
            _ => None,
        }
    }

    /// The PFNs caching its pages, in index order.
    pub fn cached_pages(&self) -> impl Iterator<Item = u64> + '_ {
        self.pages.iter().filter_map(|(_, e)| match e {
            XaEntry::Folio(p) => Some(p),
            XaEntry::Value(_) => None,
        })
    }

    /// The slot of page `index`: a page, a shadow, or nothing.
    pub fn entry(&self, index: u64) -> Option<CacheEntry> {
        self.pages.load(index).map(CacheEntry::from_xa)
    }

    /// `page_cache_prev_miss(index, max)`: scanning down from `index`, the first slot
    /// without a page (`u64::MAX` past zero; the last one scanned if all are cached).
    fn prev_miss(&self, index: u64, max: u64) -> u64 {
        let mut i = index;
        for _ in 0..max {
            if self.page(i).is_none() {
                return i;
            }
            if i == 0 {
                return u64::MAX;
            }
            i -= 1;
        }
        i + 1
    }

    /// `page_cache_next_miss(index, max)`.
    fn next_miss(&self, index: u64, max: u64) -> u64 {
        (index..index + max)
            .find(|i| self.page(*i).is_none())
            .unwrap_or(index + max)
    }
}

/// The filesystem on the disk.
#[derive(Clone, Debug, Default)]
pub struct Fs {
    /// The inodes, by increasing number (at most [`MAX_FILES`]).
    pub files: Vec<Inode>,
    /// The last inode number handed out.
    pub last_ino: u32,
}

impl Fs {
    /// The inode at `path`.
    pub fn lookup(&self, path: &str) -> Option<&Inode> {
        self.files.iter().find(|i| i.path == path)
    }

    /// The file at `path`, which must name one under /data: (inode number, size).
    pub fn open(&self, path: &str) -> Result<(u32, u64), FileError> {
        Fs::check_path(path)?;
        self.lookup(path)
            .map(|i| (i.ino, i.size))
            .ok_or_else(|| FileError::NoSuchFile(path.to_string()))
    }

    /// The inode numbered `ino`.
    pub fn inode(&self, ino: u32) -> Option<&Inode> {
        let at = self.files.binary_search_by_key(&ino, |i| i.ino).ok()?;
        self.files.get(at)
    }

    /// The inode numbered `ino`, to change.
    pub fn inode_mut(&mut self, ino: u32) -> Option<&mut Inode> {
        let at = self.files.binary_search_by_key(&ino, |i| i.ino).ok()?;
        self.files.get_mut(at)
    }

    /// Bytes the files occupy.
    pub fn used(&self) -> u64 {
        self.files
            .iter()
            .map(|i| i.size.div_ceil(4096) * 4096)
            .sum()
    }

    /// Pages in the page cache, all files (`NR_FILE_PAGES` without swap cache).
    pub fn nr_file_pages(&self) -> u64 {
        self.files.iter().map(|i| i.nrpages).sum()
    }

    /// Checks a path names a file under /data: `/data/NAME`, NAME of 1..=64
    /// characters from `[A-Za-z0-9._-]`, not `.` or `..`.
    pub fn check_path(path: &str) -> Result<(), FileError> {
        let name = path
            .strip_prefix(MOUNT)
            .and_then(|r| r.strip_prefix('/'))
            .ok_or_else(|| FileError::NotOnDisk(path.to_string()))?;
        let ok = !name.is_empty()
            && name.len() <= 64
            && name != "."
            && name != ".."
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if ok {
            Ok(())
        } else {
            Err(FileError::BadName(path.to_string()))
        }
    }
}

/// `struct file_ra_state`: one open file's readahead window.
#[derive(Clone, Copy, Debug)]
pub struct RaState {
    /// `start`.
    pub start: u64,
    /// `size`.
    pub size: u64,
    /// `async_size`.
    pub async_size: u64,
    /// `prev_pos`: the byte after the last read (-1 when fresh).
    pub prev_pos: i64,
}

impl Default for RaState {
    fn default() -> Self {
        RaState {
            start: 0,
            size: 0,
            async_size: 0,
            prev_pos: -1,
        }
    }
}

/// `get_init_ra_size(size, max)`: the first window, from the request.
pub fn get_init_ra_size(size: u64, max: u64) -> u64 {
    let newsize = size.max(1).next_power_of_two();
    if newsize <= max / 32 {
        newsize * 4
    } else if newsize <= max / 4 {
        newsize * 2
    } else {
        max
    }
}

/// `get_next_ra_size(ra, max)`: the window after `cur`.
pub fn get_next_ra_size(cur: u64, max: u64) -> u64 {
    if cur < max / 16 {
        4 * cur
    } else if cur <= max / 2 {
        2 * cur
    } else {
        max
    }
}

/// What a read or write did, for its output line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IoResult {
    /// Bytes moved.
    pub bytes: u64,
    /// Pages read from the disk.
    pub pages_read: u64,
}

impl Vm<'_> {
    /// The path of an inode, for narration.
    pub(crate) fn file_name(&self, ino: u32) -> Box<str> {
        self.pr
            .fs
            .inode(ino)
            .map_or_else(|| "?".into(), |i| i.path.as_str().into())
    }

    /// `fallocate -l SIZE PATH`: creates the file (or grows it) with blocks reserved.
    pub fn fallocate(&mut self, path: &str, size: u64) -> Result<u32, FileError> {
        Fs::check_path(path)?;
        let existing = self.pr.fs.lookup(path).map(|i| (i.ino, i.size));
        let grow = match existing {
            Some((_, old)) => size.div_ceil(4096).saturating_sub(old.div_ceil(4096)) * 4096,
            None => size.div_ceil(4096) * 4096,
        };
        if self.pr.fs.used() + grow > DISK_BYTES {
            return Err(FileError::NoSpace);
        }
        if let Some((ino, old)) = existing {
            if let Some(i) = self.pr.fs.inode_mut(ino) {
                i.size = old.max(size);
            }
            return Ok(ino);
        }
        if self.pr.fs.files.len() >= MAX_FILES {
            return Err(FileError::TooManyFiles);
        }
        self.pr.fs.last_ino += 1;
        let ino = self.pr.fs.last_ino;
        // Numbers only grow, so pushing keeps `files` sorted.
        self.pr.fs.files.push(Inode {
            ino,
            path: path.to_string(),
            size,
            pages: XArray::new(),
            nrpages: 0,
            nr_dirty: 0,
            dirtied_when: None,
            unlinked: false,
        });
        Ok(ino)
    }

    /// `filemap_read` of `[pos, pos + count)` through `ra` (one open file's readahead
    /// state): readahead on a miss and at PG_readahead pages, a folio made by itself
    /// if readahead could not, `folio_mark_accessed` on each page but a first one the
    /// previous read ended in.
    pub fn filemap_read(
        &mut self,
        ino: u32,
        pos: u64,
        count: u64,
        ra: &mut RaState,
    ) -> Result<IoResult, SlowPathError> {
        let size = self.pr.fs.inode(ino).map_or(0, |i| i.size);
        if pos >= size || count == 0 {
            return Ok(IoResult::default());
        }
        let end = (pos + count).min(size);
        let last_index = end.div_ceil(4096);
        let mut res = IoResult {
            bytes: end - pos,
            pages_read: 0,
        };
        let prev_page = if ra.prev_pos > 0 {
            Some((ra.prev_pos as u64 - 1) >> 12)
        } else {
            None
        };
        let mut index = pos >> 12;
        while index < last_index {
            self.kswapd_turn();
            if self.cached(ino, index).is_none() {
                res.pages_read += self.page_cache_sync_ra(ino, index, last_index - index, ra);
                if self.cached(ino, index).is_none() {
                    // filemap_create_folio: the one page, with the mapping's own
                    // flags (the full slow path: this read may reclaim or OOM-kill).
                    self.add_cache_page(ino, index, GfpFlags(GFP_MAPPING), false)?;
                    res.pages_read += 1;
                }
            }
            let Some(pfn) = self.cached(ino, index) else {
                break;
            };
            if self.pr.lru.get(pfn).is_some_and(|f| f.test(pg::READAHEAD)) {
                if let Some(f) = self.pr.lru.get_mut(pfn) {
                    f.flags &= !pg::READAHEAD;
                }
                res.pages_read += self.page_cache_async_ra(ino, index, last_index - index, ra);
            }
            let first = index == pos >> 12;
            if !(first && prev_page == Some(index)) {
                self.folio_mark_accessed(pfn);
            }
            index += 1;
        }
        ra.prev_pos = end as i64;
        self.pr.stat.pgpgin += res.pages_read * 4;
        Ok(res)
    }

    /// The PFN caching page `index` of a file.
    pub(crate) fn cached(&self, ino: u32, index: u64) -> Option<u64> {
        self.pr.fs.inode(ino).and_then(|i| i.page(index))
    }

    /// `page_cache_sync_ra`: a miss at `index` wanting `req` pages. Returns pages read.
    fn page_cache_sync_ra(&mut self, ino: u32, index: u64, req: u64, ra: &mut RaState) -> u64 {
        let max = RA_PAGES;
        let prev_index = (ra.prev_pos as u64) >> 12;
        let fresh = index == 0 || req > max || index.wrapping_sub(prev_index) <= 1;
        if !fresh {
            let Some(inode) = self.pr.fs.inode(ino) else {
                return 0;
            };
            let miss = inode.prev_miss(index - 1, max);
            let mut contig = index.wrapping_sub(miss).wrapping_sub(1);
            if contig <= req {
                // Random access: read just what was asked.
                return self.do_page_cache_ra(ino, index, req, 0);
            }
            if miss == u64::MAX {
                contig *= 2;
            }
            ra.start = index;
            ra.size = (contig + req).min(max);
            ra.async_size = 1;
        } else {
            ra.start = index;
            ra.size = get_init_ra_size(req, max);
            ra.async_size = if ra.size > req {
                ra.size - req
            } else {
                ra.size >> 1
            };
        }
        let (file, start, size, async_size) =
            (self.file_name(ino), ra.start, ra.size, ra.async_size);
        self.k.trace.push(|| VmscanEvent::ReadaheadSync {
            file,
            index,
            req,
            start,
            size,
            async_size,
        });
        self.do_page_cache_ra(ino, ra.start, ra.size, ra.async_size)
    }

    /// `page_cache_async_ra`: the read reached a PG_readahead page at `index`.
    pub(crate) fn page_cache_async_ra(
        &mut self,
        ino: u32,
        index: u64,
        req: u64,
        ra: &mut RaState,
    ) -> u64 {
        let max = RA_PAGES;
        let expected = ra.start + ra.size - ra.async_size;
        if index == expected {
            ra.start += ra.size;
            ra.size = ra.size.max(get_next_ra_size(ra.size, max));
        } else {
            let Some(inode) = self.pr.fs.inode(ino) else {
                return 0;
            };
            let start = inode.next_miss(index + 1, max);
            if start == 0 || start - index > max {
                return 0;
            }
            ra.start = start;
            ra.size = get_next_ra_size(start - index + req, max);
        }
        // Order-0 folios: the alignment step (`ra->order += 2`) trims nothing
        // while the window stays a multiple of the alignment; do it as the kernel does.
        let align = 1u64 << 2u32.min(max.trailing_zeros());
        let end = ra.start + ra.size;
        let aligned_end = end / align * align;
        if aligned_end > ra.start {
            ra.size -= end - aligned_end;
        }
        ra.async_size = ra.size;
        let (file, start, size) = (self.file_name(ino), ra.start, ra.size);
        self.k.trace.push(|| VmscanEvent::ReadaheadAsync {
            file,
            index,
            start,
            size,
        });
        self.do_page_cache_ra(ino, ra.start, ra.size, ra.async_size)
    }

    /// The read-around of a fault on a mapped file (`page_cache_ra_order` from
    /// `do_sync_mmap_readahead`). Returns pages read.
    pub(crate) fn mmap_readahead(&mut self, ino: u32, start: u64, nr: u64, lookahead: u64) -> u64 {
        self.do_page_cache_ra(ino, start, nr, lookahead)
    }

    /// `do_page_cache_ra` + `page_cache_ra_unbounded`: clip to the end of the file,
    /// add the missing pages (`readahead_gfp_mask`: no retry, no warning, and under
    /// `memalloc_nofs_save`), flag the first of the last `lookahead` pages
    /// PG_readahead, stop at the first allocation that fails. Returns pages read.
    fn do_page_cache_ra(&mut self, ino: u32, index: u64, nr: u64, lookahead: u64) -> u64 {
        let Some(size) = self.pr.fs.inode(ino).map(|i| i.size) else {
            return 0;
        };
        if size == 0 {
            return 0;
        }
        let end_index = (size - 1) >> 12;
        if index > end_index {
            return 0;
        }
        let nr = nr.min(end_index - index + 1);
        let mark = if lookahead <= nr {
            nr - lookahead
        } else {
            u64::MAX
        };
        let gfp =
            GfpFlags((GFP_MAPPING | __GFP_NORETRY | __GFP_NOWARN) & !crate::vocab::gfp::__GFP_FS);
        let mut read = 0;
        for i in 0..nr {
            if self.cached(ino, index + i).is_some() {
                continue;
            }
            match self.add_cache_page(ino, index + i, gfp, i == mark) {
                Ok(_) => read += 1,
                Err(_) => break,
            }
        }
        read
    }

    /// Allocates a page for page `index` of a file and adds it to the page cache and
    /// the LRU (`filemap_add_folio`: refault detection from the slot's shadow, then
    /// `folio_add_lru`). `readahead` sets PG_readahead.
    pub(crate) fn add_cache_page(
        &mut self,
        ino: u32,
        index: u64,
        gfp: GfpFlags,
        readahead: bool,
    ) -> Result<u64, SlowPathError> {
        let (zone, pfn) = self.alloc_pages_slowpath(0, gfp, PageUse::File, None)?;
        let pfn = pfn.0;
        let Some(inode) = self.pr.fs.inode_mut(ino) else {
            self.k.free_page(pfn);
            return Err(SlowPathError::Gone);
        };
        let old = inode
            .pages
            .store(index, XaEntry::Folio(pfn))
            .map(CacheEntry::from_xa);
        inode.nrpages += 1;
        let path = inode.path.as_str();
        self.k.trace.push(|| VmscanEvent::CacheAdd {
            file: path.into(),
            index,
            pfn: Pfn(pfn),
        });
        let mut flags = 0;
        if readahead {
            flags |= pg::READAHEAD;
        }
        if let Some(CacheEntry::Shadow {
            eviction,
            workingset,
        }) = old
        {
            if !gfp.has(__GFP_WRITE) {
                flags |= self.workingset_refault(eviction, workingset, true);
            }
        }
        let lru = self
            .pr
            .lru
            .add(pfn, Folio::new(Owner::File { ino, index }, zone, flags));
        self.k
            .trace
            .push(|| VmscanEvent::LruAdd { pfn: Pfn(pfn), lru });
        Ok(pfn)
    }

    /// `workingset_refault`: a page comes back to the slot it was evicted from. If it
    /// was gone for less time (evictions and activations since) than the working set
    /// could hold, it comes back active. Returns the flags to start with.
    pub(crate) fn workingset_refault(
        &mut self,
        eviction: u64,
        workingset: bool,
        file: bool,
    ) -> u16 {
        let t = usize::from(file);
        self.pr.stat.workingset_refault[t] += 1;
        let distance = self.pr.nonresident_age.wrapping_sub(eviction);
        let l = &self.pr.lru;
        let all = crate::vocab::MAX_NR_ZONES - 1;
        // The anon lists count only while swap has room (a file page could then
        // displace anon, and an anon page file).
        let swap = self.pr.swap.as_ref().is_some_and(|s| s.nr_swap_pages() > 0);
        let ws = if file {
            let anon = l.size(LruList::InactiveAnon, all) + l.size(LruList::ActiveAnon, all);
            l.size(LruList::ActiveFile, all) + if swap { anon } else { 0 }
        } else {
            l.size(LruList::InactiveFile, all)
                + l.size(LruList::ActiveFile, all)
                + if swap {
                    l.size(LruList::ActiveAnon, all)
                } else {
                    0
                }
        };
        if distance > ws {
            return 0;
        }
        self.pr.nonresident_age += 1;
        self.pr.stat.workingset_activate[t] += 1;
        let mut flags = pg::ACTIVE;
        if workingset {
            flags |= pg::WORKINGSET;
            self.pr.stat.workingset_restore[t] += 1;
            if file {
                self.pr.file_cost += 32;
            } else {
                self.pr.anon_cost += 32;
            }
        }
        flags
    }

    /// `folio_mark_accessed`: inactive and unreferenced → referenced; inactive and
    /// referenced → active (`folio_activate`, PGACTIVATE, `workingset_activation`);
    /// active → referenced.
    pub(crate) fn folio_mark_accessed(&mut self, pfn: u64) {
        let Some(f) = self.pr.lru.get_mut(pfn) else {
            return;
        };
        if f.test(pg::UNEVICTABLE) {
            return;
        }
        if !f.test(pg::ACTIVE) && f.test(pg::REFERENCED) {
            f.flags = (f.flags | pg::ACTIVE) & !pg::REFERENCED;
            let on_lru = f.test(pg::LRU);
            if on_lru {
                let lru = self.pr.lru.move_to_head(pfn).unwrap_or(LruList::ActiveFile);
                self.pr.stat.pgactivate += 1;
                self.k
                    .trace
                    .push(|| VmscanEvent::Activate { pfn: Pfn(pfn), lru });
            }
            self.pr.nonresident_age += 1;
        } else if !f.test(pg::REFERENCED) {
            f.flags |= pg::REFERENCED;
        }
    }

    /// A write of `[pos, pos + count)` (`generic_perform_write`): each page found or
    /// created (`__GFP_WRITE`: no refault activation), then dirtied; the file grows.
    /// Afterwards `balance_dirty_pages_ratelimited` may start background writeback.
    pub fn filemap_write(
        &mut self,
        ino: u32,
        pos: u64,
        count: u64,
    ) -> Result<IoResult, SlowPathError> {
        if count == 0 {
            return Ok(IoResult::default());
        }
        let end = pos + count;
        let mut dirtied = 0;
        for index in pos >> 12..end.div_ceil(4096) {
            self.kswapd_turn();
            let pfn = match self.cached(ino, index) {
                Some(p) => p,
                None => {
                    self.add_cache_page(ino, index, GfpFlags(GFP_MAPPING | __GFP_WRITE), false)?
                }
            };
            if let Some(i) = self.pr.fs.inode_mut(ino) {
                i.size = i.size.max(((index + 1) << 12).min(end));
            }
            if self.folio_mark_dirty(ino, pfn) {
                dirtied += 1;
            }
        }
        if dirtied > 0 {
            let (file, dirty) = (self.file_name(ino), self.pr.nr_dirty);
            self.k.trace.push(|| VmscanEvent::Dirtied {
                file,
                pages: dirtied,
                dirty,
            });
        }
        self.balance_dirty_pages(ino);
        Ok(IoResult {
            bytes: count,
            pages_read: 0,
        })
    }

    /// `filemap_dirty_folio` + `folio_account_dirtied`. Returns whether the page was
    /// clean before.
    pub(crate) fn folio_mark_dirty(&mut self, ino: u32, pfn: u64) -> bool {
        let now = self.k.now_ms();
        let Some(f) = self.pr.lru.get_mut(pfn) else {
            return false;
        };
        if f.test(pg::DIRTY) {
            return false;
        }
        f.flags |= pg::DIRTY;
        self.pr.nr_dirty += 1;
        self.pr.stat.nr_dirtied += 1;
        if let Some(i) = self.pr.fs.inode_mut(ino) {
            i.nr_dirty += 1;
            i.dirtied_when.get_or_insert(now);
        }
        true
    }

    /// Removes a cached page from its file and the LRU and frees it
    /// (`__filemap_remove_folio`, `filemap_free_folio`). `shadow` is what the slot
    /// keeps (reclaim leaves one; truncation and drop_caches do not).
    pub(crate) fn remove_cache_page(&mut self, pfn: u64, shadow: Option<CacheEntry>) {
        let Some(folio) = self.pr.lru.remove(pfn) else {
            return;
        };
        let Owner::File { ino, index } = folio.owner else {
            return;
        };
        if folio.test(pg::DIRTY) {
            self.pr.nr_dirty -= 1;
        }
        if folio.test(pg::WRITEBACK) {
            self.pr.nr_writeback -= 1;
        }
        if let Some(i) = self.pr.fs.inode_mut(ino) {
            match shadow {
                Some(s) => {
                    i.pages.store(index, s.to_xa());
                }
                None => {
                    i.pages.erase(index);
                }
            }
            i.nrpages -= 1;
            if folio.test(pg::DIRTY) {
                i.nr_dirty -= 1;
                if i.nr_dirty == 0 {
                    i.dirtied_when = None;
                }
            }
        }
        let path = self.pr.fs.inode(ino).map_or("?", |i| i.path.as_str());
        self.k.trace.push(|| VmscanEvent::CacheDelete {
            file: path.into(),
            index,
            pfn: Pfn(pfn),
        });
        self.k.free_page(pfn);
    }

    /// `rm PATH`: truncates the page cache (dirty pages are simply dropped, as
    /// `truncate_inode_pages` does) and removes the file.
    pub fn unlink(&mut self, path: &str) -> Result<u64, FileError> {
        let (ino, _) = self.pr.fs.open(path)?;
        if self.file_mapped_by_any(ino) {
            // The name goes; the inode and its page cache stay while mapped, and
            // /proc/PID/maps shows the mapping as deleted.
            let deleted = format!("{path} (deleted)");
            if let Some(i) = self.pr.fs.inode_mut(ino) {
                i.path = deleted.clone();
                i.unlinked = true;
            }
            for t in self.vmm.tasks.values_mut() {
                for v in t.mm.vmas.values_mut() {
                    if v.backing == crate::vm::mm::Backing::File(ino) {
                        v.name = deleted.clone();
                    }
                }
            }
            return Ok(0);
        }
        Ok(self.evict_inode(ino))
    }

    /// Whether some VMA maps the file (`mapping_mapped`).
    pub(crate) fn file_mapped_by_any(&self, ino: u32) -> bool {
        self.vmm.tasks.values().any(|t| {
            t.mm.vmas
                .values()
                .any(|v| v.backing == crate::vm::mm::Backing::File(ino))
        })
    }

    /// The last mapping of a file removed while mapped is gone: its pages and the
    /// inode go too (`iput_final` → `evict` → `truncate_inode_pages_final`).
    pub(crate) fn release_file(&mut self, ino: u32) {
        let unlinked = self.pr.fs.inode(ino).is_some_and(|i| i.unlinked);
        if unlinked && !self.file_mapped_by_any(ino) {
            self.evict_inode(ino);
        }
    }

    /// Truncates a file's page cache (dirty pages are dropped) and forgets the inode.
    /// Returns the pages dropped.
    fn evict_inode(&mut self, ino: u32) -> u64 {
        let pages: Vec<u64> = self
            .pr
            .fs
            .inode(ino)
            .map_or_else(Vec::new, |i| i.cached_pages().collect());
        let n = pages.len() as u64;
        for p in pages {
            self.remove_cache_page(p, None);
        }
        self.pr.fs.files.retain(|i| i.ino != ino);
        n
    }

    /// `drop_caches`: `&1` invalidates every clean, unwritten, unlocked cached page
    /// (`invalidate_mapping_pages`: no shadows); `&2` would shrink slab caches (no
    /// shrinkers in this model). Returns pages dropped.
    pub fn drop_caches(&mut self, value: u8) -> u64 {
        let mut dropped = 0;
        if value & 1 != 0 {
            let pages: Vec<u64> = self
                .pr
                .fs
                .files
                .iter()
                .flat_map(Inode::cached_pages)
                .collect();
            for p in pages {
                // invalidate_mapping_pages leaves mapped folios alone.
                let busy = self.vmm.file_mapped.contains_key(&p)
                    || self
                        .pr
                        .lru
                        .get(p)
                        .is_some_and(|f| f.test(pg::DIRTY) || f.test(pg::WRITEBACK));
                if !busy {
                    self.remove_cache_page(p, None);
                    dropped += 1;
                }
            }
            self.pr.stat.drop_pagecache += 1;
        }
        if value & 2 != 0 {
            self.pr.stat.drop_slab += 1;
        }
        self.k
            .trace
            .push(|| VmscanEvent::DropCaches { value, dropped });
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get_init_ra_size` with max 32: 1–2 pages → 4, 3–4 → 8, 5–8 → 16, more → 32.
    #[test]
    fn the_first_window_grows_with_the_request() {
        assert_eq!(get_init_ra_size(1, 32), 4);
        assert_eq!(get_init_ra_size(2, 32), 4);
        assert_eq!(get_init_ra_size(3, 32), 8);
        assert_eq!(get_init_ra_size(5, 32), 16);
        assert_eq!(get_init_ra_size(8, 32), 16);
        assert_eq!(get_init_ra_size(9, 32), 32);
        assert_eq!(get_init_ra_size(32, 32), 32);
        assert_eq!(get_next_ra_size(4, 32), 8);
        assert_eq!(get_next_ra_size(8, 32), 16);
        assert_eq!(get_next_ra_size(16, 32), 32);
    }

    #[test]
    fn paths_must_name_a_file_on_the_disk() {
        assert!(Fs::check_path("/data/log.1").is_ok());
        assert!(Fs::check_path("/data/").is_err());
        assert!(Fs::check_path("/data/..").is_err());
        assert!(Fs::check_path("/data/a/b").is_err());
        assert!(Fs::check_path("/tmp/x").is_err());
    }
}
