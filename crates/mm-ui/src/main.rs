//! The mm-sandbox app: a terminal over the simulated kernel, in the browser.

mod components;

use components::terminal::Terminal;
use yew::prelude::*;

/// The page: a header and the terminal.
#[component]
fn App() -> Html {
    html! {
        <>
            <header class="site-header">
                <h1>{ "mm-sandbox" }</h1>
                <p class="tagline">{ "Watch Linux manage memory, one kernel step at a time." }</p>
            </header>
            <main class="layout">
                <Terminal />
            </main>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
