//! The mm-sandbox app: a simulated kernel a student drives from a terminal and watches
//! step by step (memory map, buddy free lists, narration, timeline).

mod anim;
mod blocks;
mod bridge;
mod components;
mod events;
mod export;
mod help_details;
mod imported;
mod lessons;
mod markup;
mod messages;
mod palette;
mod pressure;
mod recovery;
mod session;
mod share;
mod state;
mod url;
mod walk;

/// The heap: mm-alloc's size classes instead of dlmalloc, 3 KB gzipped less.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: mm_alloc::Global<mm_alloc::WasmMemory> = mm_alloc::Global::new(mm_alloc::WasmMemory);

fn main() {
    yew::Renderer::<components::app::App>::new().render();
}
