//! Headless-browser tests of the JS API (`wasm-pack test --headless --chrome`): every
//! exported method, wrong input, and a long run.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use mm_wasm::Sandbox;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn opts(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn err_text(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

#[wasm_bindgen_test]
fn run_returns_output_and_events() {
    let mut sb = Sandbox::new(JsValue::UNDEFINED).unwrap();
    let r = sb.run("alloc_pages 3").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    assert_eq!(get(&r, "command").as_string().unwrap(), "alloc_pages 3");
    let out = get(&r, "output").as_string().unwrap();
    assert!(out.starts_with("pfn=0x"), "{out}");
    let events = js_sys::Array::from(&get(&r, "events"));
    assert!(events.length() > 3);
    let first = events.get(0);
    assert_eq!(get(&first, "kind").as_string().unwrap(), "AllocStart");
    assert_eq!(
        get(&first, "function").as_string().unwrap(),
        "__alloc_pages"
    );
    assert!(get(&first, "text")
        .as_string()
        .unwrap()
        .starts_with("__alloc_pages"));
}

#[wasm_bindgen_test]
fn large_addresses_are_hex_strings() {
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let r = sb.run("kmalloc 200").unwrap();
    let events = js_sys::Array::from(&get(&r, "events"));
    let alloc = events
        .iter()
        .find(|e| get(e, "kind").as_string().as_deref() == Some("SlabObjectAlloc"))
        .unwrap();
    assert!(get(&alloc, "addr")
        .as_string()
        .unwrap()
        .starts_with("0xffff888"));
}

#[wasm_bindgen_test]
fn options_boot_the_machine() {
    let sb = Sandbox::new(opts(&[
        ("mem", "64M".into()),
        ("cpus", 4.into()),
        ("pcp", true.into()),
        ("caches", "typical".into()),
    ]))
    .unwrap();
    let info = sb.read("/proc/meminfo").unwrap();
    assert!(info.starts_with("MemTotal:          64512 kB\n"), "{info}");
    assert!(sb.read("/proc/slabinfo").unwrap().contains("\ndentry "));
    assert!(sb.read("/proc/zoneinfo").unwrap().contains("pagesets"));
}

#[wasm_bindgen_test]
fn wrong_options_throw_clear_errors() {
    for (o, want) in [
        (opts(&[("mem", "lots".into())]), "not a size"),
        (
            opts(&[("colour", "blue".into())]),
            "unknown option 'colour'",
        ),
        (
            opts(&[("cpus", "two".into())]),
            "cpus must be a whole number",
        ),
        (opts(&[("pcp", 1.into())]), "pcp must be true or false"),
        (JsValue::from_str("64M"), "must be a plain object"),
        (js_sys::Date::new_0().into(), "must be a plain object"),
        (js_sys::Array::new().into(), "must be a plain object"),
        (
            opts(&[("eventBudget", 0.into())]),
            "eventBudget must be a whole number",
        ),
        (
            opts(&[("mem", "1T".into())]),
            "Sandbox options: mem=1T is out of range",
        ),
    ] {
        let e = err_text(Sandbox::new(o).err().unwrap());
        assert!(e.contains(want), "{e}");
    }
}

#[wasm_bindgen_test]
fn failures_are_results_and_change_nothing() {
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let before = sb.read("/proc/buddyinfo").unwrap();
    for line in [
        "alloc_pages eleven",
        "free_pages 0x0",
        "kfree 0x1234",
        "frobnicate",
        "cat /nope | grep x",
    ] {
        let r = sb.run(line).unwrap();
        assert_eq!(get(&r, "ok"), JsValue::FALSE, "{line}");
        assert_eq!(get(&r, "output").as_string().unwrap().lines().count(), 1);
    }
    assert_eq!(sb.read("/proc/buddyinfo").unwrap(), before);
    assert!(sb.read("/proc/nope").is_err());
}

