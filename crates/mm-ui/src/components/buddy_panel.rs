//! The buddy allocator's free areas at the playhead: per zone and order, the free
//! lists as chips of PFNs (head first, tagged by migrate type), counts equal to
//! /proc/buddyinfo, the zone's free pages against its watermarks, and its
//! fragmentation: the free pages each order holds (the free-block size histogram)
//! and the unusable free index of debugfs' extfrag/unusable_index, as bars.

use super::StateHandle;
use crate::events::event_chip;
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
                let [min, low, high] = z.marks;
                let scale = (high * 3).max(free).max(1) as f64;
                let pct = |v: u64| format!("{}%", crate::anim::fixed((v as f64 / scale * 100.0).min(100.0), 1));
                let nr = z.nr_free();
                // unusable_free_index per order, in thousandths (mm/vmstat.c).
                let unusable: Vec<u64> = (0..nr.len()).map(|o| {
                    let suitable: u64 = (o..nr.len()).map(|k| nr[k] << k).sum();
                    ((free - suitable) * 1000).checked_div(free).unwrap_or(1000)
                }).collect();
                let counts = nr.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" ");
                html! {
                    <details class="zone" data-zone={z.zone.name()} open={open_zone == Some(z.zone.name())}>
                        <summary><h3>{ format!("Zone {}", z.zone) }</h3>
                            <span class="zone-counts">{ format!("{free} free pages · blocks per order: {counts}") }</span></summary>
                        <div class="wmark" role="img" aria-label={format!("{free} free pages; watermarks min {min}, low {low}, high {high}")}>
                            <div class="wmark-free" style={format!("width:{}", pct(free))}></div>
                            <span class="wmark-line" style={format!("left:{}", pct(min))} title="min"></span>
                            <span class="wmark-line" style={format!("left:{}", pct(low))} title="low"></span>
                            <span class="wmark-line" style={format!("left:{}", pct(high))} title="high"></span>
                        </div>
                        <p class="wmark-text">{ format!("{free} free pages · min {min} · low {low} · high {high}") }</p>
                        <table class="free-area">
                            <thead><tr><th scope="col">{ "order" }</th><th scope="col">{ "blocks" }</th>
                                <th scope="col" title="free pages in blocks of this order: the free-block size histogram">{ "pages" }</th>
                                <th scope="col" title="/sys/kernel/debug/extfrag/unusable_index: the share of free memory in blocks too small for this order">{ "unusable" }</th>
                                <th scope="col">{ "free lists, head first (U unmovable, M movable, E reclaimable)" }</th></tr></thead>
                            <tbody>
                            { for z.lists.iter().enumerate().map(|(o, lists)| {
                                let row_touched = touched.is_some_and(|(zn, to, _)| zn == z.zone.name() && usize::from(to) == o);
                                let mut chips = Vec::new();
                                let mut more = 0;
                                for mt in MigrateType::ALL {
                                    for (i, pfn) in lists[mt.idx()].iter().enumerate() {
                                        if chips.len() < CHIPS {
                                            let hot = touched.is_some_and(|(zn, to, tp)| zn == z.zone.name() && usize::from(to) == o && tp == *pfn);
                                            chips.push(html! {
                                                <li class={classes!("chip", format!("mt-{}", mt.letter()), hot.then_some("hot"))}
                                                    title={format!("{mt}, position {} on the list", i + 1)}>
                                                    <span class="mt">{ mt.letter() }</span>{ format!("{pfn:#x}") }
                                                </li>
                                            });
                                        } else {
                                            more += 1;
                                        }
                                    }
                                }
                                html! {
                                    <tr class={classes!(row_touched.then_some("touched"))} data-order={o.to_string()}>
                                        <th scope="row">{ format!("{o} ({})", size_name(o)) }</th>
                                        <td class="count">{ nr[o] }</td>
                                        <td class="frag"><span class="bar hist" style={format!("width:{}%", (nr[o] << o) * 100 / free.max(1))}></span>{ nr[o] << o }</td>
                                        <td class="frag"><span class="bar unusable" style={format!("width:{}%", unusable[o] / 10)}></span>{ format!("{}.{:03}", unusable[o] / 1000, unusable[o] % 1000) }</td>
                                        <td><ul class="chips">{ for chips }
                                            if more > 0 { <li class="more">{ format!("+{more} more") }</li> }
                                        </ul></td>
                                    </tr>
                                }
                            }) }
                            </tbody>
                        </table>
                    </details>
                }
            }) }
        </section>
    }
}
