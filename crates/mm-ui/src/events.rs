//! What the UI highlights for each event.

use mm_core::Event;

/// The block of pages an event is about: (first PFN, order).
pub fn event_block(e: &Event) -> Option<(u64, u8)> {
    Some(match *e {
        Event::TakeBlock { pfn, order, .. }
        | Event::ClaimBlock { pfn, order, .. }
        | Event::StealBlock { pfn, order, .. }
        | Event::Allocated { pfn, order, .. }
        | Event::FreeStart { pfn, order, .. }
        | Event::AddFree { pfn, order, .. }
        | Event::MoveFree { pfn, order, .. }
        | Event::PcpTake { pfn, order, .. }
        | Event::PcpPut { pfn, order, .. }
        | Event::BuddyBusy { pfn, order, .. }
        | Event::NewSlab {
            slab: pfn, order, ..
        }
        | Event::SlabDiscard {
            slab: pfn, order, ..
        } => (pfn.0, order),
        Event::Split { upper, order, .. } => (upper.0, order),
        Event::Merge { merged, order, .. } => (merged.0, order + 1),
        Event::CowCopy { to, .. } => (to.0, 0),
        Event::CowReuse { pfn, .. }
        | Event::PageTableAlloc { pfn, .. }
        | Event::PageTableFree { pfn, .. } => (pfn.0, 0),
        _ => return None,
    })
}

/// The PFN whose free-list chip an event touches: (zone name, order, PFN).
pub fn event_chip(e: &Event) -> Option<(&'static str, u8, u64)> {
    Some(match *e {
        Event::TakeBlock {
            zone, pfn, order, ..
        }
        | Event::AddFree {
            zone, pfn, order, ..
        }
        | Event::MoveFree {
            zone, pfn, order, ..
        } => (zone.name(), order, pfn.0),
        Event::Split {
            zone, upper, order, ..
        } => (zone.name(), order, upper.0),
        Event::Merge {
            zone, buddy, order, ..
        } => (zone.name(), order, buddy.0),
        Event::ListLook {
            zone, order, found, ..
        } => (zone.name(), order, found.map(|p| p.0).unwrap_or(u64::MAX)),
        _ => return None,
    })
}
