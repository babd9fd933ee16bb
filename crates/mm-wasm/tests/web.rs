//! Headless-browser tests of the JS API (`wasm-pack test --headless --chrome`).
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

#[wasm_bindgen_test]
fn run_returns_output_and_events() {
    let mut sb = Sandbox::new(JsValue::UNDEFINED).unwrap();
    let r = sb.run("alloc_pages 3").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    let out = get(&r, "output").as_string().unwrap();
    assert!(out.starts_with("pfn=0x"), "{out}");
    let events = js_sys::Array::from(&get(&r, "events"));
    assert!(events.length() > 3);
    let first = events.get(0);
    assert_eq!(get(&first, "kind").as_string().unwrap(), "AllocStart");
    assert!(get(&first, "text")
        .as_string()
        .unwrap()
        .starts_with("__alloc_pages"));
}

#[wasm_bindgen_test]
fn options_boot_the_machine() {
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"mem".into(), &"64M".into()).unwrap();
    let sb = Sandbox::new(opts.into()).unwrap();
    let info = sb.read("/proc/meminfo").unwrap();
    assert!(info.starts_with("MemTotal:          64512 kB\n"), "{info}");
}

#[wasm_bindgen_test]
fn wrong_input_is_an_error_not_a_crash() {
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"mem".into(), &"lots".into()).unwrap();
    assert!(Sandbox::new(opts.into()).is_err());
    let mut sb = Sandbox::new(JsValue::NULL).unwrap();
    let r = sb.run("alloc_pages eleven").unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    assert!(sb.read("/proc/nope").is_err());
}
