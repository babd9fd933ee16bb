//! `/proc/sys/vm`: the tunables this model honours, with the kernel's ranges and the
//! side effects of writing them (`kernel/sysctl.c`, `mm/page_alloc.c`, `mm/util.c`).
//! Plain data: the machine applies the [`Effect`] of a write.

use crate::event::define::define_events;
use serde::{Serialize, Serializer};
use std::fmt;

/// `vm.overcommit_memory` (`include/uapi/linux/mman.h`: `OVERCOMMIT_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum OvercommitMode {
    /// 0, `OVERCOMMIT_GUESS`: refuse only a single request larger than RAM + swap.
    #[default]
    Guess,
    /// 1, `OVERCOMMIT_ALWAYS`: never refuse.
    Always,
    /// 2, `OVERCOMMIT_NEVER`: refuse once Committed_AS would reach CommitLimit.
    Never,
}

impl OvercommitMode {
    /// The number the file holds.
    pub fn value(self) -> u8 {
        match self {
            OvercommitMode::Guess => 0,
            OvercommitMode::Always => 1,
            OvercommitMode::Never => 2,
        }
    }

    /// The mode a number names.
    pub fn from_value(v: u64) -> Option<OvercommitMode> {
        match v {
            0 => Some(OvercommitMode::Guess),
            1 => Some(OvercommitMode::Always),
            2 => Some(OvercommitMode::Never),
            _ => None,
        }
    }
}

/// In JSON the mode is the file's number, as before it was an enum.
impl Serialize for OvercommitMode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.value())
    }
}

define_events! {
    /// A tunable written through `/proc/sys` (`kernel/sysctl.c`).
    pub enum SysctlEvent {
        /// A sysctl was written.
        Sysctl {
            /// Its name (`vm.min_free_kbytes`).
            name: Box<str>,
            /// The new value.
            value: Box<str>,
        }
            function: "proc_dointvec",
            tracepoint: None,
            sentence: format!("{name} = {value}."),
    }
}

/// A write the kernel's handler refuses with EINVAL; nothing changes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SysctlError {
    /// No such tunable.
    Unknown(String),
    /// The value is not an integer.
    NotAnInteger {
        /// The tunable.
        name: String,
        /// What was written.
        value: String,
    },
    /// The value is outside the handler's `extra1..extra2`.
    OutOfRange {
        /// The tunable.
        name: String,
        /// What was written.
        value: i64,
        /// The smallest value allowed.
        lo: u64,
        /// The largest value allowed.
        hi: u64,
    },
    /// `lowmem_reserve_ratio` takes one to four numbers.
    TooManyNumbers(String),
    /// A key outside `vm.` (`/proc/sys/...` path given).
    NotVm(String),
    /// `sysctl -w` of an item without `=`.
    NotAnAssignment(String),
    /// Setting a key failed.
    Setting {
        /// The key as typed (`vm.min_free_kbytes`).
        key: String,
        /// Why.
        source: Box<SysctlError>,
    },
}

impl fmt::Display for SysctlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SysctlError::Unknown(name) => {
                write!(
                    f,
                    "cannot stat /proc/sys/vm/{name}: No such file or directory"
                )
            }
            SysctlError::NotAnInteger { name, value } => {
                write!(f, "{name}: '{value}' is not an integer (EINVAL)")
            }
            SysctlError::OutOfRange {
                name,
                value,
                lo,
                hi,
            } => {
                write!(f, "{name}: {value} is out of range {lo}..{hi} (EINVAL)")
            }
            SysctlError::TooManyNumbers(name) => {
                write!(f, "{name}: write up to 4 numbers (EINVAL)")
            }
            SysctlError::NotVm(path) => {
                write!(f, "cannot stat /proc/sys/{path}: No such file or directory")
            }
            SysctlError::NotAnAssignment(item) => {
                write!(f, "\"{item}\" must be of the form name=value")
            }
            SysctlError::Setting { key, source } => write!(f, "setting key \"{key}\": {source}"),
        }
    }
}

