//! Slab caches as slabtop shows them (sortable), and for a chosen cache its slabs as
//! rows of object slots, the freelist's next object marked. The cache, slab and slot
//! the current step works on are highlighted; a slab's button selects its pages on
//! the memory map.

use super::StateHandle;
use crate::markup::{esc, Markup};
use crate::state::Action;
use mm_core::event::SlabEvent;
use mm_core::views::SlabState;
use mm_core::Event;
use yew::prelude::*;

/// Columns slabtop can sort by.
#[derive(Clone, Copy, PartialEq)]
enum SortBy {
    Name,
    ObjSize,
    Objects,
    Slabs,
}

impl SortBy {
    /// In `data-sort` order.
    const ALL: [SortBy; 4] = [
        SortBy::Name,
        SortBy::ObjSize,
        SortBy::Objects,
        SortBy::Slabs,
    ];
}

/// A slabtop row: name, objsize, active objects, objects, slabs, objects per slab,
/// pages per slab.
type Row = (String, u32, u64, u64, u64, u16, u32);

/// The caches as slabtop lists them (display only, as markup; the panel's one
/// listener reads the buttons' `data-sort` and `data-cache`).
fn slabtop(rows: &[Row], by: SortBy, hot: Option<&str>, chosen: Option<&str>) -> Html {
    let mut m = Markup::default();
    m.tag("<table><thead><tr>");
    let header = |m: &mut Markup, label: &str, col: SortBy| {
        let i = SortBy::ALL.iter().position(|c| *c == col).unwrap_or(0);
        let sort = if col == by { "descending" } else { "none" };
        m.tag(&format!("<th scope=\"col\" aria-sort=\"{sort}\"><button class=\"link\" data-sort=\"{i}\">{label}</button></th>"));
    };
    header(&mut m, "name", SortBy::Name);
    header(&mut m, "objsize", SortBy::ObjSize);
    m.tag("<th scope=\"col\">active</th>");
    header(&mut m, "objs", SortBy::Objects);
    header(&mut m, "slabs", SortBy::Slabs);
    m.tag("<th scope=\"col\">obj/slab</th><th scope=\"col\">pages</th></tr></thead><tbody>");
    for r in rows {
        let class = match (hot == Some(r.0.as_str()), chosen == Some(r.0.as_str())) {
            (true, true) => "hot chosen",
            (true, false) => "hot",
            (false, true) => "chosen",
            _ => "",
        };
        let name = esc(&r.0);
        m.tag(&format!(
            "<tr class=\"{class}\" data-cache=\"{name}\"><th scope=\"row\"><button class=\"link\" data-cache=\"{name}\">{name}</button></th>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.1, r.2, r.3, r.4, r.5, r.6
        ));
    }
    m.tag("</tbody></table>");
    m.html()
}

