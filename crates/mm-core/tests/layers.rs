//! Architecture invariant: a file never uses a file of a higher layer. The layers are
//! those of ARCHITECTURE.md; every source file must be placed in one, so a new file
//! is placed on purpose. The check reads the `use` lines and `crate::`/`super::` paths
//! of every file under `src/`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// (layer, name, files): lowest first. A path ending in `/` is a folder (the files a
/// more specific entry does not claim).
const LAYERS: &[(u8, &str, &[&str])] = &[
    (0, "vocabulary", &["vocab/"]),
    (
        1,
        "declarations",
        &[
            "command.rs",
            "limits.rs",
            "boot.rs",
            "printk.rs",
            "ratelimit.rs",
            "sysctl.rs",
            "event/define.rs",
            "page_alloc/memmap.rs",
            "page_alloc/free_area.rs",
            "page_alloc/events.rs",
            "page_alloc/error.rs",
            "slub/events.rs",
            "slub/error.rs",
            "vm/pgtable.rs",
            "vm/events.rs",
            "vm/error.rs",
            "vmscan/lru.rs",
            "vmscan/swapfile.rs",
            "vmscan/events.rs",
            "vmscan/error.rs",
            "compaction/events.rs",
            "shell/error.rs",
        ],
    ),
    (2, "unions", &["event/", "error.rs", "procfs/error.rs"]),
    (3, "page allocator", &["page_alloc/"]),
    (4, "kernel services", &["kernel.rs"]),
    (5, "SLUB", &["slub/"]),
    (
        6,
        "virtual memory and reclaim",
        &["vm/", "vmscan/", "compaction/"],
    ),
    (
        7,
        "commands and /proc renderers",
        &[
            "page_alloc/commands.rs",
            "page_alloc/procfs.rs",
            "slub/commands.rs",
            "slub/slabinfo.rs",
            "vm/commands.rs",
            "vm/procfs.rs",
            "vmscan/commands.rs",
            "procfs/meminfo.rs",
            "procfs/zoneinfo.rs",
            "procfs/vmstat.rs",
        ],
    ),
    (8, "machine", &["machine.rs"]),
    (9, "/proc registry", &["procfs/"]),
    (10, "shell", &["shell/"]),
    (
        11,
        "front-end data",
        &["lesson/", "transcript.rs", "views/", "import/"],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer of a file (relative to src/): an exact entry wins over a folder.
fn layer_of(rel: &str) -> Option<(u8, &'static str)> {
    for (l, name, files) in LAYERS {
        if files.contains(&rel) {
            return Some((*l, name));
        }
    }
    let mut best: Option<(usize, u8, &str)> = None;
    for (l, name, files) in LAYERS {
        for f in files.iter().filter(|f| f.ends_with('/')) {
            if rel.starts_with(f) && best.is_none_or(|(len, _, _)| f.len() > len) {
                best = Some((f.len(), *l, name));
            }
        }
    }
    best.map(|(_, l, n)| (l, n))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `page_alloc/alloc.rs` is [page_alloc, alloc].
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file that defines a module path's longest existing prefix.
fn file_of(module: &[String]) -> Option<String> {
    for n in (1..=module.len()).rev() {
        let base = module[..n].join("/");
        for cand in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if src().join(&cand).is_file() {
                return Some(cand);
            }
        }
    }
    None
}

/// Code without comments (line comments and doc comments), so prose cannot count,
/// and without the unit tests (`#[cfg(test)]` modules may use any layer).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b`, `super::a` and, in a module root, `child::a` path used.
fn paths(text: &str, module: &[String], is_root: bool) -> Vec<Vec<String>> {
    let code = code(text);
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 200)].iter().collect();
        let prev_ident =
            i > 0 && (bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if !prev_ident {
            let mut base: Option<Vec<String>> = None;
            let mut tail = String::new();
            if let Some(r) = rest.strip_prefix("crate::") {
                base = Some(Vec::new());
                tail = r.to_string();
            } else if let Some(r) = rest.strip_prefix("super::") {
                let mut m = module.to_vec();
                let mut r = r.to_string();
                m.pop();
                while let Some(rr) = r.strip_prefix("super::") {
                    m.pop();
                    r = rr.to_string();
                }
                base = Some(m);
                tail = r;
            } else if is_root {
                if let Some(r) = rest.strip_prefix("use ") {
                    let first: String = r
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let mut m = module.to_vec();
                    m.push(first.clone());
                    if !first.is_empty() && file_of(&m).is_some_and(|f| module_of(&f) == m) {
                        base = Some(module.to_vec());
                        tail = r.to_string();
                    }
                }
            }
            if let Some(mut m) = base {
                for seg in tail.split("::") {
                    let ident: String = seg
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if ident.is_empty() {
                        break;
                    }
                    m.push(ident.clone());
                    if ident.len() != seg.len() {
                        break;
                    }
                }
                out.push(m);
            }
        }
        i += 1;
    }
    out
}

#[test]
fn no_file_uses_a_higher_layer() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &all {
        let rel = path
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" {
            continue;
        }
        let Some((layer, name)) = layer_of(&rel) else {
            problems.push(format!(
                "{rel}: in no layer (add it to LAYERS and ARCHITECTURE.md)"
            ));
            continue;
        };
        *counts.entry(name).or_default() += 1;
        let module = module_of(&rel);
        let is_root = rel.ends_with("mod.rs");
        let text = std::fs::read_to_string(path).unwrap();
        for p in paths(&text, &module, is_root) {
            let Some(target) = file_of(&p) else { continue };
            if target == rel || target == "lib.rs" {
                continue;
            }
            let Some((tl, tname)) = layer_of(&target) else {
                continue;
            };
            if tl > layer {
                problems.push(format!(
                    "{rel} ({name}) uses {} in {target} ({tname}), a higher layer",
                    p.join("::")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        counts.len() == LAYERS.len(),
        "every layer has files: {counts:?}"
    );
}
