//! `mm-fuzz`: random command lines against the simulator, judged line by line (see
//! `run.rs`), with each failure shrunk to a short script. `cargo xtask fuzz` runs it;
//! `cargo xtask test` runs a short deterministic pass.
//!
//! ```text
//! mm-fuzz [--lines N] [--seed S] [--seeds K] [--max-mem SIZE] [--episode L] [--out DIR] [--show N]
//! ```
//!
//! Each seed runs `N / K` lines in episodes of up to `L` lines, each starting from a
//! freshly booted machine of at most `SIZE` RAM (events recorded in most episodes, with
//! a small step budget in some, so cut commands are fuzzed too).

mod gen;
mod minimise;
mod pools;
mod rng;
mod run;
mod scenario;
mod state;

use gen::Generator;
use mm_core::limits::EVENTS_PER_COMMAND;
use mm_core::Failure;
use pools::Pools;
use rng::Rng;
use run::{fresh, quiet_panics, replay, run_line, Finding, Kind};
use state::Seen;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Findings a seed reports at most (the first ones; the rest are counted).
const FINDINGS_PER_SEED: usize = 5;
/// Replays the minimiser may spend on one finding.
const MINIMISE_TRIES: usize = 400;

struct Options {
    lines: u64,
    seed: u64,
    seeds: u64,
    max_mem: u64,
    episode: u64,
    out: PathBuf,
    /// Lines to print with their outcomes, from the first (to see what is fuzzed).
    show: u64,
}

fn parse_size(s: &str) -> Option<u64> {
    mm_core::vocab::parse_size(s).ok()
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        lines: 20_000,
        seed: 1,
        seeds: 1,
        max_mem: 1 << 30,
        episode: 300,
        out: PathBuf::from("target/fuzz"),
        show: 0,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let number = || value.replace('_', "").parse::<u64>().ok();
        match args[i].as_str() {
            "--lines" => o.lines = number().ok_or("--lines takes a number")?,
            "--seed" => o.seed = number().ok_or("--seed takes a number")?,
            "--seeds" => {
                o.seeds = number()
                    .filter(|n| *n > 0)
                    .ok_or("--seeds takes a number from 1")?
            }
            "--episode" => {
                o.episode = number()
                    .filter(|n| *n > 0)
                    .ok_or("--episode takes a number from 1")?
            }
            "--max-mem" => {
                o.max_mem = parse_size(&value)
                    .filter(|m| (4 << 20..=64 << 30).contains(m))
                    .ok_or("--max-mem takes a size from 4M to 64G")?
            }
            "--out" => o.out = PathBuf::from(&value),
            "--show" => o.show = number().ok_or("--show takes a number")?,
            "-h" | "--help" => {
                println!("usage: mm-fuzz [--lines N] [--seed S] [--seeds K] [--max-mem SIZE] [--episode L] [--out DIR] [--show N]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option '{other}' (see --help)")),
        }
        i += 2;
    }
    Ok(o)
}

/// Counts over a run.
#[derive(Default)]
struct Stats {
    lines: u64,
    episodes: u64,
    outcomes: BTreeMap<&'static str, u64>,
    findings: BTreeMap<Kind, u64>,
    steps: u64,
    slowest: (Duration, String),
    /// Steps seen, by kind (which parts of the kernel model the run reached).
    kinds: BTreeMap<&'static str, u64>,
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.lines += other.lines;
        self.episodes += other.episodes;
        self.steps += other.steps;
        for (k, v) in other.kinds {
            *self.kinds.entry(k).or_default() += v;
        }
        for (k, v) in other.outcomes {
            *self.outcomes.entry(k).or_default() += v;
        }
        for (k, v) in other.findings {
            *self.findings.entry(k).or_default() += v;
        }
        if other.slowest.0 > self.slowest.0 {
            self.slowest = other.slowest;
        }
    }
}

/// Runs one seed's lines; returns its counts and its first findings, minimised.
fn fuzz_seed(seed: u64, lines: u64, o: &Options) -> (Stats, Vec<Finding>) {
    let mut r = Rng::new(seed);
    let g = Generator { max_mem: o.max_mem };
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    while stats.lines < lines {
        stats.episodes += 1;
        let recording = r.chance(3, 4);
        let budget = if r.chance(1, 5) {
            20 + r.index(500)
        } else {
            EVENTS_PER_COMMAND
        };
        let mut m = fresh(recording, budget);
        let mut seen = Seen::of(&m);
        let mut pools = Pools::default();
        let mut plan = scenario::Plan::default();
        let mut script: Vec<String> = Vec::new();
        let length = 1 + r.below(o.episode);
        for i in 0..length {
            if stats.lines >= lines {
                break;
            }
            if i > 0 && !plan.busy() && r.chance(1, 40) {
                plan.start(&mut r, m.page_states().len() as u64 * 4096);
            }
            let line = match plan.next(&pools) {
                _ if i == 0 => g.boot(&mut r),
                Some(l) => l,
                None => g.line(&mut r, &pools, &m),
            };
            script.push(line.clone());
            stats.lines += 1;
            let (ran, problem) = run_line(&mut m, &line, &seen);
            if ran.took > stats.slowest.0 {
                stats.slowest = (ran.took, line.chars().take(120).collect());
            }
            if let Some(out) = &ran.outcome {
                let what = match out.failure {
                    None => "ok",
                    Some(Failure::Rejected) => "refused",
                    Some(Failure::Kernel) => "kernel failure",
                };
                *stats.outcomes.entry(what).or_default() += 1;
                if stats.lines <= o.show {
                    let first = out.output.lines().next().unwrap_or("");
                    println!("{what:>14}: {line:.100}\n{:>16}{first:.100}", "");
                }
                stats.steps += out.events.len() as u64;
                for e in &out.events {
                    *stats.kinds.entry(e.kind()).or_default() += 1;
                }
                if out.booted {
                    pools.clear();
                }
                pools.learn(&line, &out.output);
            }
            if let Some((kind, message)) = problem {
                *stats.findings.entry(kind).or_default() += 1;
                if findings.len() < FINDINGS_PER_SEED {
                    let short = minimise(script.clone(), recording, budget, kind);
                    findings.push(Finding {
                        kind,
                        message,
                        script: short,
                        recording,
                        budget,
                    });
                }
                break;
            }
            match ran.seen {
                Some(s) => seen = s,
                None => break,
            }
        }
    }
    (stats, findings)
}

