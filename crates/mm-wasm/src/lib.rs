//! The wasm-bindgen layer over `mm-core`. These exports are internal: the public,
//! versioned, documented API is the hand-written `npm/index.js` (with `index.d.ts`),
//! which wraps them. The machine lives in wasm memory behind an opaque handle; JS gets
//! small results back.
//!
//! Nothing JS passes in can trap the module: options and lines are checked, every
//! command's steps are bounded, and the simulated RAM of all live sandboxes together
//! is bounded ([`mm_core::limits::SANDBOX_RAM`]), so a page that creates many large
//! sandboxes gets a clear error instead of running wasm memory out.

use mm_core::limits::{script_stopped, ScriptBudget, SANDBOX_RAM, SCRIPT_BYTES, SCRIPT_LINES};
use mm_core::views::EventView;
use mm_core::{BootParams, Failure, Machine, Outcome};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The heap: mm-alloc's size classes instead of dlmalloc, about 4 KB gzipped less.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: mm_alloc::Global<mm_alloc::WasmMemory> = mm_alloc::Global::new(mm_alloc::WasmMemory);

/// Simulated RAM of every live Sandbox (and Snapshot) of this module. (An atomic
/// rather than a thread-local: the module has one thread, and this is less wasm.)
static RAM_IN_USE: AtomicU64 = AtomicU64::new(0);

/// Takes `bytes` of the RAM budget, or says why not.
fn reserve_ram(bytes: u64) -> Result<(), String> {
    {
        let used = &RAM_IN_USE;
        let now = used.load(Relaxed);
        if now.saturating_add(bytes) > SANDBOX_RAM {
            return Err(format!(
                "the live sandboxes and snapshots of this page already simulate {} of RAM; \
                 this one would pass the limit of {} (free() one first)",
                mm_core::vocab::format_size(now),
                mm_core::vocab::format_size(SANDBOX_RAM)
            ));
        }
        used.store(now + bytes, Relaxed);
        Ok(())
    }
}

/// Gives `bytes` of the RAM budget back.
fn release_ram(bytes: u64) {
    let now = RAM_IN_USE.load(Relaxed);
    RAM_IN_USE.store(now.saturating_sub(bytes), Relaxed);
}
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

/// Options that are not boot options: (JS name).
const OTHER_OPTIONS: &[&str] = &["eventBudget"];

#[derive(Clone, Copy)]
enum OptKind {
    Text,
    Number,
    Switch,
}

