//! Export for lectures and notes: the session as a script or a transcript, a panel's
//! canvas as a PNG, the animation of a command as a WebM video (MediaRecorder on the
//! Blocks canvas), and the lesson progress as a file to carry to another browser.
//! The browser does the work (Blob, toBlob, captureStream, a file input); this module
//! is the bridge.

use crate::bridge::open_text_file;
pub use crate::bridge::{download_canvas, download_text, start_recording, stop_recording};
use wasm_bindgen::prelude::*;

/// Copies text to the clipboard (a link, embed code); where the browser refuses, the
/// text is on the page to copy by hand.
pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Asks the student for a text file of at most `max` bytes, then calls `done` with
/// its contents, or with why it was not read (too large: the file is never loaded).
pub fn open_file(accept: &str, max: usize, done: impl FnOnce(Result<String, String>) + 'static) {
    let f = Closure::once_into_js(move |v: JsValue| {
        done(match (v.as_string(), v.as_f64()) {
            (Some(text), _) => Ok(text),
            (None, Some(n)) if n >= 0.0 => Err(format!(
                "the file has {} bytes, and mm-sandbox reads at most {} KiB of one",
                mm_core::vocab::grouped(n as u64),
                max >> 10
            )),
            _ => Err("the browser could not read the file".into()),
        })
    });
    open_text_file(accept, max, &f);
}

/// The session's commands, one a line: a script `mmsim run` and `?script=` take.
pub fn script(lines: impl Iterator<Item = String>) -> String {
    lines.map(|l| l + "\n").collect()
}

/// The transcript `mmsim run --echo` prints for the same commands: each as
/// `$ COMMAND`, then its output.
pub fn transcript<'a>(cmds: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (line, output) in cmds {
        out.push_str("$ ");
        out.push_str(line.trim());
        out.push('\n');
        out.push_str(output);
    }
    out
}

/// The progress file: a comment, then one `lesson/step` a line.
pub fn progress_file(done: &std::collections::BTreeSet<String>) -> String {
    let mut out = String::from("# mm-sandbox lesson progress: one lesson/step a line\n");
    for k in done {
        out.push_str(k);
        out.push('\n');
    }
    out
}

/// Reads a progress file: the steps it names, or the first bad line (numbered).
pub fn parse_progress(text: &str) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let ok = l.split_once('/').is_some_and(|(id, step)| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && step.parse::<u16>().is_ok_and(|s| s >= 1)
        });
        if !ok || keys.len() >= 10_000 {
            return Err(format!(
                "line {}: '{}' is not a lesson/step such as buddy/2",
                n + 1,
                l.chars().take(40).collect::<String>()
            ));
        }
        keys.push(l.to_string());
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_files_round_trip_and_bad_lines_are_named() {
        let done: std::collections::BTreeSet<String> = ["buddy/1", "slab/3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = progress_file(&done);
        assert_eq!(parse_progress(&text).unwrap(), ["buddy/1", "slab/3"]);
        assert!(parse_progress("buddy/1\n<script>/2\n")
            .unwrap_err()
            .starts_with("line 2:"));
        assert!(parse_progress("buddy/0").is_err());
    }

    #[test]
    fn the_transcript_is_mmsims() {
        let t = transcript([("alloc_pages 0 ", "pfn=0x1014 order=0 zone=DMA32\n")].into_iter());
        assert_eq!(t, "$ alloc_pages 0\npfn=0x1014 order=0 zone=DMA32\n");
    }
}