/// The shortest script that fails the same way.
fn minimise(script: Vec<String>, recording: bool, budget: usize, kind: Kind) -> Vec<String> {
    minimise::minimise(script, MINIMISE_TRIES, |s| {
        replay(s, recording, budget, kind).map(|(n, _)| n)
    })
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mm-fuzz: {e}");
            std::process::exit(2);
        }
    };
    quiet_panics();
    let started = Instant::now();
    let mut total = Stats::default();
    let mut all = Vec::new();
    let per_seed = o.lines.div_ceil(o.seeds);
    println!(
        "mm-fuzz: {} lines, seeds {}..{}, machines up to {} MiB, episodes up to {} lines",
        o.lines,
        o.seed,
        o.seed + o.seeds - 1,
        o.max_mem >> 20,
        o.episode
    );
    for seed in o.seed..o.seed + o.seeds {
        let t = Instant::now();
        let (stats, findings) = fuzz_seed(seed, per_seed, &o);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  seed {seed}: {} lines in {secs:.1} s ({:.0} lines/s), {} boots, {} findings",
            stats.lines,
            stats.lines as f64 / secs.max(1e-9),
            stats.episodes,
            stats.findings.values().sum::<u64>()
        );
        all.extend(findings.into_iter().map(|f| (seed, f)));
        total.add(stats);
    }
    let secs = started.elapsed().as_secs_f64();
    let count = |k: Kind| total.findings.get(&k).copied().unwrap_or(0);
    let outcome = |k: &str| total.outcomes.get(k).copied().unwrap_or(0);
    println!("lines run:                        {}", total.lines);
    println!("machines booted:                  {}", total.episodes);
    println!(
        "outcomes:                         {:.1}% ok, {:.1}% refused, {:.1}% kernel failures",
        percent(outcome("ok"), total.lines),
        percent(outcome("refused"), total.lines),
        percent(outcome("kernel failure"), total.lines)
    );
    println!("steps recorded:                   {}", total.steps);
    let all_kinds: Vec<&str> = mm_core::event::kinds().collect();
    let unseen: Vec<&str> = (all_kinds.iter().copied())
        .filter(|k| !total.kinds.contains_key(k))
        .collect();
    println!(
        "step kinds reached:               {} of {}{}",
        all_kinds.len() - unseen.len(),
        all_kinds.len(),
        if unseen.is_empty() {
            String::new()
        } else {
            format!(" (not: {})", unseen.join(", "))
        }
    );
    println!("panics:                           {}", count(Kind::Panic));
    println!(
        "invariant failures:               {}",
        count(Kind::Invariant)
    );
    println!(
        "refused inputs that changed state: {}",
        count(Kind::RefusedChangedState)
    );
    println!(
        "inconsistent outcomes:            {}",
        count(Kind::Inconsistent)
    );
    println!(
        "outcomes over the limits:         {}",
        count(Kind::OverLimit)
    );
    println!(
        "slowest line:                     {:.3} s: {}",
        total.slowest.0.as_secs_f64(),
        total.slowest.1
    );
    println!("time:                             {secs:.1} s");
    if all.is_empty() {
        return;
    }
    let _ = std::fs::create_dir_all(&o.out);
    for (i, (seed, f)) in all.iter().enumerate() {
        let path = o.out.join(format!("seed{seed}-{i}.mm"));
        let mut text = format!(
            "# mm-fuzz seed {seed}: {}: {}\n# from a fresh default machine, events {}, step budget {}\n",
            f.kind.name(),
            f.message.replace('\n', " "),
            if f.recording { "on" } else { "off" },
            f.budget
        );
        for l in &f.script {
            text.push_str(l);
            text.push('\n');
        }
        let _ = std::fs::write(&path, &text);
        println!(
            "\n{} (seed {seed}), minimised to {} lines, in {}:\n{text}",
            f.kind.name(),
            f.script.len(),
            path.display()
        );
    }
    std::process::exit(1);
}
