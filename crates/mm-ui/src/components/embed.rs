//! "Embed this": the iframe code for the current session, to paste into an article.

use super::StateHandle;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props of [`EmbedDialog`].
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// Closes the dialog.
    pub onclose: Callback<()>,
}

/// The embed dialog.
#[component]
pub fn EmbedDialog(props: &EmbedProps) -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let area = use_node_ref();
    let copied = use_state(|| false);
    let script = state.session.borrow().script();
    let encoded = String::from(js_sys::encode_uri_component(&script));
    let src = format!("{}?embed=1&autoplay=1&script={encoded}", crate::url::base());
    let code = format!(
        "<iframe src=\"{src}\" title=\"mm-sandbox: a live Linux memory-management sandbox\" width=\"100%\" height=\"640\" style=\"border:0\" loading=\"lazy\"></iframe>"
    );
    let copy = {
        let area = area.clone();
        let copied = copied.clone();
        let code = code.clone();
        Callback::from(move |_| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                a.select();
            }
            crate::export::copy_text(&code);
            copied.set(true);
        })
    };
    let close = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <section class="panel embed-dialog" role="dialog" aria-labelledby="embed-title">
            <div class="panel-head">
                <h2 id="embed-title">{ "Embed this session" }</h2>
                <button onclick={close} aria-label="Close embed code">{ "Close" }</button>
            </div>
            if state.imported.is_some() {
                <p class="embed-warning" role="alert">{ crate::imported::EMBED_WARNING }</p>
            }
            <p>{ "Paste this into your page: the sandbox replays these commands, step by step. Add &panels=terminal,buddy to choose panels; the frame posts every command's events to your page (see the README's Embedding section)." }</p>
            <textarea ref={area} readonly=true rows="4" aria-label="Embed code" value={code} />
            <button onclick={copy}>{ if *copied { "Copied" } else { "Copy code" } }</button>
        </section>
    }
}
