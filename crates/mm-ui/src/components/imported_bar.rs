//! The line under the header while the session starts from a machine the student
//! imported (`import.html` builds it from their OOM report): it says the machine
//! stays in this browser, offers a link only after a warning that the link carries
//! their numbers, and forgets it on request.

use super::StateHandle;
use crate::state::Action;
use yew::prelude::*;

/// The imported machine's line; nothing when the session does not start from one.
#[component]
pub fn ImportedBar() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    if state.imported.is_none() {
        return html! {};
    }
    let on_share = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(w) = web_sys::window() else { return };
            if !w
                .confirm_with_message(crate::imported::SHARE_WARNING)
                .unwrap_or(false)
            {
                return;
            }
            st.dispatch(Action::Notice(
                match crate::imported::share_link(&st.session.borrow().script()) {
                    Ok(link) => {
                        crate::export::copy_text(&link);
                        "Copied a link with the imported machine (and your numbers).".into()
                    }
                    Err(why) => why,
                },
            ));
        })
    };
    let on_forget = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::ForgetImport))
    };
    html! {
        <p class="imported-bar" role="status">
            { "This session starts from the machine you imported: it is kept in this browser only, and Reset comes back to it. " }
            <button class="link" onclick={on_share}>{ "Share link…" }</button>
            <button class="link" onclick={on_forget}>{ "Forget it" }</button>
        </p>
    }
}
