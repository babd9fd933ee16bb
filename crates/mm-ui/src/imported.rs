//! A machine built from the student's own OOM report stays in their browser. Its
//! script (the report's process names and sizes, as commands) is kept in
//! localStorage, and the address says only `?import=local`: a reload builds it again
//! from storage, and nothing of the report is in a link unless the student asks for
//! one ([`share_link`], after a warning).

use mm_core::limits::SCRIPT_BYTES;

/// The localStorage key of the imported machine's script.
const KEY: &str = "mm-sandbox-import";
/// The URL parameter that points at it.
pub const PARAM: &str = "import";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps the imported machine's script (one command a line).
pub fn save(lines: &[String]) {
    if let Some(st) = storage() {
        let _ = st.set_item(KEY, &lines.join("\n"));
    }
}

/// The imported machine's script, if this browser keeps one, within the link limits.
pub fn load() -> Option<Vec<String>> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    let (lines, _) = crate::url::script_lines(&text);
    (!lines.is_empty()).then_some(lines)
}

/// Forgets it.
pub fn forget() {
    if let Some(st) = storage() {
        let _ = st.remove_item(KEY);
    }
}

/// What the student is told before a link with their numbers is made.
pub const SHARE_WARNING: &str = "This link contains the imported machine: your report's \
process names and memory sizes. Anyone who has the link can read them. Copy it?";

/// What the embed dialog says while the session starts from an imported machine.
pub const EMBED_WARNING: &str = "This code contains the imported machine: your report's \
process names and memory sizes. Anyone who sees the page can read them.";

/// A link that carries the session's script (the imported machine and what was run
/// on it), or why there is none (too long for a link).
pub fn share_link(script: &str) -> Result<String, String> {
    if script.len() > SCRIPT_BYTES {
        return Err(format!(
            "The machine's commands take {} KiB, more than a link carries ({} KiB): \
             use Export, Script instead.",
            script.len() >> 10,
            SCRIPT_BYTES >> 10
        ));
    }
    let p = web_sys::UrlSearchParams::new().map_err(|_| String::from("no URL support"))?;
    p.set("script", script);
    Ok(format!(
        "{}?{}",
        crate::url::base(),
        String::from(p.to_string())
    ))
}
