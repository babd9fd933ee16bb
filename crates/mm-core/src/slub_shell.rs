//! The slab commands of the command language: `kmem_cache_*`, `kmalloc`, `kfree`.

use crate::gfp::{GfpFlags, GFP_KERNEL};
use crate::machine::Machine;
use crate::size::{parse_number, parse_size};
use crate::slub::alloc::Freed;
use crate::slub::cache::{SLAB_ACCOUNT, SLAB_CACHE_DMA, SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT};

/// `SLAB_*` flag names `kmem_cache_create` accepts.
const SLAB_FLAGS: &[(&str, u32)] = &[
    ("SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN),
    ("SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT),
    ("SLAB_CACHE_DMA", SLAB_CACHE_DMA),
    ("SLAB_ACCOUNT", SLAB_ACCOUNT),
];

fn gfp(arg: Option<&&str>) -> Result<GfpFlags, String> {
    match arg {
        Some(g) => GfpFlags::parse(g).map_err(|e| e.0),
        None => Ok(GfpFlags(GFP_KERNEL)),
    }
}

fn addr(text: &str) -> Result<u64, String> {
    parse_number(text).map_err(|_| format!("'{text}' is not an address (write 0xffff888000100000)"))
}

impl Machine {
    pub(crate) fn slab_command(&mut self, cmd: &str, a: &[&str]) -> Result<String, String> {
        match (cmd, a) {
            ("kmem_cache_create", [name, size, rest @ ..]) => {
                let size = parse_size(size)?;
                let size =
                    u32::try_from(size).map_err(|_| format!("object size {size} is too large"))?;
                let mut align = 0;
                let mut flags = 0;
                for opt in rest {
                    if let Some(v) = opt.strip_prefix("align=") {
                        align = u32::try_from(parse_number(v)?)
                            .map_err(|_| "align= is too large".to_string())?;
                    } else {
                        for f in opt.split('|') {
                            let bit = SLAB_FLAGS.iter().find(|(n, _)| *n == f).map(|(_, b)| *b).ok_or_else(|| {
                                format!("unknown flag '{f}' (SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA, SLAB_ACCOUNT, align=N)")
                            })?;
                            flags |= bit;
                        }
                    }
                }
                let id = self.kmem_cache_create(name, size, align, flags)?;
                let c = self.slub.cache(id).ok_or("cache vanished")?;
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
            ("kmem_cache_alloc", [name, rest @ ..]) if rest.len() <= 1 => {
                let id = self.cache_id(name)?;
                let g = gfp(rest.first())?;
                let addr = self.slab_alloc(id, g)?;
                Ok(format!("addr={addr:#x} cache={name}\n"))
            }
            ("kmem_cache_free", [name, ad]) => {
                let id = self.cache_id(name)?;
                let ad = addr(ad)?;
                self.kmem_cache_free(id, ad)
                    .inspect_err(|e| self.log(e.clone()))?;
                Ok(format!("freed={ad:#x} cache={name}\n"))
            }
            ("kmem_cache_shrink", [name]) => {
                let id = self.cache_id(name)?;
                let (slabs, pages) = self.kmem_cache_shrink(id)?;
                Ok(format!(
                    "cache={name} freed_slabs={slabs} freed_pages={pages}\n"
                ))
            }
            ("kmem_cache_destroy", [name]) => {
                let id = self.cache_id(name)?;
                self.kmem_cache_destroy(id)?;
                Ok(format!("destroyed={name}\n"))
            }
            ("kmalloc", [size, rest @ ..]) if rest.len() <= 1 => {
                let size = parse_size(size)?;
                let g = gfp(rest.first())?;
                let (ad, cache) = self.kmalloc(size, g)?;
                Ok(match cache {
                    Some(c) => format!("addr={ad:#x} cache={c}\n"),
                    None if size == 0 => format!("addr={ad:#x} cache=none (ZERO_SIZE_PTR)\n"),
                    None => format!(
                        "addr={ad:#x} cache=none (order-{} pages)\n",
                        crate::types::get_order(size)
                    ),
                })
            }
            ("kfree", [ad]) => {
                let ad = addr(ad)?;
                match self.kfree(ad).inspect_err(|e| {
                    if e.starts_with("BUG") {
                        self.log(e.clone());
                    }
                })? {
                    Freed::Object { cache } => Ok(format!("freed={ad:#x} cache={cache}\n")),
                    Freed::Large { order } => {
                        Ok(format!("freed={ad:#x} cache=none (order-{order} pages)\n"))
                    }
                    Freed::Nothing => Ok(format!("freed={ad:#x} (nothing to free)\n")),
                }
            }
            _ => Err(crate::help::command(cmd)
                .and_then(|h| h.lines().next().map(str::to_string))
                .unwrap_or_else(|| "bad arguments".into())),
        }
    }
}
