//! The module's two calls on the core's fixtures: the JSON a page gets back.

use super::*;
use serde_json::Value;

fn fixture(path: &str) -> String {
    let p = format!(
        "{}/../mm-core/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}): {json}"))
}

#[test]
fn a_v6_report_replays_to_its_victim_with_a_machine() {
    let v = parse(&import_oom(&fixture("oom/v6_global.log")));
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["sameVictim"], true);
    assert_eq!(v["reported"]["name"], "python3");
    let victim = v["victim"].as_u64().expect("a victim") as usize;
    assert_eq!(v["tasks"][victim]["name"], "python3");
    assert!(v["tasks"][victim]["rssSplit"].is_array());
    // The explanation is the CLI's, and the machine's script is the CLI's too.
    let log = fixture("oom/v6_global.log");
    let r = OomReport::parse(&log).expect("parses");
    assert_eq!(v["explain"], mm_core::import::oom::explain(&r));
    assert_eq!(
        v["script"].as_str(),
        Some(r.machine().expect("fits").script.as_str())
    );
    assert!(v["script"]
        .as_str()
        .is_some_and(|s| s.contains("echo f > /proc/sysrq-trigger")));
}

#[test]
fn an_older_layout_has_no_split_rss() {
    let v = parse(&import_oom(&fixture("oom/v5_older_layout.log")));
    assert_eq!(v["sameVictim"], true);
    assert_eq!(v["reported"]["name"], "mysqld");
    assert!(v["tasks"][0]["rssSplit"].is_null());
}

#[test]
fn a_memcg_oom_is_out_of_scope_and_has_no_machine() {
    let v = parse(&import_oom(&fixture("oom/memcg.log")));
    assert_eq!(v["memcg"], true);
    assert!(v["script"].is_null());
    assert!(v["noMachine"]
        .as_str()
        .is_some_and(|s| s.contains("cgroup")));
}

#[test]
fn text_without_a_report_is_an_error_and_a_bad_line_is_named() {
    let v = parse(&import_oom("hello\nworld\n"));
    assert!(v["error"].is_string());
    assert_eq!(v["tasks"].as_array().map(Vec::len), Some(0));
    let mut log = fixture("oom/v6_global.log");
    log = log.replacen("Tasks state", "Tasks state\n[  garbage", 1);
    let v = parse(&import_oom(&log));
    assert!(
        v["unknown"].as_array().is_some_and(|u| u
            .iter()
            .any(|l| l["text"].as_str().is_some_and(|t| t.contains("garbage")))),
        "{}",
        v["unknown"]
    );
    let huge = "x".repeat(IMPORT_LOG_BYTES + 1);
    assert!(parse(&import_oom(&huge))["error"]
        .as_str()
        .is_some_and(|e| e.contains("at most 4 MiB")));
}

fn snapshot(dir: &str) -> (Vec<String>, Vec<String>) {
    let mut names = Vec::new();
    let mut texts = Vec::new();
    for n in mm_core::import::proc::FILE_NAMES {
        let p = format!(
            "{}/../mm-core/tests/fixtures/proc/{dir}/{n}",
            env!("CARGO_MANIFEST_DIR")
        );
        if let Ok(t) = std::fs::read_to_string(p) {
            names.push(n.to_string());
            texts.push(t);
        }
    }
    (names, texts)
}

#[test]
fn a_snapshot_boots_and_answers_what_if() {
    let (names, texts) = snapshot("two_nodes_thp_cma");
    let script = fixture("proc/two_nodes_thp_cma/whatif.mm");
    let v = parse(&import_proc(names.clone(), texts.clone(), &script));
    assert_eq!(v["error"], Value::Null, "{v}");
    assert_eq!(
        v["explain"],
        fixture("proc/two_nodes_thp_cma/explain.out").as_str()
    );
    assert!(v["leftOut"].as_array().is_some_and(|l| l
        .iter()
        .any(|x| x.as_str().is_some_and(|x| x.contains("CMA")))));
    let results = v["results"].as_array().expect("results");
    let mmaps: Vec<bool> = results
        .iter()
        .filter(|r| r["command"] == "mmap 2 4G")
        .map(|r| r["ok"] == true)
        .collect();
    // The machine's zones before the what-if: the snapshot's free blocks (DMA32's
    // buddyinfo row), per type too.
    let dma32 = v["zones"]
        .as_array()
        .and_then(|z| z.iter().find(|z| z["name"] == "DMA32"))
        .expect("a DMA32 zone");
    let row: Vec<u64> = dma32["nrFree"]
        .as_array()
        .expect("nrFree")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let buddyinfo = fixture("proc/two_nodes_thp_cma/buddyinfo");
    let want: Vec<u64> = buddyinfo
        .lines()
        .find(|l| l.starts_with("Node 0, zone    DMA32"))
        .expect("DMA32's row")
        .split_whitespace()
        .skip(4)
        .filter_map(|w| w.parse().ok())
        .collect();
    // Orders 0-9 as the file says; order 10 without the CMA blocks, left out.
    assert_eq!(row[..10], want[..10]);
    assert!(row[10] < want[10]);
    assert!(dma32["freeByType"].as_array().is_some_and(|t| t.len() >= 4));
    // After the what-if (an order-4 allocation, compaction), the zones again.
    assert_eq!(
        v["zonesAfter"].as_array().map(Vec::len),
        v["zones"].as_array().map(Vec::len)
    );
    // Refused under overcommit_memory=2, granted under 0.
    assert_eq!(mmaps, [false, true]);
    // Stateless: the same text gives the same answer.
    assert_eq!(parse(&import_proc(names, texts, &script)), v);
}

#[test]
fn a_snapshot_without_meminfo_or_too_large_is_an_error() {
    let v = parse(&import_proc(vec!["buddyinfo".into()], vec!["x".into()], ""));
    assert!(v["error"].is_string());
    let v = parse(&import_proc(
        vec!["meminfo".into()],
        vec!["x".repeat(IMPORT_FILE_BYTES + 1)],
        "",
    ));
    assert!(v["error"]
        .as_str()
        .is_some_and(|e| e.contains("at most 1 MiB")));
    let (names, texts) = snapshot("fragmented");
    let long = "sleep 1\n".repeat(SCRIPT_LINES + 1);
    assert!(parse(&import_proc(names, texts, &long))["error"]
        .as_str()
        .is_some_and(|e| e.contains("what-if script")));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Whatever text a page passes, each call gives a JSON object and does not trap:
    /// a report's lines cut, doubled or garbled, and any snapshot file's text.
    #[test]
    fn any_text_gives_a_json_object(
        cut in 0usize..4000,
        noise in "[ -~\n]{0,200}",
        file in 0usize..6,
        script in "[a-z_ 0-9/>\n]{0,80}",
    ) {
        let log = fixture("oom/v6_global.log");
        let mut end = cut.min(log.len());
        while !log.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!("{}{noise}\n{}", &log[..end], &log[end..]);
        let v = parse(&import_oom(&text));
        proptest::prop_assert!(v.is_object());
        let name = mm_core::import::proc::FILE_NAMES[file].to_string();
        let v = parse(&import_proc(
            vec!["meminfo".into(), name],
            vec![format!("MemTotal: 65536 kB\n{noise}"), noise.clone()],
            &script,
        ));
        proptest::prop_assert!(v.is_object());
    }
}
