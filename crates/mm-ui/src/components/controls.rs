//! Buttons for people who prefer clicking: allocate a block (order and GFP flags from
//! lists) and free the block of the page selected on the map. Both run through the
//! command line, so they show in the terminal and the URL like typed commands.

use super::StateHandle;
use crate::state::Action;
use mm_core::PageUse;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const GFPS: &[&str] = &[
    "GFP_KERNEL",
    "GFP_USER",
    "GFP_HIGHUSER_MOVABLE",
    "GFP_DMA32",
    "GFP_DMA",
    "GFP_ATOMIC",
    "GFP_KERNEL|__GFP_RECLAIMABLE",
];

/// The controls panel.
#[component]
pub fn Controls() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let order = use_state(|| "3".to_string());
    let gfp = use_state(|| GFPS[0].to_string());
    let on_order = {
        let order = order.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                order.set(s.value());
            }
        })
    };
    let on_gfp = {
        let gfp = gfp.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                gfp.set(s.value());
            }
        })
    };
    let on_alloc = {
        let st = state.clone();
        let (order, gfp) = (order.clone(), gfp.clone());
        Callback::from(move |_| {
            st.dispatch(Action::Run(vec![format!(
                "alloc_pages {} {}",
                *order, *gfp
            )]))
        })
    };
    // The selected page's allocated kernel block, if it has one.
    let freeable = state.selected.and_then(|p| {
        let info = state.session.borrow().live().page_info(p)?;
        match (info.usage, info.block) {
            (PageUse::Kernel, Some((head, _, false))) => Some(head),
            _ => None,
        }
    });
    let on_free = {
        let st = state.clone();
        Callback::from(move |_| {
            if let Some(h) = freeable {
                st.dispatch(Action::Run(vec![format!("free_pages {h:#x}")]));
                st.dispatch(Action::Select(None));
            }
        })
    };
    html! {
        <section class="panel controls" aria-label="Allocate and free">
            <label>{ "Order " }
                <select aria-label="Order" onchange={on_order}>
                    { for (0..=10).map(|o| html! { <option value={o.to_string()} selected={o.to_string() == *order}>{ format!("{o} ({} KiB)", 4u64 << o) }</option> }) }
                </select>
            </label>
            <label>{ "GFP flags " }
                <select aria-label="GFP flags" onchange={on_gfp}>
                    { for GFPS.iter().map(|g| html! { <option value={*g} selected={*g == *gfp}>{ *g }</option> }) }
                </select>
            </label>
            <button onclick={on_alloc}>{ "Allocate" }</button>
            <button onclick={on_free} disabled={freeable.is_none()}
                title="Select an allocated kernel block on the map first">
                { match freeable { Some(h) => format!("Free block {h:#x}"), None => "Free selected block".to_string() } }
            </button>
        </section>
    }
}
