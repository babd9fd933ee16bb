//! A step's checks, evaluated over the commands the student ran and the machine.

use super::Step;
use crate::machine::Machine;
use crate::shell::Outcome;

/// Whether one check holds, given the commands run in the step (line and outcome).
pub fn check(m: &Machine, ran: &[(String, Outcome)], check: &str) -> bool {
    let (word, rest) = check
        .split_once(' ')
        .map(|(w, r)| (w, r.trim()))
        .unwrap_or((check, ""));
    let cmp = |have: u64, op: &str, want: &str| -> bool {
        let Ok(want) = want.parse::<u64>() else {
            return false;
        };
        match op {
            ">=" => have >= want,
            "<=" => have <= want,
            ">" => have > want,
            "<" => have < want,
            _ => have == want,
        }
    };
    match word {
        "ran" => ran.iter().any(|(l, o)| o.ok && l.trim().starts_with(rest)),
        "failed" => ran.iter().any(|(l, o)| !o.ok && l.trim().starts_with(rest)),
        "output" => ran.iter().any(|(_, o)| o.output.contains(rest)),
        "event" => ran
            .iter()
            .any(|(_, o)| o.events.iter().any(|e| e.kind() == rest)),
        "file" => {
            let (path, text) = rest.split_once(' ').unwrap_or((rest, ""));
            m.read_file(path).is_ok_and(|f| f.contains(text.trim()))
        }
        "zone_free" => {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let [zone, op, n] = w.as_slice() else {
                return false;
            };
            m.node()
                .populated()
                .find(|z| z.ztype.name() == *zone)
                .is_some_and(|z| cmp(z.nr_free_pages, op, n))
        }
        "sysctl" => {
            let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
            m.vm_sysctl()
                .get(name.trim_start_matches("vm."))
                .is_some_and(|v| v == value.trim())
        }
        "processes" => {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let [op, n] = w.as_slice() else { return false };
            cmp(m.tasks().count() as u64, op, n)
        }
        _ => false,
    }
}

/// Whether every check of a step holds (a predict step's own condition, a right
/// prediction, is the caller's to add).
pub fn step_done(m: &Machine, ran: &[(String, Outcome)], step: &Step) -> bool {
    step.checks.iter().all(|c| check(m, ran, &c.text))
}
