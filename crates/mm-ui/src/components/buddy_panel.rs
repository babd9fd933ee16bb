//! The buddy allocator's free areas at the playhead: per zone and order, the free
//! lists as chips of PFNs (head first, tagged by migrate type), counts equal to
//! /proc/buddyinfo, the zone's free pages against its watermarks, and its
//! fragmentation: the free pages each order holds (the free-block size histogram)
//! and the unusable free index of debugfs' extfrag/unusable_index, as bars.

use super::StateHandle;
use crate::events::event_chip;
use crate::markup::{esc, Markup};
use mm_core::views::ZoneFreeView;
use mm_core::vocab::MigrateType;
use yew::prelude::*;

/// Chips shown per order before "+N more".
const CHIPS: usize = 6;

fn size_name(order: usize) -> String {
    let kb = 4u64 << order;
    if kb >= 1024 {
        format!("{}M", kb / 1024)
    } else {
        format!("{kb}K")
    }
}

/// The buddy panel.
#[component]
pub fn BuddyPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let s = state.session.borrow();
    let view = s.view();
    let touched = s.current_event().and_then(event_chip);
    // Only the zone the step is in is open (the highest zone when no step touches a
    // list); the others collapse to one line with their counts.
    let open_zone = touched
        .map(|(z, _, _)| z)
        .or_else(|| view.zones.last().map(|z| z.zone.name()));
    html! {
        <section class="panel buddy" aria-labelledby="buddy-title">
            <h2 id="buddy-title">{ "Buddy allocator: free areas" }</h2>
            { for view.zones.iter().map(|z| {
                let free = z.free_pages();
                let nr = z.nr_free();
                let counts = nr.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" ");
                html! {
                    <details class="zone" data-zone={z.zone.name()} open={open_zone == Some(z.zone.name())}>
                        <summary><h3>{ format!("Zone {}", z.zone) }</h3>
                            <span class="zone-counts">{ format!("{free} free pages · blocks per order: {counts}") }</span></summary>
                        { zone_body(z, touched) }
                    </details>
                }
            }) }
        </section>
    }
}

/// A zone's free pages against its watermarks, and per order its free blocks, the
/// pages they hold, the unusable index and the free lists' heads (display only, as
/// markup). `touched` is the list the step works on.
fn zone_body(z: &ZoneFreeView, touched: Option<(&str, u8, u64)>) -> Html {
    let free = z.free_pages();
    let [min, low, high] = z.marks;
    let scale = (high * 3).max(free).max(1) as f64;
    let pct = |v: u64| crate::anim::fixed((v as f64 / scale * 100.0).min(100.0), 1);
    let nr = z.nr_free();
    let name = z.zone.name();
    let mut m = Markup::default();
    m.tag(&format!(
        "<div class=\"wmark\" role=\"img\" aria-label=\"{free} free pages; watermarks min {min}, low {low}, high {high}\"><div class=\"wmark-free\" style=\"width:{}%\"></div>",
        pct(free)
    ));
    for (v, t) in [(min, "min"), (low, "low"), (high, "high")] {
        m.tag(&format!(
            "<span class=\"wmark-line\" style=\"left:{}%\" title=\"{t}\"></span>",
            pct(v)
        ));
    }
    m.tag("</div>").el(
        "p",
        "wmark-text",
        &format!("{free} free pages · min {min} · low {low} · high {high}"),
    );
    m.tag("<table class=\"free-area\"><thead><tr><th scope=\"col\">order</th><th scope=\"col\">blocks</th>\
        <th scope=\"col\" title=\"free pages in blocks of this order: the free-block size histogram\">pages</th>\
        <th scope=\"col\" title=\"/sys/kernel/debug/extfrag/unusable_index: the share of free memory in blocks too small for this order\">unusable</th>\
        <th scope=\"col\">free lists, head first (U unmovable, M movable, E reclaimable)</th></tr></thead><tbody>");
    for (o, lists) in z.lists.iter().enumerate() {
        // unusable_free_index, in thousandths (mm/vmstat.c).
        let suitable: u64 = (o..nr.len()).map(|k| nr[k] << k).sum();
        let unusable = ((free - suitable) * 1000).checked_div(free).unwrap_or(1000);
        let here = |to: u8| name == touched.map_or("", |t| t.0) && usize::from(to) == o;
        let row_touched = touched.is_some_and(|t| here(t.1));
        m.tag(&format!(
            "<tr class=\"{}\" data-order=\"{o}\"><th scope=\"row\">{o} ({})</th><td class=\"count\">{}</td>\
             <td class=\"frag\"><span class=\"bar hist\" style=\"width:{}%\"></span>{}</td>\
             <td class=\"frag\"><span class=\"bar unusable\" style=\"width:{}%\"></span>{}.{:03}</td><td><ul class=\"chips\">",
            if row_touched { "touched" } else { "" },
            size_name(o),
            nr[o],
            (nr[o] << o) * 100 / free.max(1),
            nr[o] << o,
            unusable / 10,
            unusable / 1000,
            unusable % 1000
        ));
        let mut shown = 0;
        let mut more = 0;
        for mt in MigrateType::ALL {
            for (i, pfn) in lists[mt.idx()].iter().enumerate() {
                if shown == CHIPS {
                    more += 1;
                    continue;
                }
                shown += 1;
                let hot = touched.is_some_and(|t| here(t.1) && t.2 == *pfn);
                m.tag(&format!(
                    "<li class=\"chip mt-{}{}\" title=\"{}\"><span class=\"mt\">{}</span>{pfn:#x}</li>",
                    mt.letter(),
                    if hot { " hot" } else { "" },
                    esc(&format!("{mt}, position {} on the list", i + 1)),
                    mt.letter()
                ));
            }
        }
        if more > 0 {
            m.el("li", "more", &format!("+{more} more"));
        }
        m.tag("</ul></td></tr>");
    }
    m.tag("</tbody></table>");
    m.html()
}