#[wasm_bindgen_test]
fn run_script_returns_one_result_per_command() {
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let rs = js_sys::Array::from(
        &sb.run_script("# comment\nalloc_pages 0\n\nbogus\nalloc_pages 1\n", false)
            .unwrap(),
    );
    assert_eq!(rs.length(), 3);
    let rs = js_sys::Array::from(
        &sb.run_script("alloc_pages 0\nbogus\nalloc_pages 1\n", true)
            .unwrap(),
    );
    assert_eq!(rs.length(), 2);
    assert_eq!(get(&rs.get(1), "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn views_describe_the_machine() {
    let mut sb = Sandbox::new(opts(&[("mem", "64M".into())])).unwrap();
    sb.run("spawn app").unwrap();
    sb.run("mmap 2 64K").unwrap();
    let zones = js_sys::Array::from(&sb.zones().unwrap());
    assert_eq!(zones.length(), 2);
    assert_eq!(get(&zones.get(0), "name").as_string().unwrap(), "DMA");
    assert_eq!(
        js_sys::Array::from(&get(&zones.get(0), "nrFree")).length(),
        11
    );
    let caches = js_sys::Array::from(&sb.caches().unwrap());
    assert!(caches
        .iter()
        .any(|c| get(&c, "name").as_string().as_deref() == Some("kmalloc-256")));
    let procs = js_sys::Array::from(&sb.processes().unwrap());
    assert_eq!(procs.length(), 2);
    let vmas = js_sys::Array::from(&get(&procs.get(1), "vmas"));
    assert_eq!(
        get(&vmas.get(0), "start").as_string().unwrap(),
        "0x7ffff7fef000"
    );
    let mut states = sb.page_states();
    assert_eq!(states.len(), 16384);
    // A copy: writing to it changes nothing in the machine.
    states.fill(0);
    assert_ne!(sb.page_states()[0], 0);
    assert!(Sandbox::commands().iter().any(|c| c == "alloc_pages"));
    assert!(sb.files().iter().any(|f| f == "/proc/buddyinfo"));
}

#[wasm_bindgen_test]
fn snapshot_and_restore() {
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let snap = sb.snapshot().unwrap();
    let before = sb.read("/proc/buddyinfo").unwrap();
    sb.run("alloc_pages 5").unwrap();
    assert_ne!(sb.read("/proc/buddyinfo").unwrap(), before);
    sb.restore(&snap).unwrap();
    assert_eq!(sb.read("/proc/buddyinfo").unwrap(), before);
}

#[wasm_bindgen_test]
fn results_say_how_a_command_failed() {
    let mut sb = Sandbox::new(opts(&[("mem", "64M".into())])).unwrap();
    let ok = sb.run("alloc_pages 0").unwrap();
    assert_eq!(get(&ok, "failure"), JsValue::NULL);
    let rejected = sb.run("alloc_pages eleven").unwrap();
    assert_eq!(get(&rejected, "failure").as_string().unwrap(), "rejected");
    // DMA holds three order-10 blocks: the fourth request fails in the kernel.
    let kernel = (0..4)
        .map(|_| sb.run("alloc_pages 10 GFP_DMA").unwrap())
        .last()
        .unwrap();
    assert_eq!(get(&kernel, "failure").as_string().unwrap(), "kernel");
    let e = js_sys::Array::from(&get(&ok, "events"));
    let allocated = e
        .iter()
        .find(|e| get(e, "kind").as_string().as_deref() == Some("Allocated"))
        .unwrap();
    assert_eq!(
        get(&allocated, "tracepoint").as_string().unwrap(),
        "kmem:mm_page_alloc"
    );
    assert!(get(&allocated, "sentence")
        .as_string()
        .unwrap()
        .starts_with("done:"));
}

#[wasm_bindgen_test]
fn the_event_budget_cuts_long_commands() {
    let mut sb = Sandbox::new(opts(&[("mem", "64M".into()), ("eventBudget", 50.into())])).unwrap();
    sb.run("spawn big").unwrap();
    sb.run("mmap 2 8M").unwrap();
    let r = sb.run("touch 2 0x7ffff77ff000 8M").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE, "{:?}", get(&r, "output"));
    let events = js_sys::Array::from(&get(&r, "events"));
    let summary = events
        .iter()
        .find(|e| get(e, "kind").as_string().as_deref() == Some("Summary"))
        .unwrap();
    assert!(get(&summary, "steps").as_f64().unwrap() > 1000.0);
    assert!(events.length() < 50 + 1 + 200 + 50);
}

#[wasm_bindgen_test]
fn the_page_ram_budget_refuses_with_a_clear_error() {
    // 128G of RAM together: 64G + 32G + 30G fit; 4G more does not, nor does a boot that
    // would grow one past it, nor a snapshot; freeing one makes room again.
    let a = Sandbox::new(opts(&[("mem", "64G".into())])).unwrap();
    let b = Sandbox::new(opts(&[("mem", "32G".into())])).unwrap();
    let mut c = Sandbox::new(opts(&[("mem", "30G".into())])).unwrap();
    let e = err_text(Sandbox::new(opts(&[("mem", "4G".into())])).err().unwrap());
    assert!(e.contains("free() one first"), "{e}");
    let r = c.run("boot mem=40G").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    assert!(get(&r, "output")
        .as_string()
        .unwrap()
        .starts_with("boot: refused:"));
    assert_eq!(get(&r, "failure").as_string().unwrap(), "rejected");
    assert!(c.snapshot().is_err());
    drop(a);
    let r = c.run("boot mem=40G").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    assert!(Sandbox::new(opts(&[("mem", "64G".into())])).is_err());
    drop(b);
    drop(c);
    assert!(Sandbox::new(opts(&[("mem", "64G".into())])).is_ok());
}

#[wasm_bindgen_test]
fn scripts_over_the_limits_are_refused() {
    let mut sb = Sandbox::new(opts(&[("mem", "64M".into())])).unwrap();
    let long = "ps\n".repeat(10_001);
    let e = err_text(sb.run_script(&long, false).err().unwrap());
    assert!(e.contains("at most 10000 lines"), "{e}");
}

#[wasm_bindgen_test]
fn thousands_of_commands() {
    let mut sb = Sandbox::new(opts(&[("mem", "256M".into())])).unwrap();
    let mut ok = 0;
    for i in 0..3000u32 {
        let line = match i % 6 {
            0 => format!("alloc_pages {}", i % 4),
            1 => format!("kmalloc {}", 8 + (i * 37) % 4000),
            2 => "spawn worker".to_string(),
            3 => format!("mmap {} 64K", 2 + (i / 6) % 8),
            4 => format!("write {} 0x7ffff7ff0000", 2 + (i / 6) % 8),
            _ => "cat /proc/buddyinfo".to_string(),
        };
        let r = sb.run(&line).unwrap();
        if get(&r, "ok") == JsValue::TRUE {
            ok += 1;
        }
    }
    assert!(ok > 2000, "{ok}");
    assert!(sb.read("/proc/meminfo").unwrap().contains("Committed_AS:"));
}
