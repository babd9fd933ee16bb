//! The lessons built into the app (every `web/lessons/*.lesson`, embedded by build.rs),
//! and the student's progress, kept in localStorage.

use mm_core::lesson::Lesson;
use std::collections::BTreeSet;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The localStorage key of the progress set.
const KEY: &str = "mm-sandbox-progress";

/// Every lesson that parses, in file order.
pub fn all() -> Vec<Lesson> {
    LESSON_FILES
        .iter()
        .filter_map(|t| Lesson::parse(t).ok())
        .collect()
}

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

/// The progress key of a step.
pub fn step_key(lesson: &Lesson, step: usize) -> String {
    format!("{}/{}", lesson.id, step + 1)
}
