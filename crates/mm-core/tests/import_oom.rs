//! Importing an OOM report (`mm_core::import::oom`): real-format logs replay to
//! their reported victim (v6.x and the older dump_tasks layout), a memcg OOM is
//! recognised and explained as out of scope, malformed input names its lines, and
//! the sandbox's own reports import back to the sandbox's own decision on random
//! machines. `mmsim import oom` prints `explain`, compared with
//! `tests/fixtures/oom/*.out` (`BLESS=1` rewrites them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::import::oom::{explain, OomReport};
use mm_core::Machine;
use proptest::prelude::*;
use std::path::Path;

fn fixture(name: &str) -> (OomReport, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oom");
    let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap();
    let r = OomReport::parse(&log).unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = explain(&r);
    let out = dir.join(format!("{name}.out"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&out, &text).unwrap();
    }
    let want = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        text == want,
        "{name}: explain differs from {} (BLESS=1 after an intended change):\n{text}",
        out.display()
    );
    (r, text)
}

fn victim(r: &OomReport) -> Option<(u32, String)> {
    r.replay()
        .victim
        .map(|i| (r.tasks[i].pid, r.tasks[i].name.clone()))
}

/// v6.19's report (syslog timestamps, a stack trace, the buddy lists): every line is
/// understood, and oom_score_adj=1000 makes python3 the victim over a far larger java.
#[test]
fn a_v6_report_replays_to_its_victim() {
    let (r, text) = fixture("v6_global");
    assert!(r.unknown.is_empty(), "{:?}", r.unknown);
    assert_eq!(r.outside, 3);
    assert!(r.split_columns);
    assert_eq!(r.zones.len(), 3);
    // totalram_pages = the zones' managed pages: 15360 + 2045248 + 14159872 kB.
    assert_eq!(r.totalpages().0, (15360 + 2045248 + 14159872) / 4);
    let rep = r.replay();
    // java: 3100000 + 6553600 / 4096; python3: 120000 + 256 + 1000 * (4055120 / 1000).
    assert_eq!(rep.scores[4], Some(3_101_600));
    assert_eq!(rep.scores[5], Some(4_175_256));
    assert_eq!(rep.scores[1], None, "oom_score_adj -1000 is never picked");
    assert_eq!(victim(&r), Some((3391, "python3".into())));
    assert!(text.contains("the same victim as the report"));
    // 15992 + 2080608 + 14417920 kB present: 16,124M, rounded up to 4M.
    assert_eq!(r.boot_line(), Ok("boot mem=16128M".to_string()));
}

/// A v5.4 report where every task has `oom_score_adj -998` (a Guaranteed
/// Kubernetes pod's): each replayed score is below 0, so v6.19's rules pick the
/// largest task, mysqld. This kernel, older than v5.9, counted every score below 1
/// as 1, and the tie went to the last task, apache2 21004, which the report killed:
/// the explanation says so.
#[test]
fn a_kernel_before_5_9_clamps_its_scores_to_1() {
    let (r, text) = fixture("v5_clamped");
    assert_eq!(r.release.as_deref(), Some("5.4.0-150-generic"));
    assert_eq!(r.version(), Some((5, 4)));
    assert!(r.replay().scores.iter().flatten().all(|p| *p < 0));
    assert_eq!(victim(&r), Some((20877, "mysqld".into())));
    assert_eq!(r.replay_before_5_9(), Some(4));
    assert!(
        text.contains("kernel 5.4.0-150-generic (before v5.9"),
        "{text}"
    );
    assert!(
        text.contains("the tie at 1 goes to the later task, 21004 (apache2), as the report says"),
        "{text}"
    );
    // A v6 kernel's report of the same table keeps the general explanation.
    let (v6, _) = fixture("v6_global");
    assert_eq!(v6.version(), Some((6, 19)));
}

