//! A snapshot of a machine's /proc, read: `/proc/meminfo` (required), and if given
//! `/proc/buddyinfo`, `/proc/pagetypeinfo`, `/proc/zoneinfo`, `/proc/slabinfo` and the
//! `vm.*` sysctls
//! (the files of `/proc/sys/vm/`, or `sysctl -a` lines). What the sandbox does not
//! model (more than one node, zones past Normal, CMA, hugepages, transparent huge
//! pages) is listed, not silently dropped; lines that are not understood are listed
//! with their file and line number. [`super::proc_machine`] boots a machine shaped
//! like it.

use crate::vocab::{MigrateType, NR_PAGE_ORDERS};

/// The files a snapshot may have, by name (plus `sys/vm/NAME`, one tunable each).
pub const FILE_NAMES: [&str; 6] = [
    "meminfo",
    "buddyinfo",
    "pagetypeinfo",
    "zoneinfo",
    "slabinfo",
    "sysctl",
];

/// The largest snapshot file read ([`crate::limits::IMPORT_FILE_BYTES`]).
pub const FILE_BYTES: usize = crate::limits::IMPORT_FILE_BYTES;

/// One zone's free blocks per order.
pub type Counts = [u64; NR_PAGE_ORDERS];

/// A zone's rows, as the files give them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneSnapshot {
    /// `DMA`, `DMA32`, `Normal`, ...
    pub name: String,
    /// buddyinfo's row: free blocks per order, all types.
    pub buddy: Option<Counts>,
    /// pagetypeinfo's rows: free blocks per order, per migrate type (Unmovable,
    /// Movable, Reclaimable, HighAtomic), in [`MigrateType::ALL`]'s order.
    pub by_type: Option<[Counts; MigrateType::ALL.len()]>,
    /// pagetypeinfo's "Number of blocks type": pageblocks per migrate type.
    pub blocks: Option<[u64; MigrateType::ALL.len()]>,
}

/// One cache of `/proc/slabinfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlabRow {
    /// The cache's name.
    pub name: String,
    /// `<active_objs>`.
    pub active_objs: u64,
    /// `<num_objs>`.
    pub num_objs: u64,
    /// `<objsize>`: the object's size in the slab, alignment included.
    pub objsize: u64,
    /// `<objperslab>`.
    pub objperslab: u64,
    /// `<pagesperslab>`.
    pub pagesperslab: u64,
}

/// A snapshot, as understood.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// meminfo's `Key: value` lines, values in kB (or pages for HugePages_*).
    pub meminfo: Vec<(String, u64)>,
    /// The zones of node 0, in the files' order.
    pub zones: Vec<ZoneSnapshot>,
    /// `vm.*` tunables (name without `vm.`, value).
    pub sysctls: Vec<(String, String)>,
    /// slabinfo's caches, in the file's order (the newest first).
    pub slabs: Vec<SlabRow>,
    /// What the files hold that the sandbox does not model, each said once.
    pub left_out: Vec<String>,
    /// Lines not understood: (file, line number, text).
    pub unknown: Vec<(String, usize, String)>,
    /// pagetypeinfo's pageblocks are not the sandbox's size: its counts of pageblocks
    /// per type are not used.
    pub pageblock_mismatch: bool,
    /// The CPUs zoneinfo's first zone lists a pageset for (`zoneinfo_show_print`
    /// prints one per online CPU), if zoneinfo was given.
    pub cpus: Option<u32>,
}

