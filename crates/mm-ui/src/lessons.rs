//! The course's lessons, fetched from `lessons/` beside the app when it starts (the
//! files of `web/lessons`, in the order `index.txt` lists them), and the student's
//! progress, kept in localStorage.
//!
//! Lessons are data, not code: fetching them keeps the app's bundle the same size
//! however many lessons the course grows to, and an author changes a lesson without
//! rebuilding the app.

use crate::bridge::fetch_lessons;
use mm_core::lesson::Lesson;
use std::collections::BTreeSet;
use wasm_bindgen::prelude::*;
use yew::Callback;

/// A lesson with its text (the editor's "Edit a copy" starts from it).
pub type Source = (Lesson, String);

/// Fetches every lesson, then calls `done` with them in course order, or with what
/// went wrong (a file missing, or one that does not parse, named with its line).
pub fn fetch_all(done: Callback<Result<Vec<Source>, String>>) {
    let ok = {
        let done = done.clone();
        Closure::once(move |files: JsValue| {
            let mut lessons = Vec::new();
            for pair in js_sys::Array::from(&files).iter() {
                let pair = js_sys::Array::from(&pair);
                let name = pair.get(0).as_string().unwrap_or_default();
                let text = pair.get(1).as_string().unwrap_or_default();
                match Lesson::parse(&text) {
                    Ok(l) => lessons.push((l, text)),
                    Err(e) => return done.emit(Err(format!("lessons/{name}: {e}"))),
                }
            }
            done.emit(Ok(lessons));
        })
    };
    let failed = Closure::once(move |e: JsValue| {
        let why = js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the network failed".into());
        done.emit(Err(why));
    });
    let _ = fetch_lessons("lessons/").then2(&ok, &failed);
    // Once, when the app starts: the two closures live as long as the page.
    ok.forget();
    failed.forget();
}

/// The localStorage key of the progress set.
const KEY: &str = "mm-sandbox-progress";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The steps done so far, as `lesson/step` (1-based).
pub fn load_progress() -> BTreeSet<String> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|v| {
            v.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Saves the steps done.
pub fn save_progress(done: &BTreeSet<String>) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, &done.iter().cloned().collect::<Vec<_>>().join(","));
    }
}

/// What a shared lesson's id starts with (one from a link, a file or the editor),
/// so its progress never mixes with a course lesson's of the same id.
const SHARED: &str = "shared-";

/// Marks a lesson as shared.
pub fn into_shared(mut lesson: Lesson) -> Lesson {
    lesson.id = format!("{SHARED}{}", lesson.id);
    lesson
}

/// Whether a lesson came from a link, a file or the editor.
pub fn is_shared(lesson: &Lesson) -> bool {
    lesson.id.starts_with(SHARED)
}

/// The progress key of a step.
pub fn step_key(lesson: &Lesson, step: usize) -> String {
    format!("{}/{}", lesson.id, step + 1)
}
