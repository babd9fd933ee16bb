//! A machine shaped like a /proc snapshot: RAM sized so that `MemTotal` is the
//! snapshot's, its swap, its commit charge and `vm.*` tunables, and then, zone by
//! zone, the pageblocks' migrate types and an arrangement of free blocks that
//! reproduces buddyinfo's and pagetypeinfo's counts exactly.
//!
//! The free blocks are laid out so that no two free buddies of the same order exist
//! (the kernel's `__free_one_page` would have merged them): each block goes to the
//! first aligned place, in a pageblock of its migrate type, whose pages are all
//! available and whose buddy is not itself a free block of that order. Every page
//! not laid out free, and not already used by the sandbox's own boot, becomes an
//! allocated kernel block: the snapshot says how much is used, not by whom.

use super::proc::{Counts, Snapshot};
use crate::machine::Machine;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::{
    MigrateType, Pfn, ZoneType, MAX_PAGE_ORDER, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER,
};

/// The machine, and what it reproduces.
pub struct ProcMachine {
    /// The machine, ready for commands.
    pub machine: Machine,
    /// The `boot` line it started from.
    pub boot: String,
    /// What it reproduces exactly, and what only approximately, each in a line.
    pub notes: Vec<String>,
}

/// The sandbox reserves the first megabyte (256 pages) at boot; managed pages are
/// the rest, so `MemTotal` = (mem - 1M) / 1K kB.
const RESERVED_KB: u64 = 1024;

/// Migrate types in the order pageblocks are handed out when the counts are set:
/// the rarer types low in the zone, Movable for the rest.
const ASSIGN_ORDER: [MigrateType; 4] = [
    MigrateType::Unmovable,
    MigrateType::Reclaimable,
    MigrateType::HighAtomic,
    MigrateType::Movable,
];

impl Snapshot {
    /// The `boot` line of a machine with this snapshot's MemTotal and SwapTotal.
    pub fn boot_line(&self) -> Result<String, Vec<String>> {
        use crate::boot::{MAX_MEM, MAX_SWAP, MIN_MEM};
        // A pasted file's numbers may be anything: the arithmetic saturates.
        let total = self.mem("MemTotal").unwrap_or(0);
        let mem = total.saturating_add(RESERVED_KB).saturating_mul(1024);
        let mut why = Vec::new();
        if !(MIN_MEM..=MAX_MEM).contains(&mem) {
            why.push(format!(
                "MemTotal {total} kB needs {} MiB of RAM (mm-sandbox boots {} to {} MiB)",
                mem >> 20,
                MIN_MEM >> 20,
                MAX_MEM >> 20
            ));
        }
        // A swap area's first page is its header: SwapTotal is one page less.
        let swap = self.mem("SwapTotal").unwrap_or(0);
        let swap_line = if swap > 0 {
            if swap.saturating_add(4).saturating_mul(1024) > MAX_SWAP {
                why.push(format!(
                    "SwapTotal {swap} kB (mm-sandbox takes at most {} MiB)",
                    MAX_SWAP >> 20
                ));
            }
            format!(" swap={}K", swap.saturating_add(4))
        } else {
            String::new()
        };
        if !why.is_empty() {
            return Err(why);
        }
        // zoneinfo's CPUs, within the sandbox's range (slab geometry counts them).
        let cpus = match self.cpus {
            Some(n) if (1..=crate::boot::MAX_CPUS).contains(&n) => format!(" cpus={n}"),
            _ => String::new(),
        };
        Ok(format!("boot mem={}K{cpus}{swap_line}", mem >> 10))
    }

    /// Boots the machine and shapes it like the snapshot.
    pub fn machine(&self) -> Result<ProcMachine, Vec<String>> {
        // Slab pages first, where the allocator puts them, then the layout around
        // them; if that misses the snapshot's free blocks or pageblocks, the layout
        // first and the slab pages inside the memory it holds used, and the closer of
        // the two (neither is right for every snapshot).
        let (first, missed) = self.build(false)?;
        if missed == 0 {
            return Ok(first);
        }
        Ok(match self.build(true) {
            Ok((second, again)) if again < missed => second,
            _ => first,
        })
    }