/// A v5.4 report from journalctl (`... kernel: ` prefixes, no timestamps) in the
/// older dump_tasks layout without rss_anon, rss_file and rss_shmem; swap counts in
/// totalpages and swapents in the points; a garbled line is named by its number.
#[test]
fn the_older_layout_replays_to_its_victim() {
    let (r, _) = fixture("v5_older_layout");
    assert!(!r.split_columns);
    assert!(r.tasks.iter().all(|t| t.rss_split.is_none()));
    assert_eq!(r.total_swap_kb, Some(2097148));
    assert_eq!(
        r.replay().scores[2],
        Some(1_890_000 + 524_000 + 16_404_480 / 4096)
    );
    assert_eq!(victim(&r), Some((20877, "mysqld".into())));
    assert_eq!(
        r.boot_line(),
        Ok("boot mem=8192M swap=2097148K".to_string())
    );
    assert_eq!(r.unknown.len(), 1);
    assert_eq!(r.unknown[0].0, 16);
    assert!(r.unknown[0]
        .1
        .ends_with("Node 0 Normal: garbled buddy line without the sizes"));
}

/// A memory cgroup OOM is recognised: its limit is totalpages, and the verdict says
/// the sandbox does not model memory cgroups.
#[test]
fn a_memcg_oom_is_explained_as_out_of_scope() {
    let (r, text) = fixture("memcg");
    assert!(r.is_memcg());
    assert_eq!(r.memcg.as_deref(), Some("/batch.slice/job-7.scope"));
    assert_eq!(r.totalpages().0, 524288 / 4);
    assert_eq!(victim(&r), Some((5120, "stress".into())));
    assert!(
        text.contains("mm-sandbox models the whole machine's OOM, not memory cgroups"),
        "{text}"
    );
}

/// Input that is not a report is refused with why; the table's tie goes to the
/// later task, as `oom_evaluate_task` does.
#[test]
fn malformed_input_and_ties() {
    let e = OomReport::parse("hello\nworld\n").unwrap_err();
    assert!(e.starts_with("no OOM report here"), "{e}");
    let e = OomReport::parse(
        "x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
    )
    .unwrap_err();
    assert!(e.contains("no dump_tasks table"), "{e}");
    let big = "a".repeat(mm_core::import::oom::LOG_BYTES + 1);
    assert!(OomReport::parse(&big)
        .unwrap_err()
        .contains("at most 4 MiB"));
    let tie = "Tasks state (memory values in pages):\n\
        [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n\
        [   10]     0    10     100      50        0        0             0 first\n\
        [   11]     0    11     100      50        0        0             0 second\n\
        [   12]     0    12     100    oops\n";
    let r = OomReport::parse(tie).unwrap();
    assert!(r.boot_line().unwrap_err()[0].contains("no zone lines"));
    let two = format!("{tie}Node 0 DMA free:1kB boost:0kB min:1kB low:1kB high:1kB present:16000kB managed:15000kB\n\
        Node 1 Normal free:1kB boost:0kB min:1kB low:1kB high:1kB present:70000000kB managed:69000000kB\n");
    let why = OomReport::parse(&two).unwrap().boot_line().unwrap_err();
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(
        why[0].starts_with("2 NUMA nodes") && why[1].contains("MiB of RAM"),
        "{why:?}"
    );
    assert_eq!(victim(&r), Some((11, "second".into())));
    assert_eq!(
        r.unknown,
        vec![(5, "[   12]     0    12     100    oops".to_string())]
    );
}

