//! The page allocator's commands: `alloc_pages` and `free_pages`.

use super::memmap::PageUse;
use crate::command::CommandSpec;
use crate::error::Error;
use crate::vm::Vm;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::{parse_number, parse_order, ArgError, GfpFlags, Pfn};

/// A page-allocator command. It runs on a [`Vm`] because `__alloc_pages`' slow path
/// reaches kswapd, direct reclaim and the OOM killer (`crate::vmscan::slowpath`).
pub type PageAllocCommand = CommandSpec<fn(&mut Vm<'_>, &[&str]) -> Result<String, Error>>;

/// The page allocator's commands, in the order `help` lists them.
pub const COMMANDS: &[PageAllocCommand] = &[
    CommandSpec {
        name: "alloc_pages",
        usage: "alloc_pages ORDER [GFP_FLAGS]",
        summary: "allocate 2^ORDER contiguous pages from the buddy allocator",
        details: crate::command::details!(
            "ORDER is 0..10; GFP_FLAGS default to GFP_KERNEL and combine with |, e.g. \
alloc_pages 2 GFP_KERNEL|__GFP_NOWARN. Known flags: GFP_KERNEL GFP_USER GFP_HIGHUSER_MOVABLE \
GFP_DMA32 GFP_DMA GFP_ATOMIC GFP_NOWAIT __GFP_MOVABLE __GFP_RECLAIMABLE __GFP_HIGH __GFP_NOWARN \
__GFP_ZERO __GFP_COMP. Prints pfn=... order=... zone=..."
        ),
        run: alloc_pages,
    },
    CommandSpec {
        name: "free_pages",
        usage: "free_pages PFN [ORDER]",
        summary: "free a block that alloc_pages returned",
        details: crate::command::details!(
            "PFN as printed by alloc_pages (0x... or decimal). ORDER defaults to the \
block's own order; a different order, a double free, or a page that alloc_pages did not hand \
out (a slab, a page table, a kernel stack, a user page) is refused with the kernel's 'Bad page \
state' complaint, and nothing changes."
        ),
        run: free_pages,
    },
];

/// `alloc_pages ORDER [GFP_FLAGS]`.
fn alloc_pages(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (order, gfp) = match a {
        [o] => (*o, None),
        [o, g] => (*o, Some(*g)),
        _ => return Err(Error::Usage),
    };
    let order = parse_number(order)
        .ok()
        .and_then(|o| u8::try_from(o).ok())
        .ok_or_else(|| ArgError::NotAnOrder(order.to_string()))?;
    let gfp = match gfp {
        Some(g) => GfpFlags::parse(g)?,
        None => GfpFlags(GFP_KERNEL),
    };
    if order > crate::vocab::MAX_PAGE_ORDER {
        return Err(super::error::PageAllocError::OrderTooLarge(order).into());
    }
    vm.halted()?;
    let (zt, pfn) = vm.alloc_pages_slowpath(order, gfp, PageUse::Kernel, None)?;
    Ok(format!("pfn={pfn} order={order} zone={zt}\n"))
}

/// `free_pages PFN [ORDER]`: refused, with the kernel's complaint in the log, unless
/// PFN heads a block `alloc_pages` handed out.
fn free_pages(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (pfn, order) = match a {
        [p] => (*p, None),
        [p, o] => (*p, Some(*o)),
        _ => return Err(Error::Usage),
    };
    let pfn = Pfn(parse_number(pfn)?);
    let order = order.map(parse_order).transpose()?;
    vm.halted()?;
    let (zt, pfn, order) = vm.k.free_pages_checked(pfn, order)?;
    Ok(format!("pfn={pfn} order={order} zone={zt}\n"))
}