    /// [`Snapshot::machine`], with the slab caches recreated before the layout or
    /// after it; and how far its free blocks and pageblocks are from the snapshot's.
    fn build(&self, slabs_last: bool) -> Result<(ProcMachine, u64), Vec<String>> {
        let boot = self.boot_line()?;
        let mut m = Machine::default();
        m.set_recording(false);
        let out = m.run(&boot);
        if !out.ok {
            return Err(vec![out.output.trim().to_string()]);
        }
        let mut notes = vec![format!(
            "MemTotal and SwapTotal exactly: `{boot}` (one range of RAM from address 0, \
             its first MiB reserved)"
        )];
        match self.cpus {
            Some(n) if n <= crate::boot::MAX_CPUS => notes.push(format!(
                "{n} CPU(s), as zoneinfo's pagesets list them (the slab caches' geometry \
                 counts them, as calculate_order does)"
            )),
            Some(n) => notes.push(format!(
                "zoneinfo lists {n} CPUs: mm-sandbox boots at most {}, so the default 2 \
                 (the slab caches' geometry may differ)",
                crate::boot::MAX_CPUS
            )),
            None => {}
        }
        self.charge_commit(&mut m, &mut notes);
        let mut slab_notes = Vec::new();
        if !slabs_last {
            self.recreate_slabs(&mut m, &mut slab_notes);
        }
        let slab_at = notes.len();
        for (name, value) in &self.sysctls {
            if let Err(e) = m.sysctl_write(name, value) {
                notes.push(format!("vm.{name} = {value} left out: {e}"));
            }
        }
        if !self.sysctls.is_empty() {
            notes.push("the vm.* tunables the sandbox has, as given".into());
        }
        m.drain_all_pages();
        let mut kernel = Vec::new();
        for z in &self.zones {
            let Some(zt) = ZoneType::ALL.into_iter().find(|t| t.name() == z.name) else {
                continue;
            };
            if !m.k.node.zone(zt).populated() {
                notes.push(format!(
                    "zone {} left out: this machine's RAM ends before it",
                    z.name
                ));
                continue;
            }
            notes.push(lay_out_zone(&mut m, zt, z, &mut kernel));
        }
        if slabs_last {
            slabs_into_used(&mut m, kernel, |m| self.recreate_slabs(m, &mut slab_notes));
        }
        notes.splice(slab_at..slab_at, slab_notes);
        if self
            .zones
            .iter()
            .any(|z| z.buddy.is_some() || z.by_type.is_some())
        {
            notes.push(
                "used memory is held as allocated kernel blocks: the snapshot says how \
                 much is used, not by which process or cache"
                    .into(),
            );
        }
        m.check_invariants()
            .map_err(|e| vec![format!("the imported machine breaks an invariant: {e}")])?;
        let missed = self.missed(&m);
        Ok((
            ProcMachine {
                machine: m,
                boot,
                notes,
            },
            missed,
        ))
    }

    /// How far the machine's free blocks (per order and migrate type) and pageblocks
    /// (per type) are from the snapshot's: the sum of the differences.
    fn missed(&self, m: &Machine) -> u64 {
        let node = &m.k.node;
        let mut missed = 0;
        for z in &self.zones {
            let Some(zt) = ZoneType::ALL.into_iter().find(|t| t.name() == z.name) else {
                continue;
            };
            let zone = node.zone(zt);
            if !zone.populated() {
                continue;
            }
            let mut have = [[0u64; 11]; 4];
            for (t, mt) in MigrateType::ALL.iter().enumerate().take(4) {
                for (o, area) in zone.free_area.iter().enumerate() {
                    have[t][o] = area.free_list[mt.idx()].len;
                }
            }
            let all = |c: &[Counts; 4]| -> Counts {
                let mut s = [0; 11];
                for row in c {
                    for (o, n) in row.iter().enumerate() {
                        s[o] += n;
                    }
                }
                s
            };
            let pairs: Vec<(Counts, Counts)> = match (z.by_type, z.buddy) {
                (Some(t), _) => t.iter().copied().zip(have.iter().copied()).collect(),
                (None, Some(b)) => vec![(b, all(&have))],
                (None, None) => Vec::new(),
            };
            for (want, got) in pairs {
                missed += want
                    .iter()
                    .zip(&got)
                    .map(|(w, g)| w.abs_diff(*g))
                    .sum::<u64>();
            }
            if let Some(blocks) = z.blocks {
                let (start, end) = (zone.start_pfn, zone.end_pfn());
                let mut count = [0u64; 4];
                let mut pb = start.div_ceil(PAGEBLOCK_NR_PAGES) * PAGEBLOCK_NR_PAGES;
                while pb < end {
                    if let Some(i) = MigrateType::ALL
                        .iter()
                        .take(4)
                        .position(|&t| t == node.mem.pageblock_mt(Pfn(pb)))
                    {
                        count[i] += 1;
                    }
                    pb += PAGEBLOCK_NR_PAGES;
                }
                missed += blocks
                    .iter()
                    .zip(&count)
                    .map(|(w, g)| w.abs_diff(*g))
                    .sum::<u64>();
            }
        }
        missed
    }

