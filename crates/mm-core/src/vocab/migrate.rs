//! Migrate types: pageblocks are grouped by how movable their pages are, so that
//! unmovable kernel allocations do not scatter across memory (`enum migratetype`).

use serde::Serialize;
use std::fmt;

/// `MIGRATE_TYPES` in this configuration (no CMA, no memory isolation).
pub const MIGRATE_TYPES: usize = 4;
/// `MIGRATE_PCPTYPES`: the types with per-CPU lists and ordinary fallbacks.
pub const MIGRATE_PCPTYPES: usize = 3;

/// `enum migratetype`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
pub enum MigrateType {
    /// MIGRATE_UNMOVABLE: kernel allocations that never move (GFP_KERNEL).
    Unmovable = 0,
    /// MIGRATE_MOVABLE: user pages and page cache that compaction can migrate.
    Movable = 1,
    /// MIGRATE_RECLAIMABLE: caches the kernel can drop (`__GFP_RECLAIMABLE`).
    Reclaimable = 2,
    /// MIGRATE_HIGHATOMIC: a reserve for high-order atomic allocations.
    HighAtomic = 3,
}

impl MigrateType {
    /// All types in index order.
    pub const ALL: [MigrateType; MIGRATE_TYPES] = [
        MigrateType::Unmovable,
        MigrateType::Movable,
        MigrateType::Reclaimable,
        MigrateType::HighAtomic,
    ];

    /// The index into `free_list[]`.
    pub fn idx(self) -> usize {
        self as usize
    }

    /// The type with index `idx`.
    pub fn from_idx(idx: usize) -> Option<MigrateType> {
        MigrateType::ALL.get(idx).copied()
    }

    /// `migratetype_names[]`, as /proc/pagetypeinfo prints them.
    pub fn name(self) -> &'static str {
        match self {
            MigrateType::Unmovable => "Unmovable",
            MigrateType::Movable => "Movable",
            MigrateType::Reclaimable => "Reclaimable",
            MigrateType::HighAtomic => "HighAtomic",
        }
    }

    /// The letter `show_migration_types` prints in allocation-failure reports.
    pub fn letter(self) -> char {
        match self {
            MigrateType::Unmovable => 'U',
            MigrateType::Movable => 'M',
            MigrateType::Reclaimable => 'E',
            MigrateType::HighAtomic => 'H',
        }
    }

    /// `fallbacks[]`: where `__rmqueue_claim` and `__rmqueue_steal` look, in order,
    /// when this type's own lists are empty.
    pub fn fallbacks(self) -> [MigrateType; 2] {
        match self {
            MigrateType::Unmovable => [MigrateType::Reclaimable, MigrateType::Movable],
            MigrateType::Movable => [MigrateType::Reclaimable, MigrateType::Unmovable],
            MigrateType::Reclaimable | MigrateType::HighAtomic => {
                [MigrateType::Unmovable, MigrateType::Movable]
            }
        }
    }

    /// `migratetype_is_mergeable`: types below MIGRATE_PCPTYPES may merge across
    /// pageblocks of different types.
    pub fn is_mergeable(self) -> bool {
        self.idx() < MIGRATE_PCPTYPES
    }
}

impl fmt::Display for MigrateType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
