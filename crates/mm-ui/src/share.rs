//! Lessons in links, with no server: "Share" deflates the lesson's text
//! (`CompressionStream('deflate-raw')`) and puts it, base64url-encoded, in
//! `?lesson-data=`; opening such a link inflates it again, stopping as soon as it
//! passes [`LESSON_BYTES`], so a small link cannot expand into a huge text.
//!
//! What comes out of a link is plain text for [`mm_core::lesson::Lesson::parse`]:
//! the app shows every part of a lesson as text nodes, so nothing in a link can run
//! script or reach the page as HTML.

use crate::bridge::{pack_lesson, unpack_lesson};
use mm_core::limits::{LESSON_BYTES, LESSON_LINK};
use mm_core::vocab::grouped;
use wasm_bindgen::prelude::*;

/// The URL parameter that carries a shared lesson.
pub const PARAM: &str = "lesson-data";

/// Makes the link that carries `text` (the app's address with `?lesson-data=`), then
/// calls `done` with it, or with why it cannot be shared: longer than
/// [`LESSON_LINK`] characters, or a browser without `CompressionStream`.
pub fn link(text: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let f = Closure::once_into_js(move |v: JsValue| {
        done(match v.as_string() {
            None => Err("this browser cannot compress (no CompressionStream)".into()),
            Some(data) => {
                let url = format!("{}?{PARAM}={data}", crate::url::base());
                if url.len() > LESSON_LINK {
                    Err(format!(
                        "its link would have {} characters, past the {} that browsers, \
                         servers and mail programs all keep whole; share the .lesson \
                         file instead (Download .lesson), which Open file loads",
                        grouped(url.len() as u64),
                        grouped(LESSON_LINK as u64)
                    ))
                } else {
                    Ok(url)
                }
            }
        })
    });
    pack_lesson(text, &f);
}

/// Inflates a link's `lesson-data`, then calls `done` with the lesson's text or why
/// it is not one.
pub fn open(data: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    // Deflate hardly grows text: a 64 KiB lesson's data is under 90 KiB of base64.
    // A longer one is not a link Share made, and it is refused before it is decoded.
    if data.len() > LESSON_BYTES * 2 {
        return done(Err(format!(
            "its lesson-data has {} characters, more than a {} KiB lesson needs",
            grouped(data.len() as u64),
            LESSON_BYTES >> 10
        )));
    }
    let f = Closure::once_into_js(move |v: JsValue| {
        done(match (v.as_string(), v.as_f64()) {
            (Some(text), _) => Ok(text),
            (_, Some(2.0)) => Err(format!(
                "its lesson inflates past {} KiB, mm-sandbox's limit for a lesson",
                LESSON_BYTES >> 10
            )),
            (_, Some(3.0)) => Err("its lesson is not UTF-8 text".into()),
            (_, Some(4.0)) => Err("this browser cannot inflate (no DecompressionStream)".into()),
            _ => Err(
                "its lesson-data is not a lesson that Share made (it does not \
                      inflate); the link may have been cut short"
                    .into(),
            ),
        })
    });
    unpack_lesson(data, LESSON_BYTES, &f);
}