    /// slabinfo's caches: each the sandbox lacks is created with the object size the
    /// file gives (reclaimable by its name, [`reclaim_flags`]), and each gets objects until it has the file's active ones (slabs
    /// filled in order, so a cache the sandbox lays out as the kernel did, same
    /// objects per slab, comes back with the same line). Within the RAM.
    fn recreate_slabs(&self, m: &mut Machine, notes: &mut Vec<String>) {
        if self.slabs.is_empty() {
            return;
        }
        let ram = m.k.totalram_pages() << 12;
        let mut budget = ram / 2;
        let mut objects = crate::limits::IMPORT_SLAB_OBJECTS;
        let (mut same_geometry, mut other_geometry, mut short) = (0, Vec::new(), Vec::new());
        // The oldest first, but the caches of caches last: every cache created here
        // adds a kmem_cache and a kmem_cache_node object of its own, so their counts
        // are only right once the others exist (before, their objects would be
        // allocated on top of those).
        let meta =
            |r: &&super::proc::SlabRow| r.name == "kmem_cache" || r.name == "kmem_cache_node";
        let rows = self.slabs.iter().rev();
        for row in rows.clone().filter(|r| !meta(r)).chain(rows.filter(meta)) {
            let Ok(size) = u32::try_from(row.objsize) else {
                short.push(row.name.clone());
                continue;
            };
            let id = match m.slub.find(&row.name) {
                Some(id) => id,
                None => match m.slub.kmem_cache_create(
                    &mut m.k,
                    &row.name,
                    size,
                    0,
                    reclaim_flags(&row.name),
                ) {
                    Ok(id) => id,
                    Err(_) => {
                        short.push(row.name.clone());
                        continue;
                    }
                },
            };
            let Some(c) = m.slub.cache(id) else { continue };
            if u64::from(c.objects) == row.objperslab && 1u64 << c.order == row.pagesperslab {
                same_geometry += 1;
            } else {
                other_geometry.push(row.name.clone());
            }
            let have = c.active_objs();
            // Half the RAM at most in slab objects, and IMPORT_SLAB_OBJECTS in all: a
            // pasted count cannot run for long.
            let want = row
                .active_objs
                .min(budget / row.objsize.max(8))
                .min(have.saturating_add(objects))
                .max(have.min(row.active_objs));
            budget = budget.saturating_sub(want.saturating_sub(have).saturating_mul(row.objsize));
            objects = objects.saturating_sub(want.saturating_sub(have));
            for _ in have..want {
                if m.slub
                    .slab_alloc(
                        &mut m.k,
                        id,
                        crate::vocab::GfpFlags(crate::vocab::gfp::GFP_KERNEL),
                    )
                    .is_err()
                {
                    break;
                }
            }
            if m.slub
                .cache(id)
                .is_none_or(|c| c.active_objs() != row.active_objs)
            {
                short.push(row.name.clone());
            }
        }
        // SUnreclaim past the caches' slabs: kmallocs above 8 KiB, which go to the page
        // allocator (___kmalloc_large_node) and count as unreclaimable slab, in
        // power-of-two blocks of at least 4 pages.
        if let Some(want) = self.mem("SUnreclaim") {
            let have = m.meminfo().sunreclaim;
            let mut pages = (want / 4)
                .saturating_sub(have)
                .min(m.k.totalram_pages() / 2);
            if pages % 4 != 0 {
                notes.push(format!(
                    "SUnreclaim {want} kB: {} kB of it not in slabinfo's caches, and not a sum of \
                     large kmallocs (blocks of 16 kB or more)",
                    pages * 4
                ));
                pages &= !3;
            }
            while pages > 0 {
                let order = 63 - pages.leading_zeros().min(63);
                let order = order.min(u32::from(MAX_PAGE_ORDER));
                let gfp = crate::vocab::GfpFlags(crate::vocab::gfp::GFP_KERNEL);
                if m.slub.kmalloc(&mut m.k, 4096u64 << order, gfp).is_err() {
                    break;
                }
                pages -= 1 << order;
            }
        }
        notes.push(format!(
            "slabinfo: {} cache(s), {same_geometry} laid out as the snapshot's (same objects per slab and slab order)",
            self.slabs.len()
        ));
        if !other_geometry.is_empty() {
            notes.push(format!(
                "{} cache(s) with other slab geometry here (calculate_order's slub_min_objects counts CPUs): {}",
                other_geometry.len(),
                other_geometry.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if !short.is_empty() {
            notes.push(format!(
                "{} cache(s) without the snapshot's active objects (no room, or a name or size the sandbox refuses): {}",
                short.len(),
                short.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }

    /// Committed_AS: an `imported` process holds the charge the sandbox's boot does
    /// not (a private writable mapping, never touched).
    fn charge_commit(&self, m: &mut Machine, notes: &mut Vec<String>) {
        let Some(want) = self.mem("Committed_AS") else {
            return;
        };
        // spawn charges the process's 132K [stack] VMA itself.
        let have = m.meminfo().committed_as << 2;
        let spawned = want >= have + 132;
        if spawned {
            let out = m.run("spawn imported");
            let pid = out
                .output
                .split_whitespace()
                .find_map(|w| w.strip_prefix("pid="))
                .unwrap_or("2")
                .to_string();
            let rest = want - have - 132;
            if rest > 0 {
                let o = m.run(&format!("mmap {pid} {rest}K"));
                if !o.ok {
                    notes.push(format!(
                        "Committed_AS {want} kB left out: {}",
                        o.output.trim()
                    ));
                    return;
                }
            }
        }
        let now = m.meminfo().committed_as << 2;
        notes.push(if now == want && spawned {
            format!("Committed_AS exactly ({want} kB), the charge past the boot's held by an `imported` process")
        } else if now == want {
            format!("Committed_AS exactly ({want} kB)")
        } else {
            format!(
                "Committed_AS {now} kB, not {want}: the sandbox's own boot and the \
                 imported process charge more"
            )
        });
    }
}

/// Recreates the slab caches (`recreate`) inside the memory the layout holds as
/// kernel blocks (`kernel`), where a snapshot's slab pages are: the layout's free
/// blocks leave their lists for the while (not the zones' free counts, so the
/// watermarks still see them free, as they are), the kernel blocks are free
/// instead, the slab allocations take from them, and what they do not take is held
/// as kernel blocks again.
fn slabs_into_used(
    m: &mut Machine,
    kernel: Vec<(ZoneType, Pfn, u8)>,
    recreate: impl FnOnce(&mut Machine),
) {
    let listed = |m: &Machine| {
        let node = &m.k.node;
        let mut v = Vec::new();
        for zt in ZoneType::ALL {
            for order in 0..=MAX_PAGE_ORDER {
                for mt in MigrateType::ALL {
                    let list = &node.zone(zt).free_area[order as usize].free_list[mt.idx()];
                    v.extend(node.mem.list_iter(list).map(|pfn| (zt, pfn, order, mt)));
                }
            }
        }
        v
    };
    let mut held = listed(m);
    for &(zt, pfn, order, mt) in &held {
        m.k.node.del_from_free_list(zt, pfn, order, mt);
    }
    for (zt, pfn, order) in kernel {
        let node = &mut m.k.node;
        let mt = node.mem.pageblock_mt(pfn);
        node.add_to_free_list(zt, pfn, order, mt, true);
        node.zones[zt.idx()].nr_free_pages += 1 << order;
    }
    recreate(m);
    m.drain_all_pages();
    for (zt, pfn, order, mt) in listed(m) {
        let node = &mut m.k.node;
        node.del_from_free_list(zt, pfn, order, mt);
        node.zones[zt.idx()].nr_free_pages -= 1 << order;
        node.mem.set_head(pfn, order, PageUse::Kernel);
    }
    // Back on the list of their pageblock's type now: a slab allocation that fell
    // back to another type may have claimed the pageblock.
    held.sort_by_key(|b| b.1);
    for (zt, pfn, order, _) in held {
        let mt = m.k.node.mem.pageblock_mt(pfn);
        m.k.node.add_to_free_list(zt, pfn, order, mt, true);
    }
}

/// slabinfo does not say which caches are reclaimable (`SLAB_RECLAIM_ACCOUNT`, counted
/// in SReclaimable): the kernel's own are known by name (v6.19's `kmem_cache_create`
/// calls with the flag: fs/dcache.c, fs/inode.c, fs/proc/inode.c, net/socket.c,
/// lib/radix-tree.c, fs/buffer.c, the ext4, xfs, btrfs, nfs, overlayfs and fuse
/// inode caches, and the kmalloc-rcl-* classes). `shmem_inode_cache` is not one.
fn reclaim_flags(name: &str) -> u32 {
    const RECLAIMABLE: &[&str] = &[
        "dentry",
        "inode_cache",
        "proc_inode_cache",
        "sock_inode_cache",
        "radix_tree_node",
        "buffer_head",
        "ext4_inode_cache",
        "xfs_inode",
        "xfs_ili",
        "xfs_buf",
        "btrfs_inode",
        "nfs_inode_cache",
        "ovl_inode",
        "fuse_inode",
    ];
    if RECLAIMABLE.contains(&name) || name.starts_with("kmalloc-rcl-") {
        crate::slub::cache::SLAB_RECLAIM_ACCOUNT
    } else {
        0
    }
}

/// A zone being laid out: its pages available to the layout (free in the booted
/// machine), and its pageblocks.
struct ZonePlan<'a> {
    start: u64,
    end: u64,
    avail: &'a [bool],
    /// The pageblocks pagetypeinfo counts (those that start inside the zone).
    pbs: Vec<u64>,
}

/// Where the free blocks go: (first PFN, order, migrate type), and how many had no
/// place.
type Placement = (Vec<(Pfn, u8, MigrateType)>, u64);

/// How pageblock types are handed out: whether a pageblock holding the booted
/// machine's own pages keeps its type, and the order of the whole ones (0 in runs,
/// 1 interleaved, 2 in runs from the zone's end).
type Strategy = (bool, u8);

/// The strategies tried, in order, until one places every free block.
const STRATEGIES: [Strategy; 6] = [
    (true, 0),
    (false, 0),
    (true, 1),
    (false, 1),
    (true, 2),
    (false, 2),
];

impl ZonePlan<'_> {
    fn whole(&self, pb: u64) -> bool {
        pb + PAGEBLOCK_NR_PAGES <= self.end
            && self.avail[(pb - self.start) as usize..][..PAGEBLOCK_NR_PAGES as usize]
                .iter()
                .all(|&a| a)
    }

    fn usable(&self, pb: u64) -> u64 {
        (pb..(pb + PAGEBLOCK_NR_PAGES).min(self.end))
            .filter(|p| self.avail[(p - self.start) as usize])
            .count() as u64
    }

    /// Pageblock types with pagetypeinfo's counts. Each type's order-10 free blocks
    /// first get whole free pairs; a pageblock holding pages already in use goes to
    /// the type with the most room to spare (its pageblocks' pages less the free
    /// pages it needs below order 10), or keeps its booted type ([`Strategy`]);
    /// whole ones then go to what each type still needs, in runs (the rarer types
    /// low), interleaved (the type needing the most next) or in runs from the zone's
    /// end. Pageblocks the file does not count (a zone of another size) are Movable.
    fn assign(
        &self,
        blocks: [u64; 4],
        wanted: &[Counts; 4],
        booted: &[MigrateType],
        (keep, strategy): Strategy,
    ) -> Vec<MigrateType> {
        let mut ty = vec![MigrateType::Movable; self.pbs.len()];
        let mut set = vec![false; self.pbs.len()];
        // No type needs more pageblocks than the zone has (a pasted count may be anything).
        let mut need = blocks.map(|b| b.min(self.pbs.len() as u64));
        for t in ASSIGN_ORDER {
            let mut pairs = wanted[t.idx()][MAX_PAGE_ORDER as usize];
            let mut i = 0;
            // An order-10 block's two pageblocks share its type (the kernel keeps them
            // so: change_pageblock_range when blocks merge or are claimed).
            while pairs > 0 && need[t.idx()] >= 2 && i + 1 < self.pbs.len() {
                let (a, b) = (self.pbs[i], self.pbs[i + 1]);
                if a % (2 * PAGEBLOCK_NR_PAGES) == 0
                    && !set[i]
                    && !set[i + 1]
                    && self.whole(a)
                    && self.whole(b)
                {
                    for k in [i, i + 1] {
                        ty[k] = t;
                        set[k] = true;
                        need[t.idx()] -= 1;
                    }
                    pairs -= 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
        }
        let mut spare = [0i64; 4];
        for t in ASSIGN_ORDER {
            let pages = wanted[t.idx()][..MAX_PAGE_ORDER as usize]
                .iter()
                .enumerate()
                .map(|(o, n)| n.saturating_mul(1 << o))
                .fold(0, u64::saturating_add);
            spare[t.idx()] = (need[t.idx()].saturating_mul(PAGEBLOCK_NR_PAGES) as i64)
                .saturating_sub(pages as i64);
        }
        let mut whole = Vec::new();
        for (i, &pb) in self.pbs.iter().enumerate() {
            if set[i] {
                continue;
            }
            if self.whole(pb) {
                whole.push(i);
                continue;
            }
            let kept = Some(booted[i]).filter(|t| keep && need[t.idx()] > 0);
            if let Some(t) = kept.or_else(|| {
                ASSIGN_ORDER
                    .into_iter()
                    .filter(|t| need[t.idx()] > 0)
                    .max_by_key(|t| spare[t.idx()])
            }) {
                spare[t.idx()] =
                    spare[t.idx()].saturating_sub((PAGEBLOCK_NR_PAGES - self.usable(pb)) as i64);
                need[t.idx()] -= 1;
                ty[i] = t;
            }
        }
        if strategy == 2 {
            whole.reverse();
        }
        for i in whole {
            let next = if strategy == 1 {
                ASSIGN_ORDER
                    .into_iter()
                    .filter(|t| need[t.idx()] > 0)
                    .max_by_key(|t| need[t.idx()])
            } else {
                ASSIGN_ORDER.into_iter().find(|t| need[t.idx()] > 0)
            };
            let Some(t) = next else { break };
            need[t.idx()] -= 1;
            ty[i] = t;
        }
        ty
    }

    /// Lays the free blocks out, largest first: each at the first aligned place in a
    /// pageblock of its type (a block's list is its first pageblock's type) whose
    /// pages are available and whose buddy is not a free block of the same order.
    fn place(&self, ty: &[MigrateType], wanted: &[Counts; 4]) -> Placement {
        let len = (self.end - self.start) as usize;
        let first_pb = self.pbs.first().copied().unwrap_or(self.start);
        let type_of = |p: u64| {
            if p < first_pb {
                None
            } else {
                ty.get(((p - first_pb) / PAGEBLOCK_NR_PAGES) as usize)
                    .copied()
            }
        };
        let mut free = self.avail.to_vec();
        let mut head_order = vec![u8::MAX; len];
        let (mut placed, mut unplaced) = (Vec::new(), 0);
        for t in MigrateType::ALL {
            for order in (0..=MAX_PAGE_ORDER).rev() {
                let size = 1u64 << order;
                let mut cursor = (self.start + size - 1) & !(size - 1);
                // No zone holds more blocks of an order than its length allows: the
                // rest of a larger count is unplaced without a search.
                let count = wanted[t.idx()][order as usize];
                let fits = count.min(len as u64 >> order);
                unplaced = u64::saturating_add(unplaced, count - fits);
                for k in 0..fits {
                    if cursor + size > self.end {
                        unplaced = u64::saturating_add(unplaced, fits - k);
                        break;
                    }
                    let mut found = None;
                    while cursor + size <= self.end {
                        let p = cursor;
                        cursor += size;
                        let i = (p - self.start) as usize;
                        let typed = type_of(p) == Some(t)
                            && (order <= PAGEBLOCK_ORDER
                                || type_of(p + PAGEBLOCK_NR_PAGES) == Some(t));
                        if !typed || !free[i..i + size as usize].iter().all(|&a| a) {
                            continue;
                        }
                        let b = p ^ size;
                        if order < MAX_PAGE_ORDER
                            && b >= self.start
                            && b < self.end
                            && head_order[(b - self.start) as usize] == order
                        {
                            continue;
                        }
                        found = Some(p);
                        break;
                    }
                    let Some(p) = found else {
                        unplaced = u64::saturating_add(unplaced, 1);
                        continue;
                    };
                    let i = (p - self.start) as usize;
                    free[i..i + size as usize]
                        .iter_mut()
                        .for_each(|a| *a = false);
                    head_order[i] = order;
                    placed.push((Pfn(p), order, t));
                }
            }
        }
        (placed, unplaced)
    }
}

/// Lays out one zone: takes its free blocks off the lists, sets the pageblock types,
/// puts the snapshot's free blocks on the lists and makes the rest allocated kernel
/// blocks. Returns a note.
/// Lays out one zone's free blocks and says how; the pages it holds as kernel
/// blocks are added to `kernel`.
fn lay_out_zone(
    m: &mut Machine,
    zt: ZoneType,
    want: &super::proc::ZoneSnapshot,
    kernel: &mut Vec<(ZoneType, Pfn, u8)>,
) -> String {
    let node = &mut m.k.node;
    let (start, end) = (node.zone(zt).start_pfn, node.zone(zt).end_pfn());
    let mut avail = vec![false; (end - start) as usize];
    for order in 0..=MAX_PAGE_ORDER {
        for mt in MigrateType::ALL {
            let blocks: Vec<Pfn> = node
                .mem
                .list_iter(&node.zone(zt).free_area[order as usize].free_list[mt.idx()])
                .collect();
            for pfn in blocks {
                node.del_from_free_list(zt, pfn, order, mt);
                node.zones[zt.idx()].nr_free_pages -= 1 << order;
                avail[(pfn.0 - start) as usize..][..1 << order].fill(true);
            }
        }
    }
    let mut pbs = Vec::new();
    let mut pb = start.div_ceil(PAGEBLOCK_NR_PAGES) * PAGEBLOCK_NR_PAGES;
    while pb < end {
        pbs.push(pb);
        pb += PAGEBLOCK_NR_PAGES;
    }
    let plan = ZonePlan {
        start,
        end,
        avail: &avail,
        pbs,
    };
    let mut note = Vec::new();
    let wanted: [Counts; 4] = match (want.by_type, want.buddy) {
        (Some(t), _) => t,
        (None, Some(b)) => {
            let mut t = [[0; 11]; 4];
            t[MigrateType::Movable.idx()] = b;
            note.push(
                "buddyinfo's free blocks, and the pageblocks, all as Movable (no pagetypeinfo)"
                    .to_string(),
            );
            t
        }
        (None, None) => [[0; 11]; 4],
    };
    // The pageblock types: pagetypeinfo's counts, by the first strategy that places
    // every block; without pagetypeinfo, every pageblock Movable, as buddyinfo's free
    // blocks are taken to be (so that they may go anywhere).
    let booted: Vec<MigrateType> = plan
        .pbs
        .iter()
        .map(|pb| node.mem.pageblock_mt(Pfn(*pb)))
        .collect();
    let mut best: Option<(Vec<MigrateType>, Placement)> = None;
    for strategy in STRATEGIES {
        let ty = match want.blocks {
            Some(b) => plan.assign(b, &wanted, &booted, strategy),
            None if want.by_type.is_none() => vec![MigrateType::Movable; booted.len()],
            None => booted.clone(),
        };
        let p = plan.place(&ty, &wanted);
        let better = best.as_ref().is_none_or(|(_, b)| p.1 < b.1);
        let done = p.1 == 0 || want.blocks.is_none();
        if better {
            best = Some((ty, p));
        }
        if done {
            break;
        }
    }
    let Some((ty, (mut placed, unplaced))) = best else {
        return format!("zone {}: not laid out", zt.name());
    };
    let mut highatomic = 0;
    for (pb, t) in plan.pbs.iter().zip(&ty) {
        node.mem.set_pageblock_mt(Pfn(*pb), *t);
        if *t == MigrateType::HighAtomic {
            highatomic += PAGEBLOCK_NR_PAGES;
        }
    }
    node.zones[zt.idx()].nr_reserved_highatomic = highatomic;
    placed.sort_by_key(|b| b.0);
    for &(pfn, order, t) in &placed {
        node.add_to_free_list(zt, pfn, order, t, true);
        node.zones[zt.idx()].nr_free_pages += 1 << order;
        avail[(pfn.0 - start) as usize..][..1 << order].fill(false);
    }
    // Every other available page: allocated kernel blocks, as large as alignment allows.
    let mut p = start;
    while p < end {
        if !avail[(p - start) as usize] {
            p += 1;
            continue;
        }
        let mut order = MAX_PAGE_ORDER;
        while order > 0
            && (p % (1 << order) != 0
                || p + (1 << order) > end
                || !avail[(p - start) as usize..][..1 << order]
                    .iter()
                    .all(|&a| a))
        {
            order -= 1;
        }
        node.mem.set_head(Pfn(p), order, PageUse::Kernel);
        kernel.push((zt, Pfn(p), order));
        p += 1 << order;
    }
    if unplaced > 0 {
        note.push(format!(
            "{unplaced} free block(s) had no place: the zone's free memory is too scattered \
             to lay out without merging"
        ));
    }
    let exact = unplaced == 0 && (want.by_type.is_some() || want.buddy.is_some());
    format!(
        "zone {}: {}{}",
        zt.name(),
        if exact && want.by_type.is_none() {
            "free blocks per order exactly"
        } else if exact {
            "free blocks per order and migrate type exactly"
        } else {
            "free blocks as far as they could be placed"
        },
        if note.is_empty() {
            String::new()
        } else {
            format!(" ({})", note.join("; "))
        }
    )
}

/// What `mmsim import proc` prints: what was read, the machine's `boot` line, what
/// it reproduces exactly and what not, what was left out, the lines not understood,
/// and, for each file given, whether the machine's own file is the same, byte for
/// byte. `machine` is [`Snapshot::machine`]'s result, built once by the caller (who
/// may go on to run commands on it).
pub fn explain(
    s: &Snapshot,
    files: &[(String, String)],
    machine: &Result<ProcMachine, Vec<String>>,
) -> String {
    use std::fmt::Write;
    let mut o = String::from("Read:\n");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(o, "  files: {}", names.join(", "));
    let _ = writeln!(
        o,
        "  meminfo: {} line(s); MemTotal {} kB, MemFree {} kB, SwapTotal {} kB, Committed_AS {} kB",
        s.meminfo.len(),
        s.mem("MemTotal").unwrap_or(0),
        s.mem("MemFree").unwrap_or(0),
        s.mem("SwapTotal").unwrap_or(0),
        s.mem("Committed_AS").unwrap_or(0)
    );
    for z in &s.zones {
        let free: u64 = z
            .buddy
            .map(|b| {
                b.iter()
                    .enumerate()
                    .map(|(o, n)| n.saturating_mul(1 << o))
                    .fold(0, u64::saturating_add)
            })
            .unwrap_or(0);
        let _ = writeln!(
            o,
            "  zone {}: {} free page(s) in buddyinfo{}{}",
            z.name,
            free,
            if z.by_type.is_some() {
                ", free blocks per migrate type"
            } else {
                ""
            },
            if z.blocks.is_some() {
                ", pageblocks per migrate type"
            } else {
                ""
            }
        );
    }
    if !s.sysctls.is_empty() {
        let _ = writeln!(o, "  {} vm tunable(s)", s.sysctls.len());
    }
    if !s.left_out.is_empty() {
        o.push_str("\nLeft out (not modelled):\n");
        for l in &s.left_out {
            let _ = writeln!(o, "  - {l}");
        }
    }
    if !s.unknown.is_empty() {
        o.push_str("\nNot understood:\n");
        for (f, n, l) in s.unknown.iter().take(50) {
            let _ = writeln!(o, "  {f} line {n}: {l}");
        }
    }
    match machine {
        Err(why) => {
            let _ = writeln!(o, "\nNo machine: {}", why.join("; "));
        }
        Ok(pm) => {
            let _ = writeln!(o, "\nMachine: `{}`", pm.boot);
            for n in &pm.notes {
                let _ = writeln!(o, "  - {n}");
            }
            o.push_str("\nIts files against the snapshot's:\n");
            for (name, text) in files {
                let path = format!("/proc/{name}");
                if !matches!(
                    name.as_str(),
                    "meminfo" | "buddyinfo" | "pagetypeinfo" | "slabinfo"
                ) {
                    continue;
                }
                let ours = pm.machine.read_file(&path).unwrap_or_default();
                let (same, of) = (
                    ours.lines()
                        .zip(text.lines())
                        .filter(|(a, b)| a == b)
                        .count(),
                    text.lines().count(),
                );
                if ours == *text {
                    let _ = writeln!(o, "  {path}: the same, byte for byte");
                } else {
                    let _ = writeln!(o, "  {path}: {same} of {of} line(s) the same");
                }
            }
        }
    }
    o
}