impl Snapshot {
    /// A meminfo value.
    pub fn mem(&self, key: &str) -> Option<u64> {
        self.meminfo.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn zone(&mut self, name: &str) -> &mut ZoneSnapshot {
        if let Some(i) = self.zones.iter().position(|z| z.name == name) {
            return &mut self.zones[i];
        }
        self.zones.push(ZoneSnapshot {
            name: name.to_string(),
            ..ZoneSnapshot::default()
        });
        let last = self.zones.len() - 1;
        &mut self.zones[last]
    }

    fn leave_out(&mut self, what: String) {
        if !self.left_out.contains(&what) {
            self.left_out.push(what);
        }
    }

    /// Reads the files, each given as (name, text): `meminfo`, `buddyinfo`,
    /// `pagetypeinfo`, `zoneinfo`, `sysctl` (`vm.name = value` lines) or
    /// `sys/vm/NAME` (one value). Refused: no meminfo, a file over
    /// [`FILE_BYTES`], or a file of another name.
    pub fn parse(files: &[(String, String)]) -> Result<Snapshot, String> {
        let mut s = Snapshot::default();
        for (name, text) in files {
            if text.len() > FILE_BYTES {
                return Err(format!(
                    "{name} has {} bytes; mm-sandbox reads at most {} KiB of a /proc file",
                    text.len(),
                    FILE_BYTES >> 10
                ));
            }
            let base = name.rsplit('/').next().unwrap_or(name);
            match base {
                "meminfo" => s.read_meminfo(text),
                "buddyinfo" => s.read_buddyinfo(text),
                "pagetypeinfo" => s.read_pagetypeinfo(text),
                "zoneinfo" => s.read_zoneinfo(text),
                "slabinfo" => s.read_slabinfo(text),
                "sysctl" | "sysctl.txt" => s.read_sysctl(name, text),
                _ if name.contains("sys/vm/") => {
                    s.sysctls.push((base.to_string(), text.trim().to_string()))
                }
                _ => {
                    return Err(format!(
                        "{name}: not a file the snapshot takes (meminfo, buddyinfo, \
                         pagetypeinfo, zoneinfo, slabinfo, sysctl, sys/vm/NAME)"
                    ))
                }
            }
        }
        if s.mem("MemTotal").is_none() {
            return Err(
                "no /proc/meminfo with a MemTotal line: it is the one file a snapshot needs".into(),
            );
        }
        for (key, what) in [
            ("HugePages_Total", "hugetlb pages (HugePages_Total)"),
            ("AnonHugePages", "transparent huge pages (AnonHugePages)"),
            (
                "ShmemHugePages",
                "transparent huge pages in shmem (ShmemHugePages)",
            ),
            (
                "FileHugePages",
                "transparent huge pages in the page cache (FileHugePages)",
            ),
            ("CmaTotal", "the CMA area (CmaTotal)"),
        ] {
            if s.mem(key).is_some_and(|v| v > 0) {
                s.leave_out(format!("{what}: not modelled"));
            }
        }
        Ok(s)
    }

    fn read_meminfo(&mut self, text: &str) {
        for (n, line) in text.lines().enumerate() {
            let Some((k, v)) = line.split_once(':') else {
                if !line.trim().is_empty() {
                    self.unknown.push(("meminfo".into(), n + 1, line.into()));
                }
                continue;
            };
            match v.split_whitespace().next().and_then(|v| v.parse().ok()) {
                Some(v) => self.meminfo.push((k.trim().to_string(), v)),
                None => self.unknown.push(("meminfo".into(), n + 1, line.into())),
            }
        }
    }

    /// `Node N, zone NAME` at the start of a row: (node, zone, the rest).
    fn node_zone(line: &str) -> Option<(u32, &str, &str)> {
        let rest = line.strip_prefix("Node")?;
        let (node, rest) = rest.split_once(',')?;
        let rest = rest.trim_start().strip_prefix("zone")?;
        let rest = rest.trim_start();
        let end = rest.find([' ', ',']).unwrap_or(rest.len());
        Some((node.trim().parse().ok()?, &rest[..end], &rest[end..]))
    }

    /// Eleven counts; `>100000` (pagetypeinfo's cap) reads as 100000.
    fn counts(text: &str) -> Option<Counts> {
        let v: Vec<u64> = text
            .split_whitespace()
            .map(|w| w.trim_start_matches('>').parse().ok())
            .collect::<Option<_>>()?;
        v.try_into().ok()
    }

    /// The sandbox zone a zone of node `node` goes into, or None (left out, and said).
    /// The sandbox has one node: the other nodes' DMA32 and Normal are folded into
    /// node 0's, and a Movable zone (kernelcore=, movablecore=) into Normal, so that
    /// the free memory stays whole.
    fn modelled(&mut self, node: u32, zone: &str) -> Option<&'static str> {
        let into = match zone {
            "DMA" => "DMA",
            "DMA32" => "DMA32",
            "Normal" => "Normal",
            "Movable" => {
                self.leave_out(
                    "the Movable zone, folded into Normal (mm-sandbox has DMA, DMA32 and Normal)"
                        .into(),
                );
                "Normal"
            }
            _ => {
                self.leave_out(format!(
                    "the {zone} zone (mm-sandbox has DMA, DMA32 and Normal)"
                ));
                return None;
            }
        };
        if node != 0 {
            self.leave_out(format!(
                "NUMA node {node} as a node: mm-sandbox models one, so its zones are folded into node 0's"
            ));
        }
        Some(into)
    }