/// The vm sysctls and their current values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmSysctl {
    /// `vm.min_free_kbytes`: the pool the watermarks are carved from.
    pub min_free_kbytes: u64,
    /// `vm.watermark_scale_factor`: distance between watermarks, in 1/10000 of a zone.
    pub watermark_scale_factor: u64,
    /// `vm.watermark_boost_factor`: cap of the fragmentation boost, in 1/10000 of high.
    pub watermark_boost_factor: u64,
    /// `vm.lowmem_reserve_ratio`.
    pub lowmem_reserve_ratio: [u64; 4],
    /// `vm.overcommit_memory`: 0 guess, 1 always, 2 never.
    pub overcommit_memory: OvercommitMode,
    /// `vm.overcommit_ratio`: percent of RAM in CommitLimit (mode 2).
    pub overcommit_ratio: u64,
    /// `vm.overcommit_kbytes`: CommitLimit's RAM part in kB, if not 0.
    pub overcommit_kbytes: u64,
    /// `vm.admin_reserve_kbytes`.
    pub admin_reserve_kbytes: u64,
    /// `vm.user_reserve_kbytes`.
    pub user_reserve_kbytes: u64,
    /// `vm.swappiness`.
    pub swappiness: u64,
    /// `vm.page-cluster`: swap readahead reads up to `1 << page_cluster` pages
    /// (capped at 32 by `SWAP_RA_ORDER_CEILING`); 0 turns it off. 3, or 2 on a machine
    /// under 16 MiB (`swap_setup`).
    pub page_cluster: u64,
    /// `vm.drop_caches`: the last value written (the file is write-only for users).
    pub drop_caches: u64,
    /// `vm.compact_memory`: the last value written (write-only; only 1 is accepted).
    pub compact_memory: u64,
    /// `vm.compaction_proactiveness` (20): how hard kcompactd0 keeps free memory in
    /// 2 MiB blocks ahead of need (0 turns proactive compaction off).
    pub compaction_proactiveness: u64,
    /// `vm.extfrag_threshold` (500): a fragmentation index at or below it blames a
    /// lack of memory, and compaction is not tried for orders above 3.
    pub extfrag_threshold: u64,
    /// `vm.dirty_background_ratio`: percent of dirtyable memory at which the flusher
    /// starts writing in the background (0 while `dirty_background_bytes` is set).
    pub dirty_background_ratio: u64,
    /// `vm.dirty_background_bytes`: the same threshold in bytes, if not 0.
    pub dirty_background_bytes: u64,
    /// `vm.dirty_ratio`: percent of dirtyable memory at which a writer must wait for
    /// writeback (0 while `dirty_bytes` is set).
    pub dirty_ratio: u64,
    /// `vm.dirty_bytes`: the same threshold in bytes, if not 0.
    pub dirty_bytes: u64,
    /// `vm.dirty_writeback_centisecs`: the flusher's period (0 or less: no periodic
    /// writeback; the kernel keeps it in an unsigned int, so -1 reads back as -1 and
    /// means 497 days).
    pub dirty_writeback_centisecs: i64,
    /// `vm.dirty_expire_centisecs`: how old dirty data must be for the periodic flusher.
    pub dirty_expire_centisecs: u64,
}

impl Default for VmSysctl {
    fn default() -> Self {
        VmSysctl {
            min_free_kbytes: 1024,
            watermark_scale_factor: WATERMARK_SCALE_FACTOR,
            watermark_boost_factor: 15_000,
            lowmem_reserve_ratio: LOWMEM_RESERVE_RATIO,
            overcommit_memory: OvercommitMode::Guess,
            overcommit_ratio: 50,
            overcommit_kbytes: 0,
            admin_reserve_kbytes: 8192,
            user_reserve_kbytes: 131_072,
            swappiness: 60,
            page_cluster: 3,
            drop_caches: 0,
            compact_memory: 0,
            extfrag_threshold: 500,
            compaction_proactiveness: 20,
            dirty_background_ratio: 10,
            dirty_background_bytes: 0,
            dirty_ratio: 20,
            dirty_bytes: 0,
            dirty_writeback_centisecs: 500,
            dirty_expire_centisecs: 3000,
        }
    }
}

/// Every sysctl name this model knows, for `sysctl -a` and tab completion.
pub const NAMES: &[&str] = &[
    "admin_reserve_kbytes",
    "compact_memory",
    "compaction_proactiveness",
    "dirty_background_bytes",
    "dirty_background_ratio",
    "dirty_bytes",
    "dirty_expire_centisecs",
    "dirty_ratio",
    "dirty_writeback_centisecs",
    "drop_caches",
    "extfrag_threshold",
    "lowmem_reserve_ratio",
    "min_free_kbytes",
    "overcommit_kbytes",
    "overcommit_memory",
    "overcommit_ratio",
    "page-cluster",
    "swappiness",
    "user_reserve_kbytes",
    "watermark_boost_factor",
    "watermark_scale_factor",
];

