//! The timeline: Play/Pause, Step back, Step forward, End of command, Reset, Speed
//! and a scrubber over every step since boot.

use super::StateHandle;
use crate::state::{Action, Speed};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The timeline panel.
#[component]
pub fn Timeline() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let (frame, frames) = {
        let s = state.session.borrow();
        (s.frame, s.frames())
    };
    let act = |a: fn() -> Action| {
        let st = state.clone();
        Callback::from(move |_| st.dispatch(a()))
    };
    let onscrub = {
        let st = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                st.dispatch(Action::Seek(i.value().parse().unwrap_or(0)));
            }
        })
    };
    let onspeed = {
        let st = state.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Some(sp) = Speed::parse(&sel.value()) {
                    st.dispatch(Action::SetSpeed(sp));
                }
            }
        })
    };
    let share_msg = use_state(String::new);
    let onshare = {
        let share_msg = share_msg.clone();
        let imported = state.imported.is_some();
        Callback::from(move |_| {
            let href = crate::url::href();
            crate::export::copy_text(&href);
            share_msg.set(if imported {
                // ?import=local: the machine stays in this browser.
                "Link copied: it opens the imported machine in this browser only (Share link… above makes one that carries it)".into()
            } else {
                "Link copied".into()
            });
        })
    };
    html! {
        <section class="panel timeline" aria-label="Timeline">
            <div class="transport" role="group" aria-label="Playback">
                <button onclick={act(|| Action::StepBack)} disabled={frame == 0} title="Step back (←)"><span aria-hidden="true">{ "‹ " }</span>{ "Step back" }</button>
                if state.playing {
                    <button onclick={act(|| Action::Pause)} title="Pause (Space)">{ "Pause" }</button>
                } else {
                    <button onclick={act(|| Action::Play)} disabled={frames == 0} title="Play (Space)">{ "Play" }<span aria-hidden="true">{ " ▶" }</span></button>
                }
                <button onclick={act(|| Action::StepForward)} disabled={frame >= frames} title="Step forward (→)">{ "Step forward" }<span aria-hidden="true">{ " ›" }</span></button>
                <button onclick={act(|| Action::EndOfCommand)} disabled={frame >= frames} title="To the end of this command, then of the next (E)">{ "End of command" }<span aria-hidden="true">{ " ⇥" }</span></button>
                <button onclick={act(|| Action::Reset)} title="Start over on a freshly booted machine">{ "Reset" }</button>
                <label class="speed">{ "Speed " }
                    <select aria-label="Speed" onchange={onspeed}>
                        { for Speed::ALL.iter().map(|sp| html! {
                            <option value={sp.name()} selected={*sp == state.speed}>{ sp.name() }</option>
                        }) }
                    </select>
                </label>
                <button class="share" onclick={onshare} aria-label="Share: copy a link to this session">{ "Share" }</button>
                <span class="share-msg" role="status">{ (*share_msg).clone() }</span>
                <super::export_menu::ExportMenu />
            </div>
            <div class="scrub">
                <input type="range" min="0" max={frames.to_string()} value={frame.to_string()} aria-label="Timeline"
                    aria-valuetext={format!("step {frame} of {frames}")} oninput={onscrub} disabled={frames == 0} />
                <span class="step-count">{ format!("step {frame} / {frames}") }</span>
            </div>
        </section>
    }
}
