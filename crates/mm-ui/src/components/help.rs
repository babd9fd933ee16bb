//! Help: the command language and the keyboard shortcuts.

use yew::prelude::*;

/// The keyboard shortcuts: static markup, kept as one string (a tree of html! nodes
/// would cost the bundle several kilobytes of code).
const KEYS: &str = concat!(
    r#"<dl class="keys">"#,
    r#"<dt><kbd>Space</kbd> / <kbd>K</kbd></dt><dd>play or pause</dd>"#,
    r#"<dt><kbd>←</kbd> / <kbd>J</kbd></dt><dd>step back (across commands, back to boot)</dd>"#,
    r#"<dt><kbd>→</kbd> / <kbd>L</kbd></dt><dd>step forward</dd>"#,
    r#"<dt><kbd>E</kbd></dt><dd>to the end of this command (again: of the next)</dd>"#,
    r#"<dt><kbd>Home</kbd> / <kbd>End</kbd></dt><dd>back to boot / to the last step</dd>"#,
    r#"<dt><kbd>/</kbd></dt><dd>type a command</dd>"#,
    r#"<dt><kbd>↑</kbd> <kbd>↓</kbd> <kbd>Tab</kbd></dt><dd>in the command line: history and completion</dd>"#,
    r#"<dt><kbd>Esc</kbd></dt><dd>leave the command line</dd>"#,
    r#"<dt><kbd>?</kbd></dt><dd>this help</dd>"#,
    "</dl>"
);

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Closes the panel.
    pub onclose: Callback<()>,
}

/// The help panel.
#[component]
pub fn Help(props: &HelpProps) -> Html {
    let close = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <section class="panel help" role="dialog" aria-labelledby="help-title">
            <div class="panel-head">
                <h2 id="help-title">{ "Help" }</h2>
                <button onclick={close} aria-label="Close help">{ "Close" }</button>
            </div>
            <h3>{ "Keyboard" }</h3>
            { Html::from_html_unchecked(AttrValue::Static(KEYS)) }
            <h3>{ "Commands" }</h3>
            <dl class="commands">
                { for mm_core::command_infos().map(|c| html! {
                    <>
                        <dt><code>{ c.usage }</code></dt>
                        <dd>{ c.summary }</dd>
                    </>
                }) }
                { for mm_core::filter_infos().map(|f| html! {
                    <>
                        <dt><code>{ format!("… | {}", f.usage) }</code></dt>
                        <dd>{ f.summary }</dd>
                    </>
                }) }
                <dt><code>{ "clear" }</code></dt><dd>{ "clear the terminal (the session stays)" }</dd>
            </dl>
            <p>{ "Sizes take K, M, G; numbers take 0x. The session lives in the page's address: copy it with Share to come back or send it on." }</p>
        </section>
    }
}
