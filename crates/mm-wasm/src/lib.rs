//! The wasm-bindgen layer over `mm-core`. These exports are internal: the public,
//! versioned, documented API is the hand-written `npm/index.js` (with `index.d.ts`),
//! which wraps them. The machine lives in wasm memory behind an opaque handle; JS gets
//! small results back (and a view of the page-state bytes, not a copy).

use mm_core::views::EventView;
use mm_core::{BootParams, Failure, Machine, Outcome};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The `new Sandbox({...})` options, each a `boot` option: (JS name, boot name, kind).
const OPTIONS: &[(&str, &str, OptKind)] = &[
    ("mem", "mem", OptKind::Text),
    ("cpus", "cpus", OptKind::Number),
    ("swap", "swap", OptKind::Text),
    ("pcp", "pcp", OptKind::Switch),
    ("caches", "caches", OptKind::Text),
    ("la57", "la57", OptKind::Switch),
];

#[derive(Clone, Copy)]
enum OptKind {
    Text,
    Number,
    Switch,
}

/// Turns the options object into `boot` arguments, refusing unknown keys and
/// values of the wrong type. (Read by hand: serde's Deserialize machinery would
/// add kilobytes to the wasm for six fields.)
fn boot_args(options: &JsValue) -> Result<Vec<String>, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() {
        return Err(js_err(
            "Sandbox options must be an object such as { mem: '64M' }",
        ));
    }
    let keys = js_sys::Object::keys(&js_sys::Object::from(options.clone()));
    let mut args = Vec::new();
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        let Some((_, boot, kind)) = OPTIONS.iter().find(|(k, _, _)| *k == key) else {
            return Err(js_err(format!(
                "Sandbox options: unknown option '{key}' (mem, cpus, swap, pcp, caches, la57)"
            )));
        };
        let v = js_sys::Reflect::get(options, &JsValue::from_str(&key))
            .map_err(|_| js_err("Sandbox options: unreadable"))?;
        if v.is_undefined() {
            continue;
        }
        let text = match kind {
            OptKind::Text => v.as_string(),
            OptKind::Number => v
                .as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                .map(|n| (n as u64).to_string()),
            OptKind::Switch => v
                .as_bool()
                .map(|b| if b { "on" } else { "off" }.to_string()),
        }
        .ok_or_else(|| {
            let want = match kind {
                OptKind::Text => "a string such as '64M'",
                OptKind::Number => "a whole number",
                OptKind::Switch => "true or false",
            };
            js_err(format!("Sandbox options: {key} must be {want}"))
        })?;
        args.push(format!("{boot}={text}"));
    }
    Ok(args)
}

/// The result of `run`: `{ command, ok, failure, output, events }`.
#[derive(Serialize)]
struct JsOutcome<'a> {
    command: &'a str,
    ok: bool,
    /// `"rejected"` or `"kernel"` when the command failed, else null.
    failure: Option<Failure>,
    output: &'a str,
    events: Vec<EventView<'a>>,
}

fn js_err(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser)
        .map_err(|e| js_err(format!("internal error: {e}")))
}

/// `{ command, ok, failure, output, events }`, each event with its typed fields,
/// `kind`, `function`, `tracepoint`, `sentence` and `text`.
fn outcome(command: &str, o: &Outcome) -> Result<JsValue, JsError> {
    to_js(&JsOutcome {
        command,
        ok: o.ok,
        failure: o.failure,
        output: &o.output,
        events: o.events.iter().map(EventView::of).collect(),
    })
}

/// A simulated machine.
#[wasm_bindgen]
pub struct Sandbox {
    machine: Machine,
}

/// A saved machine state, for `restore`.
#[wasm_bindgen]
pub struct Snapshot {
    machine: Machine,
}

#[wasm_bindgen]
impl Sandbox {
    /// Boots a machine from `{ mem, cpus, swap, pcp, caches, la57 }` (all optional).
    /// Throws on an unknown option or a bad value.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Sandbox, JsError> {
        let args = boot_args(&options)?;
        let params = BootParams::parse(args.iter().map(String::as_str)).map_err(js_err)?;
        let mut machine = Machine::boot(params);
        machine.set_recording(true);
        Ok(Sandbox { machine })
    }

    /// Runs one line: `{ command, ok, output, events }`.
    pub fn run(&mut self, line: &str) -> Result<JsValue, JsError> {
        let o = self.machine.run(line);
        outcome(line, &o)
    }

    /// Runs a script: one result per non-empty, non-comment line; stops after the
    /// first failure when `stop_on_error` is set.
    #[wasm_bindgen(js_name = runScript)]
    pub fn run_script(&mut self, text: &str, stop_on_error: bool) -> Result<JsValue, JsError> {
        let mut results = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let o = self.machine.run(line);
            let ok = o.ok;
            results.push((t.to_string(), o));
            if stop_on_error && !ok {
                break;
            }
        }
        let out = js_sys::Array::new();
        for (l, o) in &results {
            out.push(&outcome(l, o)?);
        }
        Ok(out.into())
    }

    /// Reads a /proc file; throws if there is no such file.
    pub fn read(&self, path: &str) -> Result<String, JsError> {
        self.machine.read_file(path).map_err(js_err)
    }

    /// Zones with their free areas and watermarks.
    pub fn zones(&self) -> Result<JsValue, JsError> {
        to_js(&self.machine.zones())
    }

    /// Slab caches as slabtop shows them.
    pub fn caches(&self) -> Result<JsValue, JsError> {
        to_js(&self.machine.caches())
    }

    /// Processes with their VMAs and OOM scores.
    pub fn processes(&self) -> Result<JsValue, JsError> {
        to_js(&self.machine.processes())
    }

    /// Where the page-state bytes (one per page) start in wasm memory.
    #[wasm_bindgen(js_name = pageStatesPtr)]
    pub fn page_states_ptr(&self) -> usize {
        self.machine.page_states().as_ptr() as usize
    }

    /// How many page-state bytes there are (one per page).
    #[wasm_bindgen(js_name = pageCount)]
    pub fn page_count(&self) -> usize {
        self.machine.page_states().len()
    }

    /// Saves the whole machine.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            machine: self.machine.clone(),
        }
    }

    /// Puts back a saved machine.
    pub fn restore(&mut self, snap: &Snapshot) {
        self.machine = snap.machine.clone();
    }

    /// The commands of the language, for completion.
    pub fn commands() -> Vec<String> {
        mm_core::command_infos()
            .map(|c| c.name.to_string())
            .collect()
    }

    /// The files `cat` can read right now, for completion.
    pub fn files(&self) -> Vec<String> {
        self.machine.files()
    }
}
