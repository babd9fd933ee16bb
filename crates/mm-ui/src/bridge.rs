//! The app's calls into JavaScript (`bridge.js`): one module, so the browser fetches
//! one file for all of them. The Rust side of each lives with what uses it
//! (`lessons`, `export`, `share`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/bridge.js")]
extern "C" {
    /// Fetches `DIR/index.txt` and every lesson it lists: a promise of [name, text]
    /// pairs. (The folder is an argument so that the loader imports this through a
    /// shim: a function wasm-bindgen can import directly becomes a second import
    /// module, and web/build/shrink.mjs renames imports only when there is one.)
    #[wasm_bindgen(js_name = fetchLessons)]
    pub fn fetch_lessons(dir: &str) -> js_sys::Promise;
    /// Saves text as a file.
    #[wasm_bindgen(js_name = downloadText)]
    pub fn download_text(name: &str, text: &str);
    /// Saves the canvas matching `selector` as a PNG; false if there is none.
    #[wasm_bindgen(js_name = downloadCanvas)]
    pub fn download_canvas(selector: &str, name: &str) -> bool;
    /// Starts recording the canvas matching `selector`; false if the browser cannot.
    #[wasm_bindgen(js_name = startRecording)]
    pub fn start_recording(selector: &str) -> bool;
    /// Stops the recording and saves it as `name`.
    #[wasm_bindgen(js_name = stopRecording)]
    pub fn stop_recording(name: &str);
    /// Asks for a file; calls `done` with its text, its size if over `max` bytes, or
    /// -1 if it cannot be read.
    #[wasm_bindgen(js_name = openTextFile)]
    pub fn open_text_file(accept: &str, max: usize, done: &JsValue);
    /// Deflates `text` and calls `done` with it in base64url, or with null (no
    /// `CompressionStream` in this browser).
    #[wasm_bindgen(js_name = packLesson)]
    pub fn pack_lesson(text: &str, done: &JsValue);
    /// Inflates base64url `data`; calls `done` with the text, or 1 (not deflate), 2
    /// (past `max` bytes), 3 (not UTF-8) or 4 (no `DecompressionStream`).
    #[wasm_bindgen(js_name = unpackLesson)]
    pub fn unpack_lesson(data: &str, max: usize, done: &JsValue);
    /// `help NAME`'s details from `help/details.txt` (fetched when the app starts),
    /// or undefined (not fetched yet, or no such section).
    #[wasm_bindgen(js_name = helpDetails)]
    pub fn help_details(name: &str) -> Option<String>;
}