/// Pieces of report lines, cut and joined at random below.
const PIECES: &[&str] = &[
    "x invoked oom-killer: gfp_mask=",
    "order=",
    "oom_score_adj=",
    "Tasks state (memory values in pages):",
    "[  pid  ]   uid  tgid total_vm      rss rss_anon",
    "[   12] ",
    "Node 0 DMA free:",
    " min:",
    " managed:",
    "oom-kill:constraint=",
    "task=",
    ",pid=",
    "Out of memory: Killed process ",
    "(",
    ")",
    "Total swap = ",
    " pages RAM",
    "memory: usage ",
    "limit ",
    "[ 1.5] ",
    " kernel: ",
    "kB",
    "-1000",
    "99999999999999999999",
    "18446744073709551615",
    "9223372036854775807",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any text, report-like or not, is read or refused with a reason, never a panic.
    #[test]
    fn any_log_parses_or_is_refused(lines in proptest::collection::vec(
        proptest::collection::vec((0..PIECES.len(), "[ 0-9a-z]{0,6}"), 0..8), 0..40)) {
        let log: String = lines.iter().map(|l| {
            l.iter().map(|(i, s)| format!("{}{s}", PIECES[*i])).collect::<String>() + "\n"
        }).collect();
        if let Ok(r) = OomReport::parse(&log) {
            let _ = explain(&r);
            let _ = r.boot_line();
        }
    }

    /// A random machine runs out of memory; its own report, imported, replays to the
    /// victim the sandbox killed.
    #[test]
    fn the_sandbox_report_imports_to_the_same_victim(
        mem in prop_oneof![Just(16u64), Just(32), Just(64)],
        swap in prop_oneof![Just(0u64), Just(8)],
        tasks in proptest::collection::vec((0u64..48, -1000i32..=1000), 1..6),
    ) {
        let mut m = Machine::default();
        m.run(&format!("boot mem={mem}M swap={swap}M"));
        m.run("sysctl -w vm.overcommit_memory=1");
        for (i, (pages, adj)) in tasks.iter().enumerate() {
            let pid = m.run(&format!("spawn t{i}")).output.split_whitespace().next().and_then(|w| w.strip_prefix("pid=")).and_then(|p| p.parse::<u32>().ok()).unwrap();
            m.run(&format!("echo {adj} > /proc/{pid}/oom_score_adj"));
            if *pages > 0 {
                let addr = m.run(&format!("mmap {pid} {}K", pages * 64)).output;
                let addr = addr.split_whitespace().next().and_then(|w| w.strip_prefix("addr=")).unwrap().to_string();
                m.run(&format!("touch {pid} {addr} {}K", pages * 64));
            }
        }
        // A hog to run memory out.
        let hog = m.run("spawn hog").output.split_whitespace().next().and_then(|w| w.strip_prefix("pid=")).and_then(|p| p.parse::<u32>().ok()).unwrap();
        let addr = m.run(&format!("mmap {hog} {}M", mem * 4)).output;
        let addr = addr.split_whitespace().next().and_then(|w| w.strip_prefix("addr=")).unwrap().to_string();
        m.run(&format!("touch {hog} {addr} {}M", mem * 4));
        let log = m.run("dmesg").output;
        prop_assume!(log.contains("invoked oom-killer"));
        let r = OomReport::parse(&log).unwrap();
        prop_assert!(r.unknown.is_empty(), "{:?}", r.unknown);
        let killed = r.killed.clone().unwrap();
        prop_assert_eq!(victim(&r), Some((killed.pid, killed.name)));
    }
}

/// The first number after `key=` in a command's output.
fn out_num(out: &str, key: &str) -> String {
    out.split_whitespace()
        .find_map(|w| w.strip_prefix(key))
        .unwrap()
        .to_string()
}

/// The report's `dump_tasks` rows and its kill line, without timestamps.
fn report_rows(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.split_once("] ").map(|(_, m)| m))
        .filter(|m| m.starts_with('[') || m.starts_with("Out of memory"))
        .map(str::to_string)
        .collect()
}

/// The v6 fixture's equivalent machine: the script that builds it, and its notes.
#[test]
fn the_v6_report_has_an_equivalent_machine() {
    let (r, _) = fixture("v6_global");
    let m = r.machine().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oom");
    let out = dir.join("v6_global.script");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&out, &m.script).unwrap();
    }
    assert_eq!(m.script, std::fs::read_to_string(&out).unwrap_or_default());
    assert_eq!(m.pids, vec![2, 3, 4, 5, 6, 7]);
    assert!(m
        .notes
        .iter()
        .any(|n| n.contains("one file that every task shares")));
    // A machine past the sandbox's limits has none, and says which limit.
    let big = std::fs::read_to_string(dir.join("v6_global.log"))
        .unwrap()
        .replace("present:14417920kB", "present:144179200kB");
    let why = OomReport::parse(&big).unwrap().machine().unwrap_err();
    assert!(why.iter().any(|w| w.contains("MiB of RAM")), "{why:?}");
}

