//! One cache's slabs replayed from events, so the slab panel fills and empties object
//! slots at the step that does it: a new slab arrives from the buddy allocator, an
//! object leaves the head of the freelist, a freed one goes back on it, a slab moves
//! between CPU 0, the partial list and full, an empty one is discarded.
//! `tests/view.rs` checks that the slabs before a command moved by its events are the
//! slabs after it.

use super::{SlabState, SlabView};
use crate::event::{Event, SlabEvent};
use crate::slub::events::SlabTransition;

/// Moves `slabs` (one cache's, sorted by PFN) one step of cache `cache`.
pub fn apply(slabs: &mut Vec<SlabView>, cache: &str, e: &Event) {
    let Event::Slab(s) = e else { return };
    match s {
        SlabEvent::NewSlab {
            cache: c,
            slab,
            objects,
            ..
        } if &**c == cache => {
            let at = slabs.partition_point(|v| v.pfn < slab.0);
            slabs.insert(
                at,
                SlabView {
                    pfn: slab.0,
                    state: SlabState::Cpu,
                    objects: *objects,
                    inuse: 0,
                    free: vec![true; usize::from(*objects)],
                    next: (*objects > 0).then_some(0),
                    freelist: (0..*objects).collect(),
                },
            );
        }
        SlabEvent::SlabObjectAlloc {
            cache: c,
            slab,
            index,
            inuse,
            ..
        } if &**c == cache => take_or_put(slabs, slab.0, *index, *inuse, false),
        SlabEvent::SlabObjectFree {
            cache: c,
            slab,
            index,
            inuse,
            ..
        } if &**c == cache => take_or_put(slabs, slab.0, *index, *inuse, true),
        SlabEvent::SlabMove { cache: c, slab, to } if &**c == cache => {
            if let Some(v) = slabs.iter_mut().find(|v| v.pfn == slab.0) {
                v.state = match to {
                    SlabTransition::CpuFull => SlabState::Full,
                    SlabTransition::PartialToCpu => SlabState::Cpu,
                    SlabTransition::FullToPartial | SlabTransition::CpuToPartial => {
                        SlabState::Partial
                    }
                };
            }
        }
        SlabEvent::SlabDiscard { cache: c, slab, .. } if &**c == cache => {
            slabs.retain(|v| v.pfn != slab.0);
        }
        _ => {}
    }
}

/// An object leaves the head of its slab's freelist (`free` false) or a freed one goes
/// back on the head (`free` true).
fn take_or_put(slabs: &mut [SlabView], slab: u64, index: u16, inuse: u16, free: bool) {
    let Some(v) = slabs.iter_mut().find(|v| v.pfn == slab) else {
        return;
    };
    if let Some(f) = v.free.get_mut(usize::from(index)) {
        *f = free;
    }
    if free {
        v.freelist.insert(0, index);
    } else {
        v.freelist.retain(|i| *i != index);
    }
    v.inuse = inuse;
    v.next = v.freelist.first().copied();
}