/// The slab panel.
#[component]
pub fn SlabPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let sort = use_state(|| SortBy::Objects);
    let chosen = use_state(|| None::<String>);
    let s = state.session.borrow();
    let event = s.current_event().cloned();
    let hot_cache = match &event {
        Some(Event::Slab(
            SlabEvent::KmallocClass { cache, .. }
            | SlabEvent::NewSlab { cache, .. }
            | SlabEvent::SlabObjectAlloc { cache, .. }
            | SlabEvent::SlabObjectFree { cache, .. }
            | SlabEvent::SlabMove { cache, .. }
            | SlabEvent::SlabDiscard { cache, .. },
        )) => Some(cache.to_string()),
        _ => None,
    };
    // A slab that arrives from the buddy allocator or goes back to it at this step.
    let (arrived, leaving) = match &event {
        Some(Event::Slab(SlabEvent::NewSlab { slab, .. })) => (Some(slab.0), None),
        Some(Event::Slab(SlabEvent::SlabDiscard { slab, order, .. })) => {
            (None, Some((slab.0, *order)))
        }
        _ => (None, None),
    };
    let hot_slot = match &event {
        Some(Event::Slab(
            SlabEvent::SlabObjectAlloc { slab, index, .. }
            | SlabEvent::SlabObjectFree { slab, index, .. },
        )) => Some((slab.0, *index)),
        _ => None,
    };
    // The cache to show in detail: the one chosen, else the one the step works on.
    let detail = (*chosen).clone().or_else(|| hot_cache.clone());
    let m = s.map_machine();
    let mut rows: Vec<Row> = m
        .caches()
        .into_iter()
        .map(|c| {
            (
                c.name,
                c.size,
                c.active_objs,
                c.num_objs,
                c.slabs,
                c.obj_per_slab,
                c.pages_per_slab,
            )
        })
        .collect();
    // One comparator for every column: each `sort_by` closure would be its own copy
    // of the sort in the wasm.
    let by = *sort;
    rows.sort_by(|a, b| match by {
        SortBy::Name => a.0.cmp(&b.0),
        SortBy::ObjSize => b.1.cmp(&a.1),
        SortBy::Objects => b.3.cmp(&a.3).then(a.0.cmp(&b.0)),
        SortBy::Slabs => b.4.cmp(&a.4).then(a.0.cmp(&b.0)),
    });
    // One listener for the table: a column's button sorts, a cache's shows it.
    let pick = {
        let (sort, chosen) = (sort.clone(), chosen.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(col) = crate::markup::clicked_number::<usize>(&e, "data-sort") {
                sort.set(SortBy::ALL[col.min(3)]);
            } else if let Some(name) = crate::markup::clicked(&e, "data-cache") {
                chosen.set(Some(name));
            }
        })
    };
    let detail_html = detail.as_ref().and_then(|name| {
        let c = rows.iter().find(|r| &r.0 == name)?;
        // The slabs at this step (the count too), the first 24 shown and the step's
        // own slab always among them.
        let all = s.slabs_at(name, usize::MAX)?;
        let count = all.len();
        let hot = hot_slot.map(|(p, _)| p).or(arrived);
        let mut shown: Vec<_> = all.iter().take(24).cloned().collect();
        if let Some(h) = hot.filter(|h| !shown.iter().any(|v| v.pfn == *h)) {
            shown.extend(all.iter().find(|v| v.pfn == h).cloned());
        }
        Some((c.clone(), count, shown))
    }).map(|(c, count, slabs)| {
        html! {
            <div class="slab-detail">
                <h3>{ format!("{}: {count} slab(s), {} objects of {} bytes per slab", c.0, c.5, c.1) }</h3>
                if slabs.is_empty() {
                    <p class="hint">{ "No slabs yet: the first allocation asks the buddy allocator for one." }</p>
                }
                <ul class="slabs">
                { for slabs.iter().map(|slab| {
                    let pfn = &slab.pfn;
                    let next = slab.next;
                    let where_ = match slab.state { SlabState::Cpu => "CPU 0's slab", SlabState::Partial => "partial list", SlabState::Full => "full" };
                    let select = {
                        let stt = state.clone();
                        let p = *pfn;
                        Callback::from(move |_| stt.dispatch(Action::Select(Some(p))))
                    };
                    let new = arrived == Some(*pfn);
                    html! {
                        <li class={classes!("slab", new.then_some("arrived"))}>
                            <button class="link" onclick={select} aria-label={format!("Show slab {pfn:#x} on the memory map")}>{ format!("{pfn:#x}") }</button>
                            <span class="slab-state">{ format!("{where_} · {}/{} in use", slab.inuse, slab.objects) }</span>
                            if new { <span class="slab-news">{ "new: from the buddy allocator (allocate_slab)" }</span> }
                            <div class="slots" role="img" aria-label={format!("{} used and {} free slots; next free slot {}", slab.inuse, slab.objects - slab.inuse, next.map(|n| n.to_string()).unwrap_or_else(|| "none".into()))}>
                            { for (0..slab.objects).map(|i| {
                                let used = !slab.free[usize::from(i)];
                                let hot = hot_slot == Some((*pfn, i));
                                html! { <span class={classes!("slot", if used { "used" } else { "free" }, (next == Some(i)).then_some("next"), hot.then_some("hot"))}></span> }
                            }) }
                            </div>
                        </li>
                    }
                }) }
                if let Some((pfn, order)) = leaving {
                    <li class="slab leaving" aria-label={format!("slab {pfn:#x} is empty and goes back to the buddy allocator")}>
                        <span class="slab-pfn">{ format!("{pfn:#x}") }</span>
                        <span class="slab-news">{ format!("empty: its order-{order} block goes back to the buddy allocator (discard_slab)") }</span>
                    </li>
                }
                </ul>
                <p class="legend-line"><span class="slot used"></span>{ " used " }<span class="slot free"></span>{ " free " }<span class="slot free next"></span>{ " next on the freelist " }<span class="slot used hot"></span>{ " this step" }</p>
            </div>
        }
    });
    html! {
        <section class="panel slab" aria-labelledby="slab-title">
            <h2 id="slab-title">{ "Slab caches (SLUB)" }</h2>
            <div class="slabtop" tabindex="0" role="region" aria-label="Slab caches, as slabtop lists them" onclick={pick}>
                { slabtop(&rows, by, hot_cache.as_deref(), detail.as_deref()) }
            </div>
            { detail_html.unwrap_or_default() }
        </section>
    }
}
