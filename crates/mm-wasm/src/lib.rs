//! The JS API over `mm-core`: a [`Sandbox`] handle that runs command-language lines and
//! returns `{ ok, output, events }` with events as plain JS objects.
//!
//! The machine lives in wasm memory behind the handle; JS gets small results back.

use mm_core::{BootParams, Event, Machine};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Options for `new Sandbox({...})`: each is a `boot` option.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SandboxOptions {
    mem: Option<String>,
    cpus: Option<u32>,
    swap: Option<String>,
    pcp: Option<bool>,
}

/// An event as JS sees it: the typed fields plus `function` and `text`.
#[derive(Serialize)]
struct JsEvent<'a> {
    #[serde(flatten)]
    event: &'a Event,
    function: &'static str,
    text: String,
}

/// The result of `run`.
#[derive(Serialize)]
struct JsOutcome<'a> {
    ok: bool,
    output: &'a str,
    events: Vec<JsEvent<'a>>,
}

/// A simulated machine.
#[wasm_bindgen]
pub struct Sandbox {
    machine: Machine,
}

fn js_err(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

#[wasm_bindgen]
impl Sandbox {
    /// `new Sandbox({ mem: '64M', cpus: 2, swap: '0', pcp: false })`; every field is
    /// optional. Throws on an unknown field or a bad value.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Sandbox, JsError> {
        let opts: SandboxOptions = if options.is_undefined() || options.is_null() {
            SandboxOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| js_err(format!("Sandbox options: {e}")))?
        };
        let mut args = Vec::new();
        if let Some(m) = opts.mem {
            args.push(format!("mem={m}"));
        }
        if let Some(c) = opts.cpus {
            args.push(format!("cpus={c}"));
        }
        if let Some(s) = opts.swap {
            args.push(format!("swap={s}"));
        }
        if let Some(p) = opts.pcp {
            args.push(format!("pcp={}", if p { "on" } else { "off" }));
        }
        let params = BootParams::parse(args.iter().map(String::as_str)).map_err(js_err)?;
        let mut machine = Machine::boot(params);
        machine.set_recording(true);
        Ok(Sandbox { machine })
    }

    /// Runs one line: `{ ok, output, events: [{ kind, function, text, ...fields }] }`.
    pub fn run(&mut self, line: &str) -> Result<JsValue, JsError> {
        let outcome = self.machine.run(line);
        to_js(&outcome_view(&outcome))
    }

    /// Reads a /proc file; throws if there is no such file.
    pub fn read(&self, path: &str) -> Result<String, JsError> {
        self.machine.read_file(path).map_err(js_err)
    }
}

fn outcome_view(o: &mm_core::Outcome) -> JsOutcome<'_> {
    JsOutcome {
        ok: o.ok,
        output: &o.output,
        events: o
            .events
            .iter()
            .map(|e| JsEvent {
                event: e,
                function: e.function(),
                text: e.text(),
            })
            .collect(),
    }
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser)
        .map_err(|e| js_err(format!("internal: {e}")))
}
