//! The caches a booted kernel creates, and (`boot caches=typical`) a realistic set of
//! busy kernel caches so /proc/slabinfo looks like a real machine's.
//!
//! Object sizes are those of a typical v6.x x86-64 distribution kernel; they vary
//! with the configuration. Geometry is always derived by the kernel's rules.

use super::cache::{SLAB_ACCOUNT, SLAB_CACHE_DMA, SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT};
use super::error::SlabError;
use super::kmalloc::{cache_name, class_size, creation_order, KmallocType};
use super::Slub;
use crate::kernel::Kernel;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::GfpFlags;

/// Caches every machine has after boot besides the kmalloc ones: the process
/// structures that `spawn`, `fork` and `mmap` allocate, in v6.19's creation order
/// (`mm_cache_init` in `mm_core_init`, then `fork_init`, then `vma_state_init` from
/// `proc_caches_init` → `mmap_init`). `vm_area_struct` is `SLAB_HWCACHE_ALIGN` (and
/// `SLAB_TYPESAFE_BY_RCU` with its free pointer inside the object, which changes no
/// size).
pub const PROCESS_CACHES: &[(&str, u32, u32)] = &[
    ("mm_struct", 1408, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT),
    ("task_struct", 9984, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT),
    ("vm_area_struct", 184, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT),
];

/// `caches=typical`: (name, object size, flags, objects in use per GiB of RAM).
pub const TYPICAL: &[(&str, u32, u32, u32)] = &[
    ("kernfs_node_cache", 128, 0, 22_000),
    (
        "dentry",
        192,
        SLAB_RECLAIM_ACCOUNT | SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT,
        24_000,
    ),
    (
        "inode_cache",
        608,
        SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
        9_000,
    ),
    (
        "ext4_inode_cache",
        1176,
        SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
        3_200,
    ),
    ("buffer_head", 104, SLAB_RECLAIM_ACCOUNT, 6_000),
    ("radix_tree_node", 576, SLAB_RECLAIM_ACCOUNT, 1_800),
    ("filp", 256, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, 2_400),
    ("anon_vma", 104, SLAB_ACCOUNT, 1_600),
    ("anon_vma_chain", 64, SLAB_ACCOUNT, 2_800),
    ("files_cache", 704, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, 120),
    ("signal_cache", 1152, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, 150),
    (
        "sighand_cache",
        2112,
        SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT,
        150,
    ),
    ("cred_jar", 192, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, 600),
    ("pid", 128, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, 300),
    ("skbuff_head_cache", 256, SLAB_HWCACHE_ALIGN, 400),
    (
        "sock_inode_cache",
        832,
        SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
        300,
    ),
    (
        "proc_inode_cache",
        696,
        SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
        1_500,
    ),
    ("shmem_inode_cache", 776, SLAB_ACCOUNT, 1_200),
];

/// Objects per busy process-structure cache with `caches=typical`, per GiB (in
/// `PROCESS_CACHES` order: mm_struct, task_struct, vm_area_struct).
const TYPICAL_PROCESS_OBJECTS: [u32; 3] = [60, 140, 3_200];

impl Slub {
    /// `kmem_cache_init` + `create_kmalloc_caches` + the process caches: what every
    /// boot creates, in the kernel's order (so /proc/slabinfo lists them newest first).
    /// With `typical`, the busy caches of a machine with `mem` bytes of RAM.
    pub fn boot(&mut self, k: &mut Kernel, typical: bool, mem: u64) -> Result<(), SlabError> {
        let gfp = GfpFlags(GFP_KERNEL);
        // Bootstrap: after the kernel's bootstrap() re-adds kmem_cache, then
        // kmem_cache_node, to slab_caches, each holds its own bookkeeping objects and
        // /proc/slabinfo ends with kmem_cache_node, kmem_cache.
        let cache = self.kmem_cache_create(k, "kmem_cache", 256, 0, SLAB_HWCACHE_ALIGN)?;
        // struct kmem_cache_node with CONFIG_SLUB_DEBUG (nr_slabs, total_objects and
        // the full list) and v6.18's barn pointer: 72 bytes, 128 with the cache-line
        // alignment.
        let node = self.kmem_cache_create(k, "kmem_cache_node", 72, 0, SLAB_HWCACHE_ALIGN)?;
        for id in [node, cache] {
            let a = self.slab_alloc(k, cache, gfp)?;
            let b = self.slab_alloc(k, node, gfp)?;
            self.set_meta(id, vec![(cache, a), (node, b)]);
        }
        for t in KmallocType::ALL {
            for index in creation_order() {
                let flags = match t {
                    KmallocType::Reclaim => SLAB_RECLAIM_ACCOUNT,
                    KmallocType::Dma => SLAB_CACHE_DMA,
                    KmallocType::Cgroup => SLAB_ACCOUNT,
                    KmallocType::Normal => 0,
                };
                let id =
                    self.kmem_cache_create(k, &cache_name(t, index), class_size(index), 0, flags)?;
                self.set_kmalloc_cache(t, index, id);
            }
        }
        for &(name, size, flags) in PROCESS_CACHES {
            self.kmem_cache_create(k, name, size, 0, flags)?;
        }
        if typical {
            let mib = (mem >> 20).max(64);
            let scale = |per_gib: u32| (u64::from(per_gib) * mib / 1024) as u32;
            for (&(name, _, _), &n) in PROCESS_CACHES.iter().zip(&TYPICAL_PROCESS_OBJECTS) {
                let id = self.cache_id(name)?;
                for _ in 0..scale(n) {
                    self.slab_alloc(k, id, gfp)?;
                }
            }
            for &(name, size, flags, per_gib) in TYPICAL {
                let id = self.kmem_cache_create(k, name, size, 0, flags)?;
                for _ in 0..scale(per_gib) {
                    self.slab_alloc(k, id, gfp)?;
                }
            }
        }
        Ok(())
    }
}
