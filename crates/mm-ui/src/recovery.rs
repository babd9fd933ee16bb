//! Coming back from a crash. The simulator should never trap, but if a bug makes it
//! (a WebAssembly `RuntimeError`: a panic or running out of memory), the page's
//! handler in `index.html` reloads the session up to the last command that completed,
//! and the app says which command it was.
//!
//! The app tells the handler, in `sessionStorage`, which command is running
//! ([`pending`]) and when the session has settled ([`settled`]); the handler leaves a
//! report ([`take_report`]) for the reloaded app. A second trap before the session
//! settles reloads a fresh sandbox instead, so a bad link cannot loop.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// The command running: `{ index, line, loading }` (see `index.html`).
const PENDING: &str = "mm-sandbox-pending";
/// Traps since the session last settled.
const RECOVERIES: &str = "mm-sandbox-recoveries";
/// What the handler saw: `{ line, message, fresh }`.
const REPORT: &str = "mm-sandbox-crash";

fn storage() -> Option<web_sys::Storage> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?.session_storage().ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Notes that the session's command number `index` (0-based), `line`, is about to
/// run; `loading` when it comes from a link being loaded (whose address still holds
/// the whole link, so a reload keeps its first `index` commands).
pub fn pending(index: usize, line: &str, loading: bool) {
    let Some(st) = storage() else { return };
    let o = Object::new();
    let _ = Reflect::set(&o, &"index".into(), &JsValue::from(index as f64));
    let _ = Reflect::set(&o, &"line".into(), &line.into());
    let _ = Reflect::set(&o, &"loading".into(), &loading.into());
    if let Ok(text) = JSON::stringify(&o) {
        let _ = st.set_item(PENDING, &String::from(text));
    }
}

/// Notes that every command completed and the address holds the session.
pub fn settled() {
    if let Some(st) = storage() {
        let _ = st.remove_item(PENDING);
        let _ = st.remove_item(RECOVERIES);
    }
}

/// The notice for a crash the page recovered from, once.
pub fn take_report() -> Option<String> {
    let st = storage()?;
    let text = st.get_item(REPORT).ok().flatten()?;
    let _ = st.remove_item(REPORT);
    let report = JSON::parse(&text).ok()?;
    let get = |k: &str| {
        Reflect::get(&report, &k.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let line = get("line");
    let fresh = Reflect::get(&report, &"fresh".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let what = match &line {
        Some(l) => format!("The sandbox crashed running `{l}`"),
        None => "The sandbox crashed".to_string(),
    };
    Some(if fresh {
        format!(
            "{what}, and again after a reload, so it started afresh. This is a bug in \
             mm-sandbox: please report it with the link you opened."
        )
    } else {
        format!(
            "{what} (a bug in mm-sandbox: please report it). It was reloaded with the \
             commands before it."
        )
    })
}
