//! `pg_data_t`: the one NUMA node, its zones and its page array.

use super::memmap::MemMap;
use super::pcp::PerCpuPages;
use super::zone::Zone;
use crate::vocab::MigrateType;
use crate::vocab::Pfn;
use crate::vocab::{ZoneType, MAX_NR_ZONES};

/// Node 0: every zone (populated or not) and the pages they span.
#[derive(Clone, Debug)]
pub struct Node {
    /// `node_zones[]`, indexed by [`ZoneType::idx`].
    pub zones: [Zone; MAX_NR_ZONES],
    /// The page array.
    pub mem: MemMap,
    /// CPU 0's per-CPU page lists, one per zone, when `pcp=on`.
    pub pcp: Option<[PerCpuPages; MAX_NR_ZONES]>,
    /// `watermark_boost_factor` (15000 by default), read by `boost_watermark`.
    pub boost_factor: u64,
    /// The zonelist for each highest zone an allocation may use.
    pub zonelists: [super::alloc::ZoneList; MAX_NR_ZONES],
    /// The page allocator's event counters (/proc/vmstat, zoneinfo).
    pub stats: AllocStats,
    /// `current->capture_control` while a direct compaction runs.
    pub capture: Option<super::isolate::Capture>,
}

/// The page allocator's share of `vm_event_states` and the zones' NUMA counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocStats {
    /// `PGALLOC` per zone: pages handed out (`2^order` per allocation).
    pub pgalloc: [u64; MAX_NR_ZONES],
    /// `NUMA_HIT` (= `NUMA_LOCAL` on one node) per zone: allocations served, one per
    /// call (`zone_statistics`).
    pub numa_hit: [u64; MAX_NR_ZONES],
    /// `PGFREE`: pages freed (`2^order` per free, boot-time freeing included).
    pub pgfree: u64,
}

impl Node {
    /// The zone type a PFN belongs to (`page_zonenum`), if any zone spans it.
    pub fn zone_of(&self, pfn: Pfn) -> Option<ZoneType> {
        self.zones
            .iter()
            .find(|z| z.spanned > 0 && z.spans(pfn))
            .map(|z| z.ztype)
    }

    /// The zone of a type.
    pub fn zone(&self, zt: ZoneType) -> &Zone {
        &self.zones[zt.idx()]
    }

    /// Populated zones, lowest first (the order /proc walks them in).
    pub fn populated(&self) -> impl Iterator<Item = &Zone> {
        self.zones.iter().filter(|z| z.populated())
    }

    /// Total free pages in the buddy allocator (`global_zone_page_state(NR_FREE_PAGES)`).
    pub fn nr_free_pages(&self) -> u64 {
        self.zones.iter().map(|z| z.nr_free_pages).sum()
    }

    /// `totalram_pages`: Σ managed.
    pub fn totalram_pages(&self) -> u64 {
        self.zones.iter().map(|z| z.managed).sum()
    }

    /// `__add_to_free_list`: puts a free block at the head or tail of its list.
    pub fn add_to_free_list(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        mt: MigrateType,
        tail: bool,
    ) {
        let zone = &mut self.zones[zt.idx()];
        let area = &mut zone.free_area[order as usize];
        self.mem.list_add(&mut area.free_list[mt.idx()], pfn, tail);
        area.nr_free += 1;
        zone.nonempty[mt.idx()] |= 1 << order;
        self.mem.set_buddy(pfn, order);
    }

    /// `__del_page_from_free_list`: takes a free block off its list.
    pub fn del_from_free_list(&mut self, zt: ZoneType, pfn: Pfn, order: u8, mt: MigrateType) {
        let zone = &mut self.zones[zt.idx()];
        let area = &mut zone.free_area[order as usize];
        self.mem.list_del(&mut area.free_list[mt.idx()], pfn);
        area.nr_free -= 1;
        if area.free_list[mt.idx()].is_empty() {
            zone.nonempty[mt.idx()] &= !(1 << order);
        }
        self.mem.clear_flags(pfn);
    }

    /// `move_to_free_list`: moves a free block to the tail of another type's list.
    pub fn move_to_free_list(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        from: MigrateType,
        to: MigrateType,
    ) {
        self.del_from_free_list(zt, pfn, order, from);
        self.add_to_free_list(zt, pfn, order, to, true);
    }

    /// The migrate type of the list a free block sits on. Blocks sit on the list of
    /// their pageblock's type, except blocks larger than a pageblock after a merge,
    /// which sit on the type of their first pageblock.
    pub fn free_block_mt(&self, pfn: Pfn) -> MigrateType {
        self.mem.pageblock_mt(pfn)
    }

    /// `page_is_buddy`: the page at `buddy` heads a free block of `order` in zone `zt`.
    #[inline]
    pub fn page_is_buddy(&self, zt: ZoneType, buddy: Pfn, order: u8) -> bool {
        self.mem.is_buddy_of_order(buddy, order) && self.zones[zt.idx()].spans(buddy)
    }
}
