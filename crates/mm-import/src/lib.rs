//! The importers as a wasm module of their own: `mm_core::import` behind two calls,
//! `importOom` and `importProc`, each taking text and giving back JSON.
//!
//! Why a module of its own: reading a report or a snapshot and rebuilding its machine
//! is about 40 KB gzipped of code that a student running lessons never needs, and
//! this module holds a whole mm-core besides (about 175 KB gzipped in all). Only a
//! page that imports loads it: the npm package's `mm-sandbox/import` on its first
//! call, and the app's import page (`web/import.html`) as it opens, so that the import
//! itself makes no request. The public, documented API is the npm package's
//! hand-written `import.js`.
//!
//! Both calls are stateless: the same text gives the same JSON. Nothing they are
//! given can trap the module: the sizes are checked here, and the importers trust no
//! number in the text ([`mm_core::import`]).

use mm_core::import::oom::{explain_with, OomReport};
use mm_core::import::proc::Snapshot;
use mm_core::import::proc_machine::explain as explain_proc;
use mm_core::limits::{
    script_stopped, ScriptBudget, IMPORT_FILE_BYTES, IMPORT_LOG_BYTES, SCRIPT_BYTES, SCRIPT_LINES,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The heap: mm-alloc's size classes instead of dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: mm_alloc::Global<mm_alloc::WasmMemory> = mm_alloc::Global::new(mm_alloc::WasmMemory);

/// One task of `dump_tasks`, with its replayed `oom_badness`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Task {
    /// The log's line it was on (1-based).
    line: usize,
    pid: u32,
    uid: u32,
    name: String,
    total_vm: u64,
    rss: u64,
    /// `[rss_anon, rss_file, rss_shmem]`, or null in the older layout.
    rss_split: Option<[u64; 3]>,
    pgtables_bytes: u64,
    swapents: u64,
    oom_score_adj: i32,
    /// `oom_badness`'s points; null for `oom_score_adj -1000` (never killed).
    points: Option<i64>,
}

/// A line of the input that was not understood.
#[derive(Serialize)]
struct Unknown {
    /// The file it is in (a snapshot's), or "log".
    file: String,
    /// 1-based.
    line: usize,
    text: String,
}

/// A task the report names.
#[derive(Serialize)]
struct Named {
    pid: u32,
    name: String,
}

/// What `importOom` gives back.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OomImport {
    /// Set when nothing of a report was found; every other field is then empty.
    error: Option<String>,
    /// What `mmsim import oom` prints: what was understood, the replay, the
    /// equivalent machine and what it leaves out.
    explain: String,
    /// A memory cgroup's OOM (`constraint=CONSTRAINT_MEMCG`): out of the model's scope.
    memcg: bool,
    /// `totalpages` of the replay, and where its RAM part came from.
    totalpages: u64,
    totalpages_source: &'static str,
    tasks: Vec<Task>,
    /// The index in `tasks` of the one the replayed `select_bad_process` picks.
    victim: Option<usize>,
    /// The victim the log's "Killed process" line names.
    reported: Option<Named>,
    /// Whether the replay picks the reported victim (null when either is missing).
    same_victim: Option<bool>,
    unknown: Vec<Unknown>,
    /// The equivalent machine, as commands (one per line), or null.
    script: Option<String>,
    /// What the equivalent machine does not reproduce.
    notes: Vec<String>,
    /// Why there is no equivalent machine.
    no_machine: Option<String>,
}

/// `importOom(log)`: an OOM report read, replayed, and its equivalent machine's
/// script, as JSON.
#[wasm_bindgen(js_name = importOom)]
pub fn import_oom(log: &str) -> String {
    json(&oom(log))
}

fn oom(log: &str) -> OomImport {
    let empty = |error: String| OomImport {
        error: Some(error),
        explain: String::new(),
        memcg: false,
        totalpages: 0,
        totalpages_source: "",
        tasks: Vec::new(),
        victim: None,
        reported: None,
        same_victim: None,
        unknown: Vec::new(),
        script: None,
        notes: Vec::new(),
        no_machine: None,
    };
    if log.len() > IMPORT_LOG_BYTES {
        return empty(format!(
            "the log is {} bytes; mm-sandbox reads at most {} MiB",
            log.len(),
            IMPORT_LOG_BYTES >> 20
        ));
    }
    let r = match OomReport::parse(log) {
        Ok(r) => r,
        Err(e) => return empty(e),
    };
    // A memcg OOM has no equivalent machine: the sandbox has no cgroups.
    let built = if r.is_memcg() {
        Err(Vec::new())
    } else {
        r.machine()
    };
    let explain = explain_with(&r, &built);
    let replay = r.replay();
    let (script, notes, no_machine) = match built {
        Ok(m) => (Some(m.script), m.notes, None),
        Err(_) if r.is_memcg() => (
            None,
            Vec::new(),
            Some("a memory cgroup's OOM: mm-sandbox models the whole machine, not cgroups".into()),
        ),
        Err(why) => (None, Vec::new(), Some(why.join("; "))),
    };
    let tasks = r
        .tasks
        .iter()
        .zip(&replay.scores)
        .map(|(t, p)| Task {
            line: t.line,
            pid: t.pid,
            uid: t.uid,
            name: t.name.clone(),
            total_vm: t.total_vm,
            rss: t.rss,
            rss_split: t.rss_split,
            pgtables_bytes: t.pgtables_bytes,
            swapents: t.swapents,
            oom_score_adj: t.oom_score_adj,
            points: *p,
        })
        .collect();
    let victim_pid = replay.victim.and_then(|i| r.tasks.get(i)).map(|t| t.pid);
    OomImport {
        error: None,
        explain,
        memcg: r.is_memcg(),
        totalpages: replay.totalpages,
        totalpages_source: replay.source,
        tasks,
        victim: replay.victim,
        reported: r.killed.as_ref().map(|k| Named {
            pid: k.pid,
            name: k.name.clone(),
        }),
        same_victim: match (&r.killed, victim_pid) {
            (Some(k), Some(v)) => Some(k.pid == v),
            _ => None,
        },
        unknown: r
            .unknown
            .iter()
            .map(|(line, text)| Unknown {
                file: "log".into(),
                line: *line,
                text: text.clone(),
            })
            .collect(),
        script,
        notes,
        no_machine,
    }
}

