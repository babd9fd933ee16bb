//! The embedding protocol (see the README's "Embedding" section).
//!
//! Out: when the sandbox runs in a frame, it posts to its parent
//! `{ source: "mm-sandbox", version: 2, type: "ready" }` once, then after each command
//! `{ source: "mm-sandbox", version: 2, type: "command", command, ok, failure, output,
//! events }`, each event as the JS API gives it (`kind`, its typed fields, `function`,
//! `tracepoint`, `sentence`, `text`).
//!
//! In: `{ target: "mm-sandbox", type: "run", command: "alloc_pages 2" }` or
//! `{ target: "mm-sandbox", type: "run", commands: ["...", "..."] }` (at most 100).
//! Messages without `target: "mm-sandbox"` are ignored silently; malformed ones that
//! carry it are refused with a notice.

use crate::session::CommandRecord;
use js_sys::{Array, Object, Reflect};
use mm_core::views::EventView;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// The message protocol's version: 2 since events carry their typed fields,
/// `tracepoint` and `sentence`, and commands their `failure` (version 1 sent `kind`,
/// `function` and `text` only).
pub const PROTOCOL_VERSION: u32 = 2;

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// The parent window, when the page is in a frame.
fn parent() -> Option<web_sys::Window> {
    let w = web_sys::window()?;
    let p = w.parent().ok().flatten()?;
    (!js_sys::Object::is(&p, &w)).then_some(p)
}

fn post(msg: &Object) {
    if let Some(p) = parent() {
        let _ = p.post_message(msg, "*");
    }
}

fn envelope(kind: &str) -> Object {
    let o = Object::new();
    set(&o, "source", &"mm-sandbox".into());
    set(&o, "version", &PROTOCOL_VERSION.into());
    set(&o, "type", &kind.into());
    o
}

/// Tells the parent the sandbox is ready.
pub fn post_ready() {
    post(&envelope("ready"));
}

/// Tells the parent what a command did.
pub fn post_command(c: &CommandRecord) {
    if parent().is_none() {
        return;
    }
    let o = envelope("command");
    set(&o, "command", &c.line.as_str().into());
    set(&o, "ok", &c.ok.into());
    let failure = c.failure.map(|f| match f {
        mm_core::Failure::Rejected => "rejected",
        mm_core::Failure::Kernel => "kernel",
    });
    set(
        &o,
        "failure",
        &failure.map(JsValue::from).unwrap_or(JsValue::NULL),
    );
    set(&o, "output", &c.output.as_str().into());
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let events = Array::new();
    for e in &c.events {
        if let Ok(v) = EventView::of(e).serialize(&ser) {
            events.push(&v);
        }
    }
    set(&o, "events", &events);
    post(&o);
}

/// Reads an incoming message: Ok(None) for messages not meant for the sandbox,
/// Ok(Some(lines)) for a valid command message, Err(why) for a malformed one.
pub fn parse_incoming(data: &JsValue) -> Result<Option<Vec<String>>, String> {
    if !data.is_object() {
        return Ok(None);
    }
    let get = |k: &str| Reflect::get(data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    if get("target").as_string().as_deref() != Some("mm-sandbox") {
        return Ok(None);
    }
    if get("type").as_string().as_deref() != Some("run") {
        return Err("its type is not \"run\"".into());
    }
    if let Some(c) = get("command").as_string() {
        return Ok(Some(vec![c]));
    }
    let list = get("commands");
    if Array::is_array(&list) {
        let arr = Array::from(&list);
        if arr.length() > 100 {
            return Err("it carries more than 100 commands".into());
        }
        let lines: Option<Vec<String>> = arr.iter().map(|v| v.as_string()).collect();
        return lines
            .map(Some)
            .ok_or_else(|| "its commands are not all strings".into());
    }
    Err("it has neither a command string nor a commands array".into())
}
