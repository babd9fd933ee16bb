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
        (JsValue::from_str("64M"), "must be an object"),
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
    assert_eq!(sb.page_count(), 16384);
    assert!(sb.page_states_ptr() > 0);
    assert!(Sandbox::commands().iter().any(|c| c == "alloc_pages"));
    assert!(sb.files().iter().any(|f| f == "/proc/buddyinfo"));
}

#[wasm_bindgen_test]
fn snapshot_and_restore() {
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let snap = sb.snapshot();
    let before = sb.read("/proc/buddyinfo").unwrap();
    sb.run("alloc_pages 5").unwrap();
    assert_ne!(sb.read("/proc/buddyinfo").unwrap(), before);
    sb.restore(&snap);
    assert_eq!(sb.read("/proc/buddyinfo").unwrap(), before);
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