/// One what-if command's result.
#[derive(Serialize)]
struct Ran {
    command: String,
    ok: bool,
    output: String,
}

/// What `importProc` gives back.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProcImport {
    /// Set when the snapshot cannot be read (no meminfo, a file too large) or its
    /// machine cannot be built; `explain` then says what was understood, if anything.
    error: Option<String>,
    /// What `mmsim import proc` prints: what was read, what the machine reproduces
    /// exactly, approximately, or leaves out, and each file compared.
    explain: String,
    /// The `boot` line the machine started from.
    boot: Option<String>,
    /// What the machine reproduces and what not, each in a line.
    notes: Vec<String>,
    /// What the files hold that the sandbox does not model.
    left_out: Vec<String>,
    unknown: Vec<Unknown>,
    /// The imported machine's zones before the what-if commands: sizes, watermarks,
    /// free blocks per order and per migrate type (the npm `Sandbox.zones()` shape).
    zones: Vec<mm_core::views::ZoneView>,
    /// Each command of the what-if script, run on the imported machine in order.
    results: Vec<Ran>,
    /// The zones after them (empty when there were none).
    zones_after: Vec<mm_core::views::ZoneView>,
}

/// `importProc(names, texts, script)`: a /proc snapshot (each file's name, as
/// [`mm_core::import::proc::FILE_NAMES`] lists them, and its text) read, its machine
/// booted, and `script`'s commands run on it, as JSON.
#[wasm_bindgen(js_name = importProc)]
pub fn import_proc(names: Vec<String>, texts: Vec<String>, script: &str) -> String {
    json(&proc(names.into_iter().zip(texts).collect(), script))
}

fn proc(files: Vec<(String, String)>, script: &str) -> ProcImport {
    let mut out = ProcImport {
        error: None,
        explain: String::new(),
        boot: None,
        notes: Vec::new(),
        left_out: Vec::new(),
        unknown: Vec::new(),
        zones: Vec::new(),
        results: Vec::new(),
        zones_after: Vec::new(),
    };
    if let Some((n, t)) = files.iter().find(|(_, t)| t.len() > IMPORT_FILE_BYTES) {
        out.error = Some(format!(
            "{n} is {} bytes; mm-sandbox reads at most {} MiB of each file",
            t.len(),
            IMPORT_FILE_BYTES >> 20
        ));
        return out;
    }
    if script.len() > SCRIPT_BYTES || script.lines().count() > SCRIPT_LINES {
        out.error = Some(format!(
            "a what-if script may have at most {SCRIPT_LINES} lines and {} KiB",
            SCRIPT_BYTES >> 10
        ));
        return out;
    }
    let snap = match Snapshot::parse(&files) {
        Ok(s) => s,
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    };
    let built = snap.machine();
    out.explain = explain_proc(&snap, &files, &built);
    out.left_out = snap.left_out.clone();
    out.unknown = snap
        .unknown
        .iter()
        .map(|(f, line, text)| Unknown {
            file: f.clone(),
            line: *line,
            text: text.clone(),
        })
        .collect();
    let mut pm = match built {
        Ok(pm) => pm,
        Err(why) => {
            out.error = Some(why.join("; "));
            return out;
        }
    };
    out.boot = Some(pm.boot.clone());
    out.notes = std::mem::take(&mut pm.notes);
    out.zones = pm.machine.zones();
    let lines = script.lines().count();
    let mut budget = ScriptBudget::default();
    for (i, line) in script.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(stop) = budget.stop() {
            out.results.push(Ran {
                command: t.to_string(),
                ok: false,
                output: format!("{}\n", script_stopped(i + 1, lines, stop)),
            });
            break;
        }
        let o = pm.machine.run(line);
        budget.add(o.work, o.events.len());
        out.results.push(Ran {
            command: t.to_string(),
            ok: o.ok,
            output: o.output,
        });
    }
    if !out.results.is_empty() {
        out.zones_after = pm.machine.zones();
    }
    out
}

/// JSON text of a result (the writer cannot fail on these types; the fallback keeps
/// the contract that every call gives an object).
fn json<T: Serialize>(v: &T) -> String {
    mm_core::views::json::to_json(v)
        .unwrap_or_else(|_| r#"{"error":"the result could not be written as JSON"}"#.into())
}

#[cfg(test)]
mod tests;
