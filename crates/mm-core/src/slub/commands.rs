//! SLUB's commands: `kmem_cache_*`, `kmalloc`, `kfree`.

use super::cache::{SLAB_ACCOUNT, SLAB_CACHE_DMA, SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT};
use super::error::SlabError;
use super::free::Freed;
use super::Slub;
use crate::command::CommandSpec;
use crate::error::Error;
use crate::vm::Vm;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::{get_order, parse_addr, parse_number, parse_size, GfpFlags};

/// A slab command. It runs on a [`Vm`] because SLUB's page allocations go through
/// `__alloc_pages`' slow path, with reclaim and the OOM killer
/// ([`Vm::slab_with_reclaim`]).
pub type SlabCommand = CommandSpec<fn(&mut Vm<'_>, &[&str]) -> Result<String, Error>>;

/// `SLAB_*` flag names `kmem_cache_create` accepts.
const SLAB_FLAGS: &[(&str, u32)] = &[
    ("SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN),
    ("SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT),
    ("SLAB_CACHE_DMA", SLAB_CACHE_DMA),
    ("SLAB_ACCOUNT", SLAB_ACCOUNT),
];

/// What a direct-map address looks like, for argument errors.
const ADDR_EXAMPLE: &str = "0xffff888000100000";

/// SLUB's commands, in the order `help` lists them.
pub const COMMANDS: &[SlabCommand] = &[
    CommandSpec {
        name: "kmalloc",
        usage: "kmalloc SIZE [GFP_FLAGS]",
        summary: "allocate SIZE bytes from the kmalloc size class that fits",
        details: crate::command::details!("kmalloc 200 lands in kmalloc-256 (classes 8 16 32 64 96 128 192 256 512 1k 2k 4k 8k; \
__GFP_RECLAIMABLE picks kmalloc-rcl-*, GFP_DMA dma-kmalloc-*, __GFP_ACCOUNT kmalloc-cg-*). Above 8K \
the pages come straight from the buddy allocator; kmalloc 0 returns ZERO_SIZE_PTR. Prints addr=... cache=..."),
        run: kmalloc,
    },
    CommandSpec {
        name: "kfree",
        usage: "kfree ADDR",
        summary: "free what kmalloc or kmem_cache_alloc returned",
        details: crate::command::details!("The slab is found from the page the address lies in (virt_to_slab). A pointer into the \
middle of an object, a double free or a non-slab address is refused with a SLUB-style BUG line."),
        run: kfree,
    },
    CommandSpec {
        name: "kmem_cache_create",
        usage: "kmem_cache_create NAME SIZE [align=N] [SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_CACHE_DMA|SLAB_ACCOUNT]",
        summary: "create a slab cache of SIZE-byte objects",
        details: crate::command::details!("The object size is aligned (SLAB_HWCACHE_ALIGN: to the cache line, halved while two \
objects fit), then calculate_order picks the slab order (slub_min_objects = 4*(fls(cpus)+1), \
slub_max_order = 3). Caches are never merged (as with slab_nomerge), so each has its own slabinfo line."),
        run: kmem_cache_create,
    },
    CommandSpec {
        name: "kmem_cache_alloc",
        usage: "kmem_cache_alloc NAME [GFP_FLAGS]",
        summary: "allocate one object from a cache",
        details: crate::command::details!("From CPU 0's slab; when it is full, from the node's partial list; else a new slab from \
the buddy allocator."),
        run: kmem_cache_alloc,
    },
    CommandSpec {
        name: "kmem_cache_free",
        usage: "kmem_cache_free NAME ADDR",
        summary: "free an object back to its cache",
        details: crate::command::details!("A full slab becomes partial; an empty slab is given back to the buddy allocator once \
the node keeps min_partial (5-10) partial slabs."),
        run: kmem_cache_free,
    },
    CommandSpec {
        name: "kmem_cache_shrink",
        usage: "kmem_cache_shrink NAME",
        summary: "give every empty slab of a cache back to the buddy allocator",
        details: crate::command::details!("Flushes CPU 0's slab, frees empty partial slabs and sorts the rest fullest first."),
        run: kmem_cache_shrink,
    },
    CommandSpec {
        name: "kmem_cache_destroy",
        usage: "kmem_cache_destroy NAME",
        summary: "destroy a cache (refused while it has objects)",
        details: crate::command::details!("Refused with the kernel's 'Slab cache still has objects' while any object is live."),
        run: kmem_cache_destroy,
    },
];

fn gfp(arg: Option<&&str>) -> Result<GfpFlags, Error> {
    Ok(match arg {
        Some(g) => GfpFlags::parse(g)?,
        None => GfpFlags(GFP_KERNEL),
    })
}

fn cache_name(slub: &Slub, id: usize) -> &str {
    slub.cache(id).map(|c| c.name.as_str()).unwrap_or("?")
}

fn kmem_cache_create(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [name, size, rest @ ..] = a else {
        return Err(Error::Usage);
    };
    let size = parse_size(size)?;
    let size = u32::try_from(size).map_err(|_| SlabError::ObjectTooLarge(size))?;
    let mut align = 0;
    let mut flags = 0;
    for opt in rest {
        if let Some(v) = opt.strip_prefix("align=") {
            align = u32::try_from(parse_number(v)?).map_err(|_| SlabError::AlignTooLarge)?;
        } else {
            for f in opt.split('|') {
                let (_, bit) = SLAB_FLAGS
                    .iter()
                    .find(|(n, _)| *n == f)
                    .ok_or_else(|| SlabError::UnknownFlag(f.to_string()))?;
                flags |= bit;
            }
        }
    }
    let id = vm.slab_with_reclaim(None, true, |slub, k| {
        slub.kmem_cache_create(k, name, size, align, flags)
    })?;
    let c = vm
        .slub
        .cache(id)
        .ok_or(SlabError::Internal("the new cache vanished"))?;
    Ok(format!(
        "cache={} objsize={} size={} align={} objperslab={} pagesperslab={}\n",
        c.name,
        c.object_size,
        c.size,
        c.align,
        c.objects,
        1u32 << c.order
    ))
}

fn kmem_cache_alloc(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [name, rest @ ..] = a else {
        return Err(Error::Usage);
    };
    if rest.len() > 1 {
        return Err(Error::Usage);
    }
    let id = vm.slub.cache_id(name)?;
    let gfp = gfp(rest.first())?;
    let addr = vm.slab_with_reclaim(None, true, |slub, k| slub.slab_alloc(k, id, gfp))?;
    Ok(format!("addr={addr:#x} cache={name}\n"))
}

/// `kmem_cache_free NAME ADDR`: every complaint also goes to the log, as the kernel's
/// `slab_err` and `cache_from_obj` warnings do.
fn kmem_cache_free(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (slub, k) = (&mut *vm.slub, &mut *vm.k);
    let [name, addr] = a else {
        return Err(Error::Usage);
    };
    let id = slub.cache_id(name)?;
    let addr = parse_addr(addr, ADDR_EXAMPLE)?;
    slub.kmem_cache_free(k, id, addr)
        .inspect_err(|e| k.printk(e.to_string()))?;
    Ok(format!("freed={addr:#x} cache={name}\n"))
}

fn kmem_cache_shrink(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (slub, k) = (&mut *vm.slub, &mut *vm.k);
    let [name] = a else {
        return Err(Error::Usage);
    };
    let id = slub.cache_id(name)?;
    let (slabs, pages) = slub.kmem_cache_shrink(k, id)?;
    Ok(format!(
        "cache={name} freed_slabs={slabs} freed_pages={pages}\n"
    ))
}

fn kmem_cache_destroy(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (slub, k) = (&mut *vm.slub, &mut *vm.k);
    let [name] = a else {
        return Err(Error::Usage);
    };
    let id = slub.cache_id(name)?;
    slub.kmem_cache_destroy(k, id)?;
    Ok(format!("destroyed={name}\n"))
}

fn kmalloc(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [size, rest @ ..] = a else {
        return Err(Error::Usage);
    };
    if rest.len() > 1 {
        return Err(Error::Usage);
    }
    let size = parse_size(size)?;
    let gfp = gfp(rest.first())?;
    let (addr, cache) = vm.slab_with_reclaim(None, true, |slub, k| slub.kmalloc(k, size, gfp))?;
    Ok(match cache {
        Some(id) => format!("addr={addr:#x} cache={}\n", cache_name(vm.slub, id)),
        None if size == 0 => format!("addr={addr:#x} cache=none (ZERO_SIZE_PTR)\n"),
        None => format!(
            "addr={addr:#x} cache=none (order-{} pages)\n",
            get_order(size)
        ),
    })
}

/// `kfree ADDR`: SLUB's `BUG` reports also go to the log.
fn kfree(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (slub, k) = (&mut *vm.slub, &mut *vm.k);
    let [addr] = a else {
        return Err(Error::Usage);
    };
    let addr = parse_addr(addr, ADDR_EXAMPLE)?;
    let freed = slub.kfree(k, addr).inspect_err(|e| {
        if e.is_slab_bug() {
            k.printk(e.to_string());
        }
    })?;
    Ok(match freed {
        Freed::Object { cache } => format!("freed={addr:#x} cache={}\n", cache_name(slub, cache)),
        Freed::Large { order } => format!("freed={addr:#x} cache=none (order-{order} pages)\n"),
        Freed::Nothing => format!("freed={addr:#x} (nothing to free)\n"),
    })
}
