//! The registries are the single source: the README's command table names exactly the
//! registered commands and filters; the npm package's type declarations list exactly
//! the event kinds; `ls` lists every file `cat` reads, and `help` every command.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{command_infos, filter_infos, Machine};
use std::collections::BTreeSet;
use std::path::Path;

fn repo_file(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The first word of every `code span` in the first column of the README's command
/// table: (commands, filters).
fn readme_table() -> (BTreeSet<String>, BTreeSet<String>) {
    let readme = repo_file("README.md");
    let section = readme
        .split("## The command language")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has a 'The command language' section");
    let (mut commands, mut filters) = (BTreeSet::new(), BTreeSet::new());
    for row in section
        .lines()
        .filter(|l| l.starts_with("| `") || l.starts_with("| …"))
    {
        let cell = row.trim_start_matches('|').split(" | ").next().unwrap();
        for span in cell.split('`').skip(1).step_by(2) {
            let span = span.trim_start_matches('…').trim();
            match span.strip_prefix("\\|") {
                Some(filter) => {
                    filters.insert(filter.split_whitespace().next().unwrap().to_string());
                }
                None => {
                    commands.insert(span.split_whitespace().next().unwrap().to_string());
                }
            }
        }
    }
    (commands, filters)
}

#[test]
fn the_readme_table_names_every_command_and_filter() {
    let (commands, filters) = readme_table();
    let registered: BTreeSet<String> = command_infos().map(|c| c.name.to_string()).collect();
    let registered_filters: BTreeSet<String> = filter_infos().map(|c| c.name.to_string()).collect();
    assert_eq!(
        commands, registered,
        "README.md's command table vs the registry"
    );
    assert_eq!(
        filters, registered_filters,
        "README.md's filters vs the registry"
    );
}

#[test]
fn index_d_ts_lists_every_event_kind() {
    let dts = repo_file("crates/mm-wasm/npm/index.d.ts");
    let decl = dts
        .split("export type EventKind =")
        .nth(1)
        .expect("index.d.ts declares EventKind")
        .split(';')
        .next()
        .unwrap();
    let listed: BTreeSet<String> = decl
        .split('|')
        .map(|k| k.trim().trim_matches('\'').to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let kinds: BTreeSet<String> = mm_core::event::kinds().map(String::from).collect();
    assert_eq!(
        listed, kinds,
        "index.d.ts's EventKind vs mm_core::event::kinds()"
    );
}

#[test]
fn help_and_ls_come_from_the_registries() {
    let mut m = Machine::default();
    m.run("spawn a");
    let help = m.run("help").output;
    for c in command_infos() {
        assert!(
            help.contains(&format!("  {} ", c.name)),
            "help lists {}",
            c.name
        );
        assert!(m.run(&format!("help {}", c.name)).ok, "help {}", c.name);
    }
    // `ls` lists /proc; the debugfs files are under their own directory.
    let ls = m.run("ls").output + &m.run("ls /sys/kernel/debug/extfrag").output;
    for f in m.files() {
        assert!(ls.contains(&format!("{f}\n")), "ls lists {f}");
        // Every file reads but the write-only trigger (mode 0200: EIO, as pde_read gives).
        let write_only = f == "/proc/sysrq-trigger";
        assert_eq!(m.read_file(&f).is_ok(), !write_only, "cat {f}");
    }
    for f in [
        "/proc/slabinfo",
        "/proc/2/maps",
        "/proc/2/oom_score_adj",
        "/proc/sys/vm/swappiness",
    ] {
        assert!(ls.contains(f), "ls lists {f}");
    }
}

#[test]
fn the_readme_and_help_list_every_limit() {
    let readme = repo_file("README.md");
    let help = Machine::default().run("help limits").output;
    for (what, value, seen) in mm_core::limits::table() {
        let cell = |s: &str| s.replace('|', "\\|");
        let row = format!("| {} | {} | {} |", cell(what), cell(&value), cell(seen));
        assert!(readme.contains(&row), "README's Limits table lacks:\n{row}");
        assert!(
            help.contains(&format!("  {what}: {value}\n      when reached: {seen}\n")),
            "help limits lacks {what}"
        );
    }
}
