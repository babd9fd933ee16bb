//! The front ends' JSON writer (`views::json`) against `serde_json`: every event
//! every golden transcript records, and the zone, cache and process views after
//! each golden, must come out byte for byte as `serde_json::to_string` writes them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::views::json::to_json;
use mm_core::views::EventView;
use mm_core::{BootParams, Machine};
use std::collections::BTreeSet;

#[test]
fn every_golden_event_and_view_is_written_as_serde_json_writes_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut kinds = BTreeSet::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mm"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let script = std::fs::read_to_string(&f).unwrap();
        let mut m = Machine::boot(BootParams::default());
        m.set_recording(true);
        for line in script.lines() {
            let out = m.run(line);
            for e in &out.events {
                kinds.insert(e.kind());
                let v = EventView::of(e);
                assert_eq!(
                    to_json(&v).unwrap(),
                    serde_json::to_string(&v).unwrap(),
                    "{}: '{line}'",
                    f.display()
                );
            }
        }
        assert_eq!(
            to_json(&m.zones()).unwrap(),
            serde_json::to_string(&m.zones()).unwrap()
        );
        assert_eq!(
            to_json(&m.caches()).unwrap(),
            serde_json::to_string(&m.caches()).unwrap()
        );
        assert_eq!(
            to_json(&m.processes()).unwrap(),
            serde_json::to_string(&m.processes()).unwrap()
        );
    }
    // The goldens reach most kinds; the rest share their field types.
    assert!(kinds.len() > 80, "only {} kinds seen", kinds.len());
}

#[test]
fn strings_are_escaped_as_serde_json_escapes_them() {
    for s in [
        "plain",
        "quote \" and \\ backslash",
        "tab\tnew\nline\r",
        "\u{1}\u{8}\u{c}\u{1f}\u{7f}",
        "héllo ✓ /slash",
    ] {
        assert_eq!(to_json(s).unwrap(), serde_json::to_string(s).unwrap());
    }
    assert_eq!(to_json(&Some(3u8)).unwrap(), "3");
    assert_eq!(to_json(&None::<u8>).unwrap(), "null");
    assert_eq!(
        to_json(&vec![(1u32, "a")]).unwrap(),
        serde_json::to_string(&vec![(1u32, "a")]).unwrap()
    );
    assert_eq!(to_json(&-5i64).unwrap(), "-5");
}