/// What a write changed, so the machine can recompute what depends on it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Effect {
    /// Nothing else depends on it.
    None,
    /// Watermarks (and per-CPU list sizes) must be recomputed.
    Watermarks,
    /// The lowmem reserves must be recomputed.
    LowmemReserve,
    /// `drop_caches` was written: drop clean caches (1), slab (2), both (3); 4 quiets
    /// the log line.
    DropCaches(u8),
    /// `compact_memory` was written: compact every zone (`compact_nodes`).
    CompactMemory,
    /// A non-zero `compaction_proactiveness` was written: kcompactd0 checks the
    /// fragmentation score at once (`proactive_compact_trigger`).
    ProactiveTrigger,
    /// A new non-zero `dirty_writeback_centisecs`: the kernel wakes the flusher at once
    /// (`wakeup_flusher_threads(WB_REASON_PERIODIC)`), which writes every dirty page.
    WakeupFlusher,
}

/// `watermark_scale_factor`'s default: 0.1% of the zone between watermarks.
pub const WATERMARK_SCALE_FACTOR: u64 = 10;
/// `sysctl_lowmem_reserve_ratio[]`: DMA 256, DMA32 256, Normal 32, Movable 0.
pub const LOWMEM_RESERVE_RATIO: [u64; 4] = [256, 256, 32, 0];

/// The dirty byte limits: `DIV_ROUND_UP(bytes, PAGE_SIZE)` must fit in 32 bits
/// (`-ERANGE` past it).
pub const DIRTY_BYTES_MAX: u64 = (u32::MAX as u64) << 12;

/// An `int` sysctl with no range of its own (`proc_dointvec`).
fn int_signed(value: &str, name: &str) -> Result<i64, SysctlError> {
    let v: i64 = value
        .trim()
        .parse()
        .map_err(|_| SysctlError::NotAnInteger {
            name: name.to_string(),
            value: value.trim().to_string(),
        })?;
    if v < i64::from(i32::MIN) || v > i64::from(i32::MAX) {
        // Not an int: proc_dointvec refuses it as it refuses text.
        return Err(SysctlError::NotAnInteger {
            name: name.to_string(),
            value: value.trim().to_string(),
        });
    }
    Ok(v)
}

fn int(value: &str, name: &str, lo: u64, hi: u64) -> Result<u64, SysctlError> {
    let v: i64 = value
        .trim()
        .parse()
        .map_err(|_| SysctlError::NotAnInteger {
            name: name.to_string(),
            value: value.trim().to_string(),
        })?;
    if v < lo as i64 || v > hi as i64 {
        return Err(SysctlError::OutOfRange {
            name: name.to_string(),
            value: v,
            lo,
            hi,
        });
    }
    Ok(v as u64)
}

