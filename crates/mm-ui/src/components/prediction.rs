//! A predict-then-check step's question: the student picks (or types) what the
//! command will produce, the simulator runs it and grades the prediction, and the
//! command's steps play either way, so a wrong guess is followed by the reason.

use crate::state::Graded;
use mm_core::lesson::Prediction;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`PredictionBox`].
#[derive(Properties, PartialEq)]
pub struct PredictionProps {
    /// The question.
    pub prediction: Prediction,
    /// The grade, once the student has predicted.
    pub graded: Option<Graded>,
    /// Grades a prediction.
    pub onpredict: Callback<String>,
    /// Starts the step again (after a wrong prediction).
    pub onretry: Callback<()>,
}

/// The question, the choices or a text box, and the grade.
#[component]
pub fn PredictionBox(props: &PredictionProps) -> Html {
    let picked = use_state(String::new);
    let p = &props.prediction;
    if let Some(g) = &props.graded {
        let retry = props.onretry.reform(|_: MouseEvent| ());
        return html! {
            <div class="predict">
                <p class="question">{ &p.question }</p>
                if g.right {
                    <p class="graded right" role="status">
                        { format!("✓ Right: you predicted {}, and the simulator gives {}.", g.given, g.answer) }
                    </p>
                } else {
                    <p class="graded wrong" role="status">
                        { format!("✗ Not this time: you predicted {}; the simulator gives {}. The command's steps are playing: watch why.", g.given, g.answer) }
                    </p>
                }
                if !p.explain.is_empty() {
                    <p class="explain">{ &p.explain }</p>
                }
                if !g.right {
                    <button onclick={retry}>{ "Try again" }</button>
                }
            </div>
        };
    }
    let submit = {
        let picked = picked.clone();
        let onpredict = props.onpredict.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !picked.trim().is_empty() {
                onpredict.emit(picked.trim().to_string());
            }
        })
    };
    let choose = |c: &str| {
        let picked = picked.clone();
        let c = c.to_string();
        Callback::from(move |_: Event| picked.set(c.clone()))
    };
    let typed = {
        let picked = picked.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                picked.set(i.value());
            }
        })
    };
    html! {
        <form class="predict" onsubmit={submit}>
            <fieldset>
                <legend class="question">{ &p.question }</legend>
                <p class="command">{ "The command: " }<code>{ &p.command }</code></p>
                if p.choices.is_empty() {
                    <label>{ "Your answer " }<input type="text" autocomplete="off" spellcheck="false" value={(*picked).clone()} oninput={typed} /></label>
                } else {
                    <div class="choices">
                    { for p.choices.iter().map(|c| html! {
                        <label><input type="radio" name="predict" value={c.clone()} checked={*picked == *c} onchange={choose(c)} />{ c }</label>
                    }) }
                    </div>
                }
            </fieldset>
            <button type="submit" disabled={picked.trim().is_empty()}>{ "Check my prediction" }</button>
        </form>
    }
}
