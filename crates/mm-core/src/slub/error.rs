//! What SLUB refuses, and SLUB's own complaints (the `BUG cache (Not tainted): ...`
//! reports of `slab_err`).

use crate::command::Failure;
use crate::page_alloc::error::PageAllocError;
use crate::page_alloc::memmap::PageUse;
use std::fmt;

/// A slab command or call that did not succeed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SlabError {
    /// No cache has this name.
    UnknownCache(String),
    /// Not a name a cache may have.
    BadCacheName(String),
    /// A cache with this name exists already.
    CacheExists(String),
    /// An object size of 0.
    ZeroSize,
    /// An object size above `KMALLOC_MAX_SIZE`.
    ObjectTooLarge(u64),
    /// An alignment that is not a power of two.
    BadAlign(u32),
    /// `align=` beyond 32 bits.
    AlignTooLarge,
    /// A `SLAB_*` flag this model does not know.
    UnknownFlag(String),
    /// Objects that do not fit in the largest slab.
    DoesNotFit(u32),
    /// A kmalloc above `KMALLOC_MAX_SIZE` (4M).
    KmallocTooLarge(u64),
    /// Not an address in the direct map.
    NotDirectMap(u64),
    /// A direct-map address past the end of RAM.
    BeyondRam(u64),
    /// The address's page holds no slab.
    NotSlab {
        /// The address.
        addr: u64,
        /// What its page is used for.
        usage: PageUse,
    },
    /// An address inside a large kmalloc, not its start.
    InsideLargeKmalloc(u64),
    /// `slab_err`: not the start of an object.
    InvalidPointer {
        /// The cache.
        cache: String,
        /// The address.
        addr: u64,
    },
    /// `slab_err`: the object is free already.
    DoubleFree {
        /// The cache.
        cache: String,
        /// The address.
        addr: u64,
    },
    /// `cache_from_obj`: the object belongs to another cache.
    WrongCache {
        /// The cache named.
        cache: String,
        /// The cache the object is from.
        owner: String,
    },
    /// The kmalloc caches and the process caches live as long as the kernel.
    BootCache(String),
    /// `kmem_cache_destroy` while objects are live.
    StillHasObjects {
        /// The cache.
        cache: String,
        /// Objects in use.
        inuse: u64,
    },
    /// The page allocator could not give a slab its pages.
    PageAlloc(PageAllocError),
    /// A broken promise inside the model (a bug): the invariants would say which.
    Internal(&'static str),
}

impl SlabError {
    /// A page allocation failure is the kernel failing; the rest is refused input.
    pub fn failure(&self) -> Failure {
        match self {
            SlabError::PageAlloc(e) => e.failure(),
            SlabError::Internal(_) => Failure::Kernel,
            _ => Failure::Rejected,
        }
    }

    /// Whether this is one of SLUB's `BUG` reports (which also go to the log).
    pub fn is_slab_bug(&self) -> bool {
        matches!(
            self,
            SlabError::InvalidPointer { .. } | SlabError::DoubleFree { .. }
        )
    }
}

impl From<PageAllocError> for SlabError {
    fn from(e: PageAllocError) -> SlabError {
        SlabError::PageAlloc(e)
    }
}

impl fmt::Display for SlabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlabError::UnknownCache(name) => {
                write!(f, "no cache named '{name}' (cat /proc/slabinfo lists them)")
            }
            SlabError::BadCacheName(name) => {
                write!(f, "'{name}' is not a cache name (1-32 visible characters)")
            }
            SlabError::CacheExists(name) => write!(f, "a cache named '{name}' already exists"),
            SlabError::ZeroSize => f.write_str("object size must be at least 1 byte"),
            SlabError::ObjectTooLarge(size) => {
                write!(f, "object size {size} is above KMALLOC_MAX_SIZE (4M)")
            }
            SlabError::BadAlign(a) => write!(f, "align={a} is not a power of two"),
            SlabError::AlignTooLarge => f.write_str("align= is too large"),
            SlabError::UnknownFlag(flag) => write!(
                f,
                "unknown flag '{flag}' (SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA, \
                 SLAB_ACCOUNT, align=N)"
            ),
            SlabError::DoesNotFit(size) => {
                write!(f, "objects of {size} bytes do not fit in a 4M slab")
            }
            SlabError::KmallocTooLarge(size) => {
                write!(f, "size {size} is above KMALLOC_MAX_SIZE (4M)")
            }
            SlabError::NotDirectMap(addr) => write!(f, "{addr:#x} is not a direct-map address"),
            SlabError::BeyondRam(addr) => write!(f, "{addr:#x} is beyond the end of RAM"),
            SlabError::NotSlab { addr, usage } => write!(
                f,
                "{addr:#x} is not slab memory (its page is {})",
                usage.name()
            ),
            SlabError::InsideLargeKmalloc(addr) => {
                write!(
                    f,
                    "{addr:#x} is inside a large kmalloc block, not its start"
                )
            }
            SlabError::InvalidPointer { cache, addr } => {
                write!(
                    f,
                    "BUG {cache} (Not tainted): Invalid object pointer {addr:#x}"
                )
            }
            SlabError::DoubleFree { cache, addr } => write!(
                f,
                "BUG {cache} (Not tainted): Object already free: double free of {addr:#x}"
            ),
            SlabError::WrongCache { cache, owner } => write!(
                f,
                "cache_from_obj: Wrong slab cache. {cache} but object is from {owner}"
            ),
            SlabError::BootCache(name) => {
                write!(f, "{name} is a boot-time cache and cannot be destroyed")
            }
            SlabError::StillHasObjects { cache, inuse } => {
                write!(f, "{cache}: Slab cache still has objects ({inuse} in use)")
            }
            SlabError::PageAlloc(e) => write!(f, "{e}"),
            SlabError::Internal(what) => write!(f, "internal error: {what}"),
        }
    }
}