impl VmSysctl {
    /// Reads a sysctl by its short name (`min_free_kbytes`), as the file's text without
    /// the newline.
    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "min_free_kbytes" => self.min_free_kbytes.to_string(),
            "watermark_scale_factor" => self.watermark_scale_factor.to_string(),
            "watermark_boost_factor" => self.watermark_boost_factor.to_string(),
            "lowmem_reserve_ratio" => crate::vocab::join(
                &self
                    .lowmem_reserve_ratio
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>(),
                "\t",
            ),
            "overcommit_memory" => self.overcommit_memory.value().to_string(),
            "overcommit_ratio" => self.overcommit_ratio.to_string(),
            "overcommit_kbytes" => self.overcommit_kbytes.to_string(),
            "admin_reserve_kbytes" => self.admin_reserve_kbytes.to_string(),
            "user_reserve_kbytes" => self.user_reserve_kbytes.to_string(),
            "swappiness" => self.swappiness.to_string(),
            "page-cluster" => self.page_cluster.to_string(),
            "drop_caches" => self.drop_caches.to_string(),
            "compact_memory" => self.compact_memory.to_string(),
            "extfrag_threshold" => self.extfrag_threshold.to_string(),
            "compaction_proactiveness" => self.compaction_proactiveness.to_string(),
            "dirty_background_ratio" => self.dirty_background_ratio.to_string(),
            "dirty_background_bytes" => self.dirty_background_bytes.to_string(),
            "dirty_ratio" => self.dirty_ratio.to_string(),
            "dirty_bytes" => self.dirty_bytes.to_string(),
            "dirty_writeback_centisecs" => self.dirty_writeback_centisecs.to_string(),
            "dirty_expire_centisecs" => self.dirty_expire_centisecs.to_string(),
            _ => return None,
        })
    }

    /// Writes a sysctl, checking the kernel's range; on error nothing changes.
    pub fn set(&mut self, name: &str, value: &str) -> Result<Effect, SysctlError> {
        let i32_max = i32::MAX as u64;
        match name {
            "min_free_kbytes" => {
                self.min_free_kbytes = int(value, name, 0, i32_max)?;
                Ok(Effect::Watermarks)
            }
            "watermark_scale_factor" => {
                self.watermark_scale_factor = int(value, name, 1, 3000)?;
                Ok(Effect::Watermarks)
            }
            "watermark_boost_factor" => {
                self.watermark_boost_factor = int(value, name, 0, i32_max)?;
                Ok(Effect::None)
            }
            "lowmem_reserve_ratio" => {
                let mut new = self.lowmem_reserve_ratio;
                let parts: Vec<&str> = value.split_whitespace().collect();
                if parts.is_empty() || parts.len() > 4 {
                    return Err(SysctlError::TooManyNumbers(name.to_string()));
                }
                for (slot, part) in new.iter_mut().zip(parts) {
                    *slot = int(part, name, 0, i32_max)?;
                }
                self.lowmem_reserve_ratio = new;
                Ok(Effect::LowmemReserve)
            }
            "overcommit_memory" => {
                let v = int(value, name, 0, 2)?;
                self.overcommit_memory = OvercommitMode::from_value(v).unwrap_or_default();
                Ok(Effect::None)
            }
            "overcommit_ratio" => {
                self.overcommit_ratio = int(value, name, 0, i32_max)?;
                // overcommit_ratio_handler: writing the ratio zeroes kbytes.
                self.overcommit_kbytes = 0;
                Ok(Effect::None)
            }
            "overcommit_kbytes" => {
                self.overcommit_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                // overcommit_kbytes_handler: writing kbytes zeroes the ratio.
                self.overcommit_ratio = 0;
                Ok(Effect::None)
            }
            "admin_reserve_kbytes" => {
                self.admin_reserve_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                Ok(Effect::None)
            }
            "user_reserve_kbytes" => {
                self.user_reserve_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                Ok(Effect::None)
            }
            "swappiness" => {
                self.swappiness = int(value, name, 0, 200)?;
                Ok(Effect::None)
            }
            "page-cluster" => {
                self.page_cluster = int(value, name, 0, 31)?;
                Ok(Effect::None)
            }
            "compact_memory" => {
                self.compact_memory = int(value, name, 1, 1)?;
                Ok(Effect::CompactMemory)
            }
            "extfrag_threshold" => {
                self.extfrag_threshold = int(value, name, 0, 1000)?;
                Ok(Effect::None)
            }
            "compaction_proactiveness" => {
                self.compaction_proactiveness = int(value, name, 0, 100)?;
                Ok(if self.compaction_proactiveness > 0 {
                    Effect::ProactiveTrigger
                } else {
                    Effect::None
                })
            }
            "drop_caches" => {
                self.drop_caches = int(value, name, 1, 4)?;
                Ok(Effect::DropCaches(self.drop_caches as u8))
            }
            // The four handlers of mm/page-writeback.c: a ratio and its bytes twin are
            // exclusive, so a successful write zeroes the other (dirty_ratio_handler
            // and dirty_bytes_handler only when the value changed).
            "dirty_background_ratio" => {
                self.dirty_background_ratio = int(value, name, 0, 100)?;
                self.dirty_background_bytes = 0;
                Ok(Effect::None)
            }
            "dirty_background_bytes" => {
                self.dirty_background_bytes = int(value, name, 1, DIRTY_BYTES_MAX)?;
                self.dirty_background_ratio = 0;
                Ok(Effect::None)
            }
            "dirty_ratio" => {
                let v = int(value, name, 0, 100)?;
                if v != self.dirty_ratio {
                    self.dirty_ratio = v;
                    self.dirty_bytes = 0;
                }
                Ok(Effect::None)
            }
            "dirty_bytes" => {
                let v = int(value, name, 2 * 4096, DIRTY_BYTES_MAX)?;
                if v != self.dirty_bytes {
                    self.dirty_bytes = v;
                    self.dirty_ratio = 0;
                }
                Ok(Effect::None)
            }
            "dirty_writeback_centisecs" => {
                // proc_dointvec: any int.
                let v = int_signed(value, name)?;
                let old = std::mem::replace(&mut self.dirty_writeback_centisecs, v);
                Ok(if v != 0 && v != old {
                    Effect::WakeupFlusher
                } else {
                    Effect::None
                })
            }
            "dirty_expire_centisecs" => {
                self.dirty_expire_centisecs = int(value, name, 0, i32_max)?;
                Ok(Effect::None)
            }
            _ => Err(SysctlError::Unknown(name.to_string())),
        }
    }
}
