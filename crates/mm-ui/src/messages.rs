//! The embedding protocol (see the README's "Embedding" section).
//!
//! Out: when the sandbox runs in a frame, it posts to its parent
//! `{ source: "mm-sandbox", version: 2, type: "ready" }` once, then after each command
//! `{ source: "mm-sandbox", version: 2, type: "command", command, ok, failure, output,
//! events }`, each event as the JS API gives it (`kind`, its typed fields, `function`,
//! `tracepoint`, `sentence`, `text`).
//!
//! In: `{ target: "mm-sandbox", type: "run", command: "alloc_pages 2" }` or
//! `{ target: "mm-sandbox", type: "run", commands: ["...", "..."] }` (at most
//! [`MESSAGE_COMMANDS`]).
//! Messages without `target: "mm-sandbox"` are ignored silently; malformed ones that
//! carry it are refused with a notice.
//!
//! Only the parent window may drive the sandbox, and only when the sandbox is framed:
//! a message from any other window (a sibling frame, an opener) is ignored. With
//! `&origin=https://example.com` the sandbox also takes messages only from that
//! origin, and posts only to it (otherwise it posts to `"*"`: the events say nothing
//! the embedding page did not ask for, but any page may frame the sandbox).

use crate::session::CommandRecord;
use js_sys::{Array, Object, Reflect};
use mm_core::limits::MESSAGE_COMMANDS;
use mm_core::views::EventView;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// The message protocol's version: 2 since events carry their typed fields,
/// `tracepoint` and `sentence`, and commands their `failure` (version 1 sent `kind`,
/// `function` and `text` only).
pub const PROTOCOL_VERSION: u32 = 2;

/// Who the sandbox talks to.
#[derive(Clone, Debug, PartialEq)]
pub enum Peer {
    /// The parent, whatever its origin (the default).
    AnyOrigin,
    /// The parent, at this origin only (`&origin=`).
    Origin(String),
    /// Nobody (`&origin=` was not an origin).
    Nobody,
}

thread_local! {
    static PEER: RefCell<Peer> = const { RefCell::new(Peer::AnyOrigin) };
}

/// Reads `&origin=`: `Err(notice)` when it is not an origin like
/// `https://example.com` (and then the sandbox talks to nobody).
pub fn configure(origin: Option<&str>) -> Result<(), String> {
    let peer = match origin {
        None => Peer::AnyOrigin,
        Some(o) => match web_sys::Url::new(o).map(|u| u.origin()) {
            Ok(parsed) if parsed == o && parsed != "null" => Peer::Origin(parsed),
            _ => Peer::Nobody,
        },
    };
    let bad = peer == Peer::Nobody;
    PEER.with(|p| *p.borrow_mut() = peer);
    if bad {
        return Err(format!(
            "origin={} in the address is not an origin like https://example.com, so the \
             sandbox neither takes nor posts messages.",
            origin.unwrap_or_default()
        ));
    }
    Ok(())
}

/// Whether a message event comes from the parent window (and from the pinned origin,
/// if any).
pub fn from_parent(e: &web_sys::MessageEvent) -> bool {
    let Some(p) = parent() else { return false };
    let same_window = e.source().is_some_and(|s| Object::is(&s, &p));
    same_window
        && PEER.with(|peer| match &*peer.borrow() {
            Peer::AnyOrigin => true,
            Peer::Origin(o) => e.origin() == *o,
            Peer::Nobody => false,
        })
}

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
    let target = PEER.with(|peer| match &*peer.borrow() {
        Peer::AnyOrigin => Some("*".to_string()),
        Peer::Origin(o) => Some(o.clone()),
        Peer::Nobody => None,
    });
    if let (Some(p), Some(target)) = (parent(), target) {
        let _ = p.post_message(msg, &target);
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
    // The events as JSON text parsed in the page: the same objects the npm package
    // returns, and far less wasm than building them field by field.
    let views: Vec<EventView> = c.events.iter().map(EventView::of).collect();
    let events = mm_core::views::json::to_json(&views)
        .ok()
        .and_then(|t| js_sys::JSON::parse(&t).ok())
        .unwrap_or_else(|| Array::new().into());
    set(&o, "events", &events);
    post(&o);
}

/// At most 40 characters of a string from a message, for a notice.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
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
    let kind = get("type");
    if kind.as_string().as_deref() != Some("run") {
        return Err(match kind.as_string() {
            Some(k) => format!("its type \"{}\" is not \"run\"", shorten(&k)),
            None => "its type is not \"run\"".into(),
        });
    }
    if let Some(c) = get("command").as_string() {
        return Ok(Some(vec![c]));
    }
    let list = get("commands");
    if Array::is_array(&list) {
        let arr = Array::from(&list);
        if arr.length() as usize > MESSAGE_COMMANDS {
            return Err(format!("it carries more than {MESSAGE_COMMANDS} commands"));
        }
        let lines: Option<Vec<String>> = arr.iter().map(|v| v.as_string()).collect();
        return lines
            .map(Some)
            .ok_or_else(|| "its commands are not all strings".into());
    }
    Err("it has neither a command string nor a commands array".into())
}