    /// Adds one row of counts to another (a folded zone's to its sandbox zone's).
    fn add(to: &mut Counts, c: &Counts) {
        for (a, b) in to.iter_mut().zip(c) {
            *a = a.saturating_add(*b);
        }
    }

    fn read_buddyinfo(&mut self, text: &str) {
        for (n, line) in text.lines().enumerate() {
            match Self::node_zone(line)
                .and_then(|(node, z, rest)| Some((node, z, Self::counts(rest)?)))
            {
                Some((node, z, c)) => {
                    if let Some(z) = self.modelled(node, z) {
                        Self::add(self.zone(z).buddy.get_or_insert([0; NR_PAGE_ORDERS]), &c);
                    }
                }
                None if line.trim().is_empty() => {}
                None => self.unknown.push(("buddyinfo".into(), n + 1, line.into())),
            }
        }
    }

    fn read_pagetypeinfo(&mut self, text: &str) {
        let mut header: Vec<String> = Vec::new();
        // Rows under "Number of mixed blocks" (CONFIG_PAGE_OWNER) are not counts of
        // pageblocks per type: they are skipped.
        let mut mixed = false;
        for (n, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with("Pages per block") || t.starts_with("Free pages count")
            {
                continue;
            }
            if let Some(o) = t.strip_prefix("Page block order:") {
                // pageblock_order is 9 with hugetlb or THP, else MAX_PAGE_ORDER (10).
                if o.trim() != "9" {
                    self.leave_out(format!(
                        "pageblocks of order {} (the sandbox's are order 9, 512 pages)",
                        o.trim()
                    ));
                    self.pageblock_mismatch = true;
                }
                continue;
            }
            if let Some(h) = t.strip_prefix("Number of blocks type") {
                header = h.split_whitespace().map(str::to_string).collect();
                mixed = false;
                continue;
            }
            if t.starts_with("Number of mixed blocks") {
                mixed = true;
                continue;
            }
            if mixed {
                continue;
            }
            let Some((node, z, rest)) = Self::node_zone(t) else {
                self.unknown
                    .push(("pagetypeinfo".into(), n + 1, line.into()));
                continue;
            };
            if let Some(row) = rest.trim_start().strip_prefix(", type") {
                let row = row.trim_start();
                let (ty, counts) = row.split_at(row.find(' ').unwrap_or(row.len()));
                let Some(c) = Self::counts(counts) else {
                    self.unknown
                        .push(("pagetypeinfo".into(), n + 1, line.into()));
                    continue;
                };
                if counts.contains('>') {
                    self.leave_out(
                        "free blocks past pagetypeinfo's count limit (it prints >100000; \
                         100000 are laid out)"
                            .into(),
                    );
                }
                let nonzero = c.iter().any(|&x| x > 0);
                let Some(z) = self.modelled(node, z) else {
                    continue;
                };
                match MigrateType::ALL.iter().position(|m| m.name() == ty) {
                    Some(i) => {
                        let rows = self.zone(z).by_type.get_or_insert([[0; NR_PAGE_ORDERS]; 4]);
                        Self::add(&mut rows[i], &c);
                    }
                    None if ty == "Isolate" && !nonzero => {}
                    None => {
                        if nonzero {
                            self.leave_out(format!("free blocks of migrate type {ty}"));
                        }
                    }
                }
            } else {
                // A row of "Number of blocks type", by the header's columns.
                let nums: Vec<u64> = rest
                    .split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect();
                if nums.len() != header.len() || header.is_empty() {
                    self.unknown
                        .push(("pagetypeinfo".into(), n + 1, line.into()));
                    continue;
                }
                let Some(z) = self.modelled(node, z) else {
                    continue;
                };
                let mut blocks = [0u64; 4];
                for (h, v) in header.clone().iter().zip(&nums) {
                    match MigrateType::ALL.iter().position(|m| m.name() == h) {
                        Some(i) => blocks[i] = *v,
                        None if *v == 0 => {}
                        None => self.leave_out(format!("pageblocks of migrate type {h}")),
                    }
                }
                if !self.pageblock_mismatch {
                    let sum = self.zone(z).blocks.get_or_insert([0; 4]);
                    for (a, b) in sum.iter_mut().zip(blocks) {
                        *a = a.saturating_add(b);
                    }
                }
            }
        }
    }

