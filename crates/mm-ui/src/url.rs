//! Session state in the URL: `?script=` (commands, one per line), `?embed=1`,
//! `?speed=`. The script is rewritten after every command, so a reload or a shared
//! link brings the session back.

use web_sys::UrlSearchParams;

/// What the page was opened with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    /// Commands to run on load.
    pub script: Vec<String>,
    /// Minimal chrome for iframes.
    pub embed: bool,
    /// Initial speed.
    pub speed: Option<String>,
    /// Which panels to show (`&panels=map,buddy,terminal`), if given.
    pub panels: Option<Vec<String>>,
    /// `&autoplay=1`: animate the script from its first step.
    pub autoplay: Option<String>,
    /// `?lesson=ID`.
    pub lesson: Option<String>,
    /// `&step=N` (1-based).
    pub step: Option<String>,
}

fn params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Reads the page's URL. Malformed parameters are ignored with a console note;
/// the sandbox always starts.
pub fn read() -> UrlState {
    let Some(p) = params() else {
        return UrlState::default();
    };
    let script = p
        .get("script")
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .take(10_000)
                .collect()
        })
        .unwrap_or_default();
    let panels = p.get("panels").map(|v| {
        v.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    UrlState {
        script,
        embed: p.get("embed").is_some_and(|v| v == "1" || v == "true"),
        speed: p.get("speed"),
        panels,
        autoplay: p.get("autoplay"),
        lesson: p.get("lesson"),
        step: p.get("step"),
    }
}

/// Writes the session's script into the URL without reloading or adding history.
pub fn write_script(script: &str) {
    let Some(p) = params() else { return };
    if script.is_empty() {
        p.delete("script");
    } else {
        p.set("script", script);
    }
    replace(&p);
}

/// Puts a lesson step in the URL (and drops the script: the step's setup is the state).
pub fn write_lesson(id: &str, step: usize) {
    let Some(p) = params() else { return };
    p.delete("script");
    p.set("lesson", id);
    p.set("step", &(step + 1).to_string());
    replace(&p);
}

/// Removes the lesson from the URL.
pub fn clear_lesson() {
    let Some(p) = params() else { return };
    p.delete("lesson");
    p.delete("step");
    replace(&p);
}

/// Puts these parameters in the address without reloading or adding history.
fn replace(p: &UrlSearchParams) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let query = String::from(p.to_string());
    let path = window.location().pathname().unwrap_or_else(|_| "/".into());
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The address of the app without its query, for iframe code.
pub fn base() -> String {
    web_sys::window()
        .map(|w| {
            format!(
                "{}{}",
                w.location().origin().unwrap_or_default(),
                w.location().pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The current URL, for the share button.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}
