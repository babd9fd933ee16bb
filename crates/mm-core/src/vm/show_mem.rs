//! `__show_mem` (`mm/show_mem.c`): the Mem-Info block of OOM reports (`dump_header`)
//! and page allocation failures (`warn_alloc_show_mem`), line for line as v6.19
//! prints it on an x86-64 distribution config (NUMA, THP, hugetlb with 1 GiB and
//! 2 MiB pages, CMA, memory failure, zsmalloc; no shadow call stack):
//!
//! ```text
//! Mem-Info:
//! active_anon:0 inactive_anon:12288 isolated_anon:0
//!  active_file:0 inactive_file:0 isolated_file:0
//!  ...
//! Node 0 active_anon:0kB inactive_anon:49152kB ... Balloon:0kB
//! Node 0 DMA free:1408kB boost:0kB min:240kB ... free_cma:0kB
//! lowmem_reserve[]: 0 0 0 0 0
//! Node 0 DMA: 0*4kB 0*8kB ... = 1408kB
//! Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB
//! ...
//! 0 pages hwpoisoned
//! ```
//!
//! Zones above the request's highest zone (`gfp_zone`) are left out of the per-zone
//! lines, as `show_free_areas(..., max_zone_idx)` does; the RAM totals count all.

use super::Vm;
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::show_mem::show_free_area;
use crate::vmscan::lru::LruList;
use crate::vocab::{Pfn, ZoneType, MAX_NR_ZONES};

