//! The mm-sandbox app: a simulated kernel a student drives from a terminal and watches
//! step by step (memory map, buddy free lists, narration, timeline).

mod anim;
mod blocks;
mod components;
mod events;
mod lessons;
mod messages;
mod palette;
mod pressure;
mod recovery;
mod session;
mod state;
mod url;
mod walk;

fn main() {
    yew::Renderer::<components::app::App>::new().render();
}
