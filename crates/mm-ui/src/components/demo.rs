//! The first visit's five-second demo: on a bare address, a small machine allocates an
//! order-3 block and frees it again, step by step in the Blocks drawing, with the
//! narration as its caption and a Skip button. It runs on a session of its own, so
//! nothing of it reaches the timeline, the terminal or the address; once done or
//! skipped it is not shown again (localStorage), and `?demo=1` / `?demo=0` force it.

use super::blocks_panel::BlocksCanvas;
use crate::blocks::Scene;
use crate::session::Session;
use gloo_timers::callback::Timeout;
use mm_core::BootParams;
use std::rc::Rc;
use yew::prelude::*;

/// The localStorage key that says the demo was seen.
const SEEN: &str = "mm-sandbox-demo-seen";
/// Milliseconds per step: about five seconds for the whole demo (some twenty steps).
const STEP_MS: u32 = 250;

/// Whether the demo plays: forced by `demo` (`"1"`/`"0"`), else on a bare address
/// the first time.
pub fn wanted(demo: Option<&str>, bare: bool) -> bool {
    match demo {
        Some("1") => true,
        Some(_) => false,
        None => bare && !seen(),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn seen() -> bool {
    storage()
        .and_then(|s| s.get_item(SEEN).ok().flatten())
        .is_some()
}

fn mark_seen() {
    if let Some(s) = storage() {
        let _ = s.set_item(SEEN, "1");
    }
}

/// The demo's pictures, one per step: a 16 MiB machine of its own runs
/// `alloc_pages 3`, then frees the block; each step's Blocks picture and narration.
fn demo_steps() -> Vec<(Option<Rc<Scene>>, String)> {
    let boot = BootParams::parse(["mem=16M"]).unwrap_or_default();
    let mut s = Session::with_boot(boot);
    let out = s.append("alloc_pages 3").output.clone();
    if let Some(pfn) = out
        .split_whitespace()
        .next()
        .and_then(|w| w.strip_prefix("pfn="))
    {
        s.append(&format!("free_pages {pfn} 3"));
    }
    (0..=s.frames())
        .map(|f| {
            s.frame = f;
            let caption = s.current_event().map(|e| e.text()).unwrap_or_else(|| {
                "A 16 MiB machine: its free memory sits in blocks of 2^order pages.".into()
            });
            (s.blocks_scene().map(Rc::new), caption)
        })
        .collect()
}

/// Props of [`Demo`].
#[derive(Properties, PartialEq)]
pub struct DemoProps {
    /// Called when the demo ends or is skipped.
    pub onclose: Callback<()>,
}

/// The demo panel.
#[component]
pub fn Demo(props: &DemoProps) -> Html {
    let steps = use_memo((), |_| demo_steps());
    let frame = use_state(|| 0usize);
    let frames = steps.len() - 1;
    // Advance a step at a time, then close a moment after the last.
    {
        let frame = frame.clone();
        let onclose = props.onclose.clone();
        use_effect_with(*frame, move |f| {
            let f = *f;
            let timer = if f < frames {
                Timeout::new(STEP_MS, move || frame.set(f + 1))
            } else {
                Timeout::new(1500, move || {
                    mark_seen();
                    onclose.emit(());
                })
            };
            move || drop(timer)
        });
    }
    let (scene, caption) = steps.get(*frame).cloned().unwrap_or_default();
    let skip = {
        let onclose = props.onclose.clone();
        Callback::from(move |_: MouseEvent| {
            mark_seen();
            onclose.emit(());
        })
    };
    html! {
        <section class="panel demo" aria-labelledby="demo-title">
            <div class="demo-head">
                <h2 id="demo-title">{ "In five seconds: the buddy allocator splits a block, then merges it back" }</h2>
                <button class="skip" onclick={skip}>{ "Skip" }</button>
            </div>
            <BlocksCanvas {scene} frame={*frame} tween_ms={f64::from(STEP_MS) * 0.8} />
            <p class="demo-caption" aria-live="polite">{ caption }</p>
            <progress max={frames.to_string()} value={frame.to_string()} aria-label="Demo progress"></progress>
        </section>
    }
}