impl Vm<'_> {
    /// Inactive anonymous pages in each zone: every user page that is not on the
    /// active anon list (shmem, not on the LRU in this model, counts here too, as
    /// /proc/meminfo's Inactive(anon) does).
    fn anon_by_zone(&self) -> [u64; MAX_NR_ZONES] {
        let mut out = [0; MAX_NR_ZONES];
        let node = &self.k.node;
        for z in node.populated() {
            let user = (z.start_pfn..z.start_pfn + z.spanned)
                .filter(|&p| node.mem.usage(Pfn(p)) == PageUse::User)
                .count() as u64;
            out[z.ztype.idx()] = user - self.pr.lru.zone_size(z.ztype, LruList::ActiveAnon);
        }
        out
    }

    /// `__show_mem(filter, nodemask, max_zone_idx)` into the kernel log.
    pub(crate) fn show_mem(&mut self, max_zone: ZoneType) {
        let anon = self.anon_by_zone();
        let pending = self.pr.lru.write_pending();
        let (slab_rcl, slab_unrcl) = self.slub.pages();
        let shmem = self.vmm.shmem_pages();
        let mapped = (self.vmm.shmem_mapped.len() + self.vmm.file_mapped.len()) as u64;
        let pagetables = self.vmm.tables.pages.len() as u64;
        let kernel_stack_kb = self.vmm.tasks.len() as u64 * 16;
        let (dirty, writeback) = (self.pr.nr_dirty, self.pr.nr_writeback);
        let lru = |l: LruList| self.pr.lru.size(l, MAX_NR_ZONES - 1);
        let (active_file, inactive_file) = (lru(LruList::ActiveFile), lru(LruList::InactiveFile));
        let inactive_anon: u64 = anon.iter().sum();
        let active_anon = lru(LruList::ActiveAnon);
        let node = &self.k.node;
        let shown = |zt: ZoneType| zt.idx() <= max_zone.idx();
        let pcp = |zt: ZoneType| node.pcp.as_ref().map_or(0, |p| p[zt.idx()].count);
        let free_pcp: u64 = node
            .populated()
            .filter(|z| shown(z.ztype))
            .map(|z| pcp(z.ztype))
            .sum();
        let k = |pages: u64| pages * 4;
        let mut lines = vec!["Mem-Info:".to_string()];
        lines.push(format!(
            "active_anon:{active_anon} inactive_anon:{inactive_anon} isolated_anon:0\n \
             active_file:{active_file} inactive_file:{inactive_file} isolated_file:0\n \
             unevictable:0 dirty:{dirty} writeback:{writeback}\n \
             slab_reclaimable:{slab_rcl} slab_unreclaimable:{slab_unrcl}\n \
             mapped:{mapped} shmem:{shmem} pagetables:{pagetables}\n \
             sec_pagetables:0 bounce:0\n \
             kernel_misc_reclaimable:0\n \
             free:{} free_pcp:{free_pcp} free_cma:0",
            node.nr_free_pages()
        ));
        lines.push(format!(
            "Node 0 active_anon:{}kB inactive_anon:{}kB active_file:{}kB inactive_file:{}kB \
             unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:{}kB dirty:{}kB \
             writeback:{}kB shmem:{}kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB \
             kernel_stack:{kernel_stack_kb}kB pagetables:{}kB sec_pagetables:0kB \
             all_unreclaimable? {} Balloon:0kB",
            k(active_anon),
            k(inactive_anon),
            k(active_file),
            k(inactive_file),
            k(mapped),
            k(dirty),
            k(writeback),
            k(shmem),
            k(pagetables),
            if self.pr.kswapd.failures >= crate::vmscan::MAX_RECLAIM_RETRIES {
                "yes"
            } else {
                "no"
            },
        ));
        for z in node.populated().filter(|z| shown(z.ztype)) {
            let zt = z.ztype;
            let zl = |l: LruList| self.pr.lru.zone_size(zt, l);
            lines.push(format!(
                "Node 0 {} free:{}kB boost:{}kB min:{}kB low:{}kB high:{}kB \
                 reserved_highatomic:0KB free_highatomic:0KB active_anon:{}kB \
                 inactive_anon:{}kB active_file:{}kB inactive_file:{}kB unevictable:0kB \
                 writepending:{}kB zspages:0kB present:{}kB managed:{}kB mlocked:0kB \
                 bounce:0kB free_pcp:{}kB local_pcp:{}kB free_cma:0kB",
                zt.name(),
                k(z.nr_free_pages),
                k(z.watermark_boost),
                k(z.wmark_pages(crate::vocab::Watermark::Min)),
                k(z.wmark_pages(crate::vocab::Watermark::Low)),
                k(z.wmark_pages(crate::vocab::Watermark::High)),
                k(zl(LruList::ActiveAnon)),
                k(anon[zt.idx()]),
                k(zl(LruList::ActiveFile)),
                k(zl(LruList::InactiveFile)),
                k(pending[zt.idx()]),
                k(z.present),
                k(z.managed),
                k(pcp(zt)),
                k(pcp(zt)),
            ));
            // The fifth column is ZONE_DEVICE's, empty, so its reserve is Movable's.
            let r = &z.lowmem_reserve;
            lines.push(format!(
                "lowmem_reserve[]: {} {} {} {} {}",
                r[0],
                r[1],
                r[2],
                r[3],
                r[MAX_NR_ZONES - 1]
            ));
        }
        for z in node.populated().filter(|z| shown(z.ztype)) {
            lines.push(show_free_area(node, z.ztype));
        }
        for size in [1_048_576, 2048] {
            lines.push(format!(
                "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size={size}kB"
            ));
        }
        let (swap_free, swapcache) = self
            .pr
            .swap
            .as_ref()
            .map_or((0, 0), |s| (s.nr_swap_pages(), s.nr_swapcache));
        lines.push(format!(
            "{} total pagecache pages",
            self.pr.fs.nr_file_pages() + shmem + swapcache
        ));
        // show_swap_cache_info.
        let swap = self.k.total_swap_pages;
        lines.push(format!("{swapcache} pages in swap cache"));
        lines.push(format!("Free swap  = {}kB", k(swap_free)));
        lines.push(format!("Total swap = {}kB", k(swap)));
        let (ram, reserved) = node.populated().fold((0, 0), |(t, r), z| {
            (t + z.present, r + z.present - z.managed)
        });
        lines.push(format!("{ram} pages RAM"));
        lines.push("0 pages HighMem/MovableOnly".to_string());
        lines.push(format!("{reserved} pages reserved"));
        lines.push("0 pages cma reserved".to_string());
        lines.push("0 pages hwpoisoned".to_string());
        for l in lines {
            self.k.printk(l);
        }
    }
}

