//! Session state in the URL: `?script=` (commands, one per line), `?embed=1`,
//! `?speed=`. The script is rewritten after every command, so a reload or a shared
//! link brings the session back.

use mm_core::limits::{SCRIPT_BYTES, SCRIPT_LINES};
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
    /// `?lesson-data=`: a lesson shared by link ([`crate::share`]).
    pub lesson_data: Option<String>,
    /// `&step=N` (1-based).
    pub step: Option<String>,
    /// `&origin=`: the only origin the sandbox takes messages from and posts to.
    pub origin: Option<String>,
    /// `&demo=1` / `&demo=0`: force the first visit's demo on or off.
    pub demo: Option<String>,
    /// The script's commands left out by the limits, if any: (kept, in the link).
    pub script_cut: Option<(usize, usize)>,
    /// `?import=local`: the session starts from the machine imported in this browser.
    pub import: bool,
}

/// A script's commands (trimmed, blank lines dropped), within [`SCRIPT_LINES`] lines
/// and [`SCRIPT_BYTES`] bytes: the commands kept, and how many the text had.
pub fn script_lines(text: &str) -> (Vec<String>, usize) {
    let all: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut bytes = 0;
    let kept = all
        .iter()
        .take(SCRIPT_LINES)
        .take_while(|l| {
            bytes += l.len() + 1;
            bytes <= SCRIPT_BYTES
        })
        .map(|l| l.to_string())
        .collect();
    (kept, all.len())
}

/// The notice for a script cut to the limits.
pub fn script_cut_notice(kept: usize, total: usize) -> String {
    let n = |x: usize| mm_core::vocab::grouped(x as u64);
    format!(
        "This link has {} commands; mm-sandbox runs at most {} lines and {} KiB of a \
         link, so commands {} to {} were left out.",
        n(total),
        n(SCRIPT_LINES),
        SCRIPT_BYTES >> 10,
        n(kept + 1),
        n(total)
    )
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
    let (script, total) = p
        .get("script")
        .map(|s| script_lines(&s))
        .unwrap_or_default();
    let panels = p.get("panels").map(|v| {
        v.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    UrlState {
        embed: p.get("embed").is_some_and(|v| v == "1" || v == "true"),
        speed: p.get("speed"),
        panels,
        autoplay: p.get("autoplay"),
        lesson: p.get("lesson"),
        lesson_data: p.get(crate::share::PARAM),
        step: p.get("step"),
        origin: p.get("origin"),
        demo: p.get("demo"),
        script_cut: (script.len() < total).then_some((script.len(), total)),
        script,
        import: p.get(crate::imported::PARAM).is_some_and(|v| v == "local"),
    }
}

/// Writes the session's script into the URL without reloading or adding history;
/// a session that starts from an imported machine says only `?import=local` (its
/// script holds the student's numbers, and stays in their browser).
pub fn write_script(script: &str, imported: bool) {
    let Some(p) = params() else { return };
    if imported {
        p.delete("script");
        p.set(crate::imported::PARAM, "local");
    } else {
        p.delete(crate::imported::PARAM);
        if script.is_empty() {
            p.delete("script");
        } else {
            p.set("script", script);
        }
    }
    replace(&p);
}

/// Puts a lesson step in the URL (and drops the script: the step's setup is the
/// state). A course lesson is named by its id; a shared lesson keeps the link's
/// `lesson-data`, and one tried from the editor, which has no link yet, leaves the
/// address without a lesson.
pub fn write_lesson(lesson: &mm_core::lesson::Lesson, step: usize) {
    let Some(p) = params() else { return };
    p.delete("script");
    if !crate::lessons::is_shared(lesson) {
        p.delete(crate::share::PARAM);
        p.set("lesson", &lesson.id);
    } else if !p.has(crate::share::PARAM) {
        return clear_lesson();
    }
    p.set("step", &(step + 1).to_string());
    replace(&p);
}

/// Removes the lesson from the URL.
pub fn clear_lesson() {
    let Some(p) = params() else { return };
    for k in ["lesson", "step", crate::share::PARAM] {
        p.delete(k);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_cut_to_the_limits() {
        let (lines, total) = script_lines("  a \n\n b\n");
        assert_eq!((lines, total), (vec!["a".to_string(), "b".to_string()], 2));
        let many = "ps\n".repeat(SCRIPT_LINES + 5);
        let (lines, total) = script_lines(&many);
        assert_eq!((lines.len(), total), (SCRIPT_LINES, SCRIPT_LINES + 5));
        let long = format!("{}\n", "x".repeat(1000)).repeat(300);
        let (lines, total) = script_lines(&long);
        assert_eq!(total, 300);
        assert_eq!(lines.len(), SCRIPT_BYTES / 1001);
        assert!(script_cut_notice(lines.len(), total).contains("commands 262 to 300"));
    }
}