/// Turns the options object into `boot` arguments, refusing unknown keys and
/// values of the wrong type. (Read by hand: serde's Deserialize machinery would
/// add kilobytes to the wasm for a few fields.)
fn boot_args(options: &JsValue) -> Result<Vec<String>, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    let proto = js_sys::Object::get_prototype_of(options);
    if !options.is_object()
        || js_sys::Array::is_array(options)
        || !(proto.is_null() || proto == js_sys::Object::get_prototype_of(&js_sys::Object::new()))
    {
        return Err(js_err(
            "Sandbox options must be a plain object such as { mem: '64M' }",
        ));
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
        if OTHER_OPTIONS.contains(&key.as_str()) {
            continue;
        }
        let Some((_, boot, kind)) = OPTIONS.iter().find(|(k, _, _)| *k == key) else {
            return Err(js_err(format!(
                "Sandbox options: unknown option '{key}' (mem, cpus, swap, pcp, caches, la57, \
                 eventBudget)"
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

/// Values cross to JavaScript as JSON text that `JSON.parse` turns into objects: one
/// serializer writing bytes is much smaller code than building each object field by
/// field through the JS boundary, and the objects are the same (numbers, strings,
/// null for None, arrays, objects in field order).
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let text =
        mm_core::views::json::to_json(v).map_err(|_| js_err("internal error: unwritable JSON"))?;
    js_sys::JSON::parse(&text).map_err(|_| js_err("internal error: unreadable JSON"))
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

/// Reads `eventBudget` from the options, if given: a whole number of steps, at least 1.
fn event_budget(options: &JsValue) -> Result<Option<usize>, JsError> {
    if !options.is_object() {
        return Ok(None);
    }
    let v = js_sys::Reflect::get(options, &JsValue::from_str("eventBudget"))
        .map_err(|_| js_err("Sandbox options: unreadable"))?;
    if v.is_undefined() {
        return Ok(None);
    }
    v.as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= 1e9)
        .map(|n| Some(n as usize))
        .ok_or_else(|| js_err("Sandbox options: eventBudget must be a whole number from 1 up"))
}

/// The RAM a `boot` line would give the machine, if the line is a plain `boot`.
fn boot_mem(line: &str) -> Option<u64> {
    let code = line.split('#').next().unwrap_or("");
    let mut words = code.split_whitespace();
    if words.next() != Some("boot") {
        return None;
    }
    BootParams::parse(words).ok().map(|p| p.mem)
}

/// A simulated machine.
#[wasm_bindgen]
pub struct Sandbox {
    machine: Machine,
    /// The RAM it holds of the page's budget.
    ram: u64,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        release_ram(self.ram);
    }
}

/// A saved machine state, for `restore`.
#[wasm_bindgen]
pub struct Snapshot {
    machine: Machine,
    ram: u64,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        release_ram(self.ram);
    }
}

impl Sandbox {
    /// Runs one line, refusing (without running it) a `boot` that would pass the
    /// page's RAM budget.
    fn run_line(&mut self, line: &str) -> Outcome {
        if let Some(mem) = boot_mem(line).filter(|m| *m > self.ram) {
            if let Err(why) = reserve_ram(mem - self.ram) {
                return Outcome {
                    ok: false,
                    output: format!("boot: refused: {why}\n"),
                    events: Vec::new(),
                    failure: Some(Failure::Rejected),
                    work: 1,
                    booted: false,
                };
            }
            self.ram = mem;
        }
        let o = self.machine.run(line);
        // Keep the accounting true whatever booted (a boot inside a pipe, a smaller one).
        let now = self.machine.params().mem;
        if now != self.ram {
            release_ram(self.ram);
            RAM_IN_USE.store(RAM_IN_USE.load(Relaxed).saturating_add(now), Relaxed);
            self.ram = now;
        }
        o
    }
}

#[wasm_bindgen]
impl Sandbox {
    /// Boots a machine from `{ mem, cpus, swap, pcp, caches, la57, eventBudget }` (all
    /// optional). Throws on an unknown option, a bad value, or RAM past the page's
    /// budget.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Sandbox, JsError> {
        let args = boot_args(&options)?;
        let budget = event_budget(&options)?;
        let params = BootParams::parse(args.iter().map(String::as_str))
            .map_err(|e| js_err(format!("Sandbox options: {e}")))?;
        reserve_ram(params.mem).map_err(js_err)?;
        let ram = params.mem;
        let mut machine = Machine::boot(params);
        machine.set_recording(true);
        if let Some(b) = budget {
            machine.set_event_budget(b);
        }
        Ok(Sandbox { machine, ram })
    }

    /// Runs one line: `{ command, ok, failure, output, events }`.
    pub fn run(&mut self, line: &str) -> Result<JsValue, JsError> {
        let o = self.run_line(line);
        outcome(line, &o)
    }

    /// Runs a script: one result per non-empty, non-comment line; stops after the
    /// first failure when `stop_on_error` is set. Throws for a script over the size
    /// limits. A script whose work passes [`mm_core::limits::LINK_WORK`] (or whose
    /// results pass [`mm_core::limits::SCRIPT_EVENTS`] steps) stops there: the first line not run gets a refused
    /// result saying so, and no later line has one.
    #[wasm_bindgen(js_name = runScript)]
    pub fn run_script(&mut self, text: &str, stop_on_error: bool) -> Result<JsValue, JsError> {
        if text.len() > SCRIPT_BYTES || text.lines().count() > SCRIPT_LINES {
            return Err(js_err(format!(
                "a script may have at most {SCRIPT_LINES} lines and {} KiB",
                SCRIPT_BYTES >> 10
            )));
        }
        let mut results = Vec::new();
        let mut budget = ScriptBudget::default();
        let lines = text.lines().count();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(stop) = budget.stop() {
                let stopped = Outcome {
                    ok: false,
                    output: format!("runScript: {}\n", script_stopped(i + 1, lines, stop)),
                    events: Vec::new(),
                    failure: Some(Failure::Rejected),
                    work: 0,
                    booted: false,
                };
                results.push((t.to_string(), stopped));
                break;
            }
            let o = self.run_line(line);
            budget.add(o.work, o.events.len());
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

    /// One byte per page frame, copied out of wasm memory (a `Uint8Array` the caller
    /// owns: writing to it changes nothing in the machine).
    #[wasm_bindgen(js_name = pageStates)]
    pub fn page_states(&self) -> Vec<u8> {
        self.machine.page_states().to_vec()
    }

    /// Saves the whole machine (it counts against the page's RAM budget until freed).
    pub fn snapshot(&self) -> Result<Snapshot, JsError> {
        reserve_ram(self.ram).map_err(js_err)?;
        Ok(Snapshot {
            machine: self.machine.clone(),
            ram: self.ram,
        })
    }

    /// Puts back a saved machine.
    pub fn restore(&mut self, snap: &Snapshot) -> Result<(), JsError> {
        if snap.ram > self.ram {
            reserve_ram(snap.ram - self.ram).map_err(js_err)?;
        } else {
            release_ram(self.ram - snap.ram);
        }
        self.ram = snap.ram;
        let budget = self.machine.event_budget();
        self.machine = snap.machine.clone();
        self.machine.set_event_budget(budget);
        Ok(())
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