impl Vm<'_> {
    /// `should_dump_unreclaim_slab`: unreclaimable slab outgrows every LRU list.
    fn should_dump_unreclaim_slab(&self) -> bool {
        let lru: u64 = crate::vmscan::lru::LruList::ALL
            .iter()
            .map(|l| self.pr.lru.size(*l, MAX_NR_ZONES - 1))
            .sum::<u64>()
            + self.anon_by_zone().iter().sum::<u64>();
        self.slub.pages().1 > lru
    }

    /// `dump_unreclaimable_slab` (`mm/slab_common.c`), when the slab is to blame:
    /// each cache not `SLAB_RECLAIM_ACCOUNT`, newest first, its active and total
    /// objects in KB.
    pub(crate) fn dump_unreclaimable_slab(&mut self) {
        if !self.should_dump_unreclaim_slab() {
            return;
        }
        let mut lines = vec![
            "Unreclaimable slab info:".to_string(),
            "Name                      Used          Total".to_string(),
        ];
        for c in self.slub.iter() {
            if c.flags & crate::slub::cache::SLAB_RECLAIM_ACCOUNT != 0 {
                continue;
            }
            let (_, _, num_objs) = c.counts();
            if num_objs > 0 {
                let size = u64::from(c.size);
                lines.push(format!(
                    "{:<17} {:>10}KB {:>10}KB",
                    c.name,
                    c.active_objs() * size / 1024,
                    num_objs * size / 1024
                ));
            }
        }
        for l in lines {
            self.k.printk(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::machine::Machine;
    use crate::vocab::ZoneType;
    use crate::BootParams;

    #[test]
    fn mem_info_agrees_with_meminfo_and_the_zones() {
        let boot = BootParams::parse(["mem=64M"]).expect("boot options");
        let mut m = Machine::boot(boot);
        for line in [
            "spawn app",
            "mmap 2 4M",
            "touch 2 0x7ffff7bff000 4M",
            "fallocate -l 2M /data/f",
            "cat /data/f > /dev/null",
        ] {
            assert!(m.run(line).ok, "{line}");
        }
        let before = m.dmesg().count();
        m.vm().show_mem(ZoneType::Normal);
        let log: Vec<String> = m.dmesg().skip(before).map(str::to_string).collect();
        let mi = m.meminfo();
        assert!(log[0].ends_with("] Mem-Info:"));
        assert!(log[1].contains(&format!(
            " inactive_anon:{} isolated_anon:0\n",
            mi.inactive_anon
        )));
        assert!(log[1].contains(&format!(" inactive_file:{} ", mi.inactive_file)));
        assert!(log[1].ends_with(&format!(" free:{} free_pcp:0 free_cma:0", mi.free)));
        // The continuation lines are indented past the stamp, as dmesg prints them.
        assert!(log[1].contains("\n                active_file:"));
        let zone_lines = log.iter().filter(|l| l.contains("] Node 0 DMA")).count();
        assert_eq!(zone_lines, 4, "a summary and a buddy line per zone");
        assert!(log.iter().any(|l| l.ends_with("] 16384 pages RAM")));
        assert!(log
            .last()
            .is_some_and(|l| l.ends_with("] 0 pages hwpoisoned")));
    }
}

#[cfg(test)]
mod slab_oom_tests {
    use crate::machine::Machine;
    use crate::BootParams;

    /// A slab leak ends in the OOM killer, whose report names the caches to blame.
    #[test]
    fn a_slab_leak_oom_lists_the_unreclaimable_caches() {
        let boot = BootParams::parse(["mem=32M"]).expect("boot options");
        let mut m = Machine::boot(boot);
        for line in ["spawn victim", "mmap 2 1M", "touch 2 0x7ffff7eff000 1M"] {
            assert!(m.run(line).ok, "{line}");
        }
        assert!(m.run("kmem_cache_create leak 16384").ok);
        let mut killed = false;
        for _ in 0..2000 {
            m.run("kmem_cache_alloc leak");
            if m.dmesg().any(|l| l.contains("Killed process 2 (victim)")) {
                killed = true;
                break;
            }
        }
        assert!(killed, "the leak reached the OOM killer");
        let log: Vec<&str> = m.dmesg().collect();
        let at = log
            .iter()
            .position(|l| l.ends_with("] Unreclaimable slab info:"))
            .expect("the slab dump");
        assert!(log[at + 1].ends_with("] Name                      Used          Total"));
        // Newest cache first: leak, 16 KiB per object.
        assert!(
            log[at + 2].contains("] leak              "),
            "{}",
            log[at + 2]
        );
        assert!(log[at + 2].ends_with("KB"));
        let protection = log
            .iter()
            .position(|l| l.ends_with("] Memory cgroup min protection 0kB -- low protection 0kB"));
        let tasks = log
            .iter()
            .position(|l| l.ends_with("] Tasks state (memory values in pages):"));
        assert!(protection > Some(at) && tasks > protection);
    }
}