/// A report whose tasks do not fit the machine that has to hold them (a real OOM:
/// memory ran out) builds a machine scaled to fit, without killing on the way.
#[test]
fn a_full_machine_is_scaled_to_build_without_a_kill() {
    let mut m = Machine::default();
    m.run("boot mem=64M");
    m.run("sysctl -w vm.overcommit_memory=1");
    let pid = out_num(&m.run("spawn hog").output, "pid=");
    let addr = out_num(&m.run(&format!("mmap {pid} 256M")).output, "addr=");
    m.run(&format!("touch {pid} {addr} 256M"));
    let r = OomReport::parse(&m.run("dmesg").output).unwrap();
    let eq = r.machine().unwrap();
    assert!(
        eq.notes.iter().any(|n| n.contains("scaled to")),
        "{:?}",
        eq.notes
    );
    let mut built = Machine::default();
    let text = mm_core::transcript::transcript_with(&mut built, &eq.script, false, false, false);
    let log = built.run("dmesg").output;
    assert_eq!(log.matches("invoked oom-killer").count(), 1, "{text}");
    assert!(log.contains("sysrq: Manual OOM execution"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Round trip: a random machine's manual OOM report, imported, builds a machine
    /// whose own report has the same dump_tasks rows and the same kill.
    #[test]
    fn the_equivalent_machine_reports_the_same(
        mem in prop_oneof![Just(64u64), Just(128), Just(256)],
        tasks in proptest::collection::vec((0u64..1024, 0u64..512, -1000i32..=1000), 1..6),
    ) {
        let mut m = Machine::default();
        m.run(&format!("boot mem={mem}M"));
        m.run("fallocate -l 2M /data/lib");
        for (i, (anon, file, adj)) in tasks.iter().enumerate() {
            let pid = out_num(&m.run(&format!("spawn t{i}")).output, "pid=");
            if *anon > 0 {
                let addr = out_num(&m.run(&format!("mmap {pid} {}K", anon * 4)).output, "addr=");
                m.run(&format!("touch {pid} {addr} {}K", anon * 4));
            }
            if *file > 0 {
                let addr = out_num(&m.run(&format!("mmap {pid} {}K /data/lib PROT_READ", file * 4)).output, "addr=");
                m.run(&format!("touch {pid} {addr} {}K read", file * 4));
            }
            m.run(&format!("echo {adj} > /proc/{pid}/oom_score_adj"));
        }
        m.run("echo f > /proc/sysrq-trigger");
        let log = m.run("dmesg").output;
        let r = OomReport::parse(&log).unwrap();
        prop_assert!(r.unknown.is_empty(), "{:?}", r.unknown);
        prop_assert_eq!(r.invoker.as_ref().map(|i| i.order), Some(-1));
        if let Some(k) = &r.killed {
            prop_assert_eq!(victim(&r), Some((k.pid, k.name.clone())));
        }
        let eq = r.machine().unwrap();
        prop_assert!(!eq.notes.iter().any(|n| n.contains("scaled")), "{:?}", eq.notes);
        let mut again = Machine::default();
        mm_core::transcript::transcript_with(&mut again, &eq.script, false, false, false);
        let rebuilt = again.run("dmesg").output;
        let rows = report_rows(&log);
        prop_assert!(rows.len() > tasks.len(), "{}", log);
        prop_assert_eq!(report_rows(&rebuilt), rows);
    }
}

/// The course's lesson on reading a real OOM report starts from the machine that
/// `mmsim import oom --script` builds from its report: its setup lines are that
/// script's commands (without the comments and the closing sysrq and dmesg).
#[test]
fn the_report_lesson_is_built_from_its_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let log = std::fs::read_to_string(root.join("tests/fixtures/oom/web2_lesson.log")).unwrap();
    let r = OomReport::parse(&log).unwrap();
    assert_eq!(victim(&r), Some((2817, "mysqldump".to_string())));
    let script: Vec<String> = r
        .machine()
        .unwrap()
        .script
        .lines()
        .filter(|l| !l.starts_with('#') && !l.contains("sysrq") && !l.starts_with("dmesg"))
        .map(str::to_string)
        .collect();
    let lesson = std::fs::read_to_string(root.join("../../web/lessons/oom-report.lesson")).unwrap();
    let setup: Vec<String> = lesson
        .lines()
        .take_while(|l| !l.starts_with("step "))
        .filter_map(|l| l.strip_prefix("setup "))
        .map(str::to_string)
        .collect();
    assert_eq!(setup, script);
}
