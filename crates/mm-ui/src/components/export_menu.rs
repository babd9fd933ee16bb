//! The Export menu beside Share: the session as a script or a transcript, the memory
//! map or the Blocks panel as a PNG, and the current command's animation recorded as
//! a WebM video at the chosen speed.

use super::StateHandle;
use crate::export;
use crate::state::Action;
use yew::prelude::*;

/// The Export menu.
#[component]
pub fn ExportMenu() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let msg = use_state(String::new);
    let recording = use_state(|| false);
    // The recording ends when the command's animation does.
    {
        let msg = msg.clone();
        let recording = recording.clone();
        use_effect_with((state.playing, *recording), move |(playing, rec)| {
            if *rec && !*playing {
                export::stop_recording("mm-sandbox-command.webm");
                recording.set(false);
                msg.set("Video saved".into());
            }
        });
    }
    let text = |kind: &'static str| {
        let st = state.clone();
        let msg = msg.clone();
        Callback::from(move |_: MouseEvent| {
            let s = st.session.borrow();
            if kind == "script" {
                let t = export::script(s.commands.iter().map(|c| c.line.trim().to_string()));
                export::download_text("mm-sandbox-session.mm", &t);
            } else {
                let t = export::transcript(
                    s.commands
                        .iter()
                        .map(|c| (c.line.as_str(), c.output.as_str())),
                );
                export::download_text("mm-sandbox-transcript.txt", &t);
            }
            msg.set(format!("{} commands saved", s.commands.len()));
        })
    };
    let png = |selector: &'static str, name: &'static str, panel: &'static str| {
        let msg = msg.clone();
        Callback::from(move |_: MouseEvent| {
            msg.set(if export::download_canvas(selector, name) {
                "Picture saved".into()
            } else {
                format!("Show the {panel} panel first (Panels menu)")
            })
        })
    };
    let record = {
        let st = state.clone();
        let msg = msg.clone();
        let recording = recording.clone();
        Callback::from(move |_: MouseEvent| {
            let start = {
                let s = st.session.borrow();
                let c = s
                    .position()
                    .map_or(s.commands.len().saturating_sub(1), |(c, _)| c);
                s.commands.get(c).map(|c| c.first_frame - 1)
            };
            let Some(start) = start else {
                return msg.set("Run a command first".into());
            };
            if !export::start_recording(".blocks-canvas") {
                return msg.set(
                    "Show the Blocks panel first (this browser must support MediaRecorder)".into(),
                );
            }
            st.dispatch(Action::Seek(start));
            st.dispatch(Action::Play);
            recording.set(true);
            msg.set("Recording…".into());
        })
    };
    html! {
        <details class="export">
            <summary>{ "Export" }<span aria-hidden="true">{ " ▾" }</span></summary>
            <div class="export-items" role="group" aria-label="Export">
                <button onclick={text("script")}>{ "Script (.mm)" }</button>
                <button onclick={text("transcript")}>{ "Transcript (.txt)" }</button>
                <button onclick={png(".map-canvas", "mm-sandbox-memory-map.png", "Physical memory")}>{ "Memory map (PNG)" }</button>
                <button onclick={png(".blocks-canvas", "mm-sandbox-blocks.png", "Blocks")}>{ "Blocks (PNG)" }</button>
                <button onclick={record} disabled={*recording}>{ "Record this command (WebM)" }</button>
                <span class="share-msg" role="status">{ (*msg).clone() }</span>
            </div>
        </details>
    }
}