    fn read_zoneinfo(&mut self, text: &str) {
        // Whether a zone has pages (one with none is no zone), and how many CPUs the
        // first zone with pagesets has one for.
        let mut node_zone: Option<(u32, String)> = None;
        let (mut zones, mut cpus) = (0u32, 0u32);
        for line in text.lines() {
            let t = line.trim();
            if let Some((node, z, _)) = Self::node_zone(t) {
                node_zone = Some((node, z.to_string()));
                // The first zone with pagesets counts (an empty zone prints none).
                if cpus > 0 {
                    zones += 1;
                }
            } else if t.starts_with("cpu:") && zones == 0 {
                cpus = cpus.saturating_add(1);
            } else if let Some(v) = t.strip_prefix("present") {
                let present: u64 = v.trim().parse().unwrap_or(0);
                if let Some((node, z)) = node_zone.take() {
                    if present > 0 {
                        let _ = self.modelled(node, &z);
                    }
                }
            }
        }
        if cpus > 0 {
            self.cpus = Some(cpus);
        }
    }

    fn read_slabinfo(&mut self, text: &str) {
        for (n, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with("slabinfo -") {
                continue;
            }
            let w: Vec<&str> = t.split_whitespace().collect();
            let num = |i: usize| w.get(i).and_then(|v| v.parse::<u64>().ok());
            match (num(1), num(2), num(3), num(4), num(5)) {
                (
                    Some(active_objs),
                    Some(num_objs),
                    Some(objsize),
                    Some(objperslab),
                    Some(pagesperslab),
                ) if objsize > 0 => self.slabs.push(SlabRow {
                    name: w[0].to_string(),
                    active_objs,
                    num_objs,
                    objsize,
                    objperslab,
                    pagesperslab,
                }),
                _ => self.unknown.push(("slabinfo".into(), n + 1, line.into())),
            }
        }
    }

    fn read_sysctl(&mut self, name: &str, text: &str) {
        for (n, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            match t.split_once('=') {
                Some((k, v)) if k.trim().starts_with("vm.") => self.sysctls.push((
                    k.trim().trim_start_matches("vm.").to_string(),
                    v.trim().to_string(),
                )),
                // sysctl -a lists every subsystem's: only vm.* is the sandbox's.
                Some(_) => {}
                None => self.unknown.push((name.to_string(), n + 1, line.into())),
            }
        }
    }
}
