//! Predict-then-check: what the student predicts about a command, how the simulator's
//! result is read from the command's outcome, and how the two are compared.

use crate::event::{Event, VmEvent};
use crate::machine::Machine;
use crate::shell::Outcome;

/// What part of a command's result a prediction is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Answer {
    /// Not given yet (a parse error if it stays so).
    #[default]
    Unset,
    /// `key NAME`: the value the command prints as `NAME=VALUE` (`pfn`, `cache`, `zone`).
    Key(String),
    /// `outcome`: whether the command succeeds (`succeeds`) or fails (`fails`).
    Outcome,
    /// `line TEXT`: the rest of the first output line containing TEXT (a buddyinfo
    /// line's counts after `Normal`).
    Line(String),
    /// `victim`: the name of the process the OOM killer picked (`none` if it did not
    /// run).
    Victim,
    /// `event KIND`: whether the command took a step of that kind (`yes` or `no`):
    /// does this read wake kswapd0 (`event KswapdWake`)?
    Event(String),
    /// `file PATH TEXT`: after the command, the rest of the first line of the file
    /// that contains TEXT (`file /proc/buddyinfo DMA32`: that zone's counts).
    File(String, String),
}

impl Answer {
    /// Reads `key NAME`, `outcome`, `line TEXT` or `victim`.
    pub fn parse(s: &str) -> Result<Answer, String> {
        let (kind, arg) = s
            .split_once(' ')
            .map(|(k, a)| (k, a.trim()))
            .unwrap_or((s, ""));
        match (kind, arg.is_empty()) {
            ("key", false) => Ok(Answer::Key(arg.to_string())),
            ("line", false) => Ok(Answer::Line(arg.to_string())),
            ("outcome", true) => Ok(Answer::Outcome),
            ("victim", true) => Ok(Answer::Victim),
            ("event", false) if crate::event::kinds().any(|k| k == arg) => {
                Ok(Answer::Event(arg.to_string()))
            }
            ("event", false) => Err(format!("unknown event kind '{arg}'")),
            ("file", false) => match arg.split_once(' ') {
                Some((path, text)) if !text.trim().is_empty() => {
                    Ok(Answer::File(path.to_string(), text.trim().to_string()))
                }
                _ => Err("'answer file' needs a path and the text of the line".into()),
            },
            _ => Err(format!(
                "unknown answer '{s}' (answers: key NAME, outcome, line TEXT, file PATH TEXT, event KIND, victim)"
            )),
        }
    }
}

/// A predict-then-check step's question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prediction {
    /// The file's line of `predict` (1-based).
    pub line: usize,
    /// The command whose result is predicted.
    pub command: String,
    /// The question, as the student reads it.
    pub question: String,
    /// What is compared.
    pub answer: Answer,
    /// The choices offered; empty for a typed answer.
    pub choices: Vec<String>,
    /// The answer the author expects (verified by `mmsim lesson check`).
    pub expect: String,
    /// The file's line of `expect`.
    pub expect_line: usize,
    /// What to read after grading, right or wrong.
    pub explain: String,
}

impl Prediction {
    /// The simulator's answer, read from the command's outcome (and, for `file`, the
    /// machine after it).
    pub fn answer_of(&self, o: &Outcome, m: &Machine) -> String {
        match &self.answer {
            Answer::Unset => String::new(),
            Answer::Outcome => if o.ok { "succeeds" } else { "fails" }.to_string(),
            Answer::Key(name) => o
                .output
                .split_whitespace()
                .find_map(|w| w.strip_prefix(name.as_str())?.strip_prefix('='))
                .unwrap_or("")
                .trim_end_matches([',', '.'])
                .to_string(),
            Answer::Line(text) => rest_of_line(&o.output, text),
            Answer::Event(kind) => if o.events.iter().any(|e| e.kind() == kind) {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            Answer::File(path, text) => m
                .read_file(path)
                .map(|f| rest_of_line(&f, text))
                .unwrap_or_default(),
            Answer::Victim => o
                .events
                .iter()
                .find_map(|e| match e {
                    Event::Vm(VmEvent::OomKill { comm, .. }) => Some(comm.to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| "none".to_string()),
        }
    }
}

/// The rest of the first line containing `text`, runs of spaces counting as one.
fn rest_of_line(s: &str, text: &str) -> String {
    let text = collapse(text);
    s.lines()
        .find_map(|l| {
            collapse(l)
                .split_once(&text)
                .map(|(_, rest)| rest.trim().to_string())
        })
        .unwrap_or_default()
}

/// Runs of whitespace as one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A number written in hex (`0x1f`) or decimal.
fn number(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Whether two answers say the same: spaces and case do not matter, and numbers are
/// equal in hex or decimal (`0x10` is `16`).
pub fn same_answer(a: &str, b: &str) -> bool {
    let (a, b) = (
        collapse(a).to_ascii_lowercase(),
        collapse(b).to_ascii_lowercase(),
    );
    match (number(&a), number(&b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(ok: bool, output: &str) -> Outcome {
        Outcome {
            ok,
            output: output.to_string(),
            events: Vec::new(),
            failure: None,
            work: 0,
            booted: false,
        }
    }

    #[test]
    fn answers_are_read_from_the_outcome() {
        let mut m = Machine::default();
        m.run("boot mem=64M");
        let o = outcome(true, "pfn=0x1008 order=3 zone=DMA32\n");
        let p = |a: &str| Prediction {
            answer: Answer::parse(a).unwrap_or_default(),
            ..Prediction::default()
        };
        assert_eq!(p("key pfn").answer_of(&o, &m), "0x1008");
        assert_eq!(p("key zone").answer_of(&o, &m), "DMA32");
        assert_eq!(p("key cache").answer_of(&o, &m), "");
        assert_eq!(p("outcome").answer_of(&o, &m), "succeeds");
        assert_eq!(p("outcome").answer_of(&outcome(false, "x"), &m), "fails");
        let b = outcome(
            true,
            "Node 0, zone      DMA      1      1 \nNode 0, zone   Normal   3   0 \n",
        );
        assert_eq!(p("line Normal").answer_of(&b, &m), "3 0");
        assert_eq!(p("victim").answer_of(&o, &m), "none");
        let dma = p("file /proc/buddyinfo zone DMA32").answer_of(&o, &m);
        assert_eq!(dma.split(' ').count(), 11, "{dma}");
        assert!(Answer::parse("file /proc/buddyinfo").is_err());
        assert_eq!(p("event KswapdWake").answer_of(&o, &m), "no");
        assert!(Answer::parse("event Bogus").is_err());
    }

    #[test]
    fn answers_compare_without_case_spaces_or_base() {
        assert!(same_answer("0x10", "16"));
        assert!(same_answer(" kmalloc-256 ", "KMALLOC-256"));
        assert!(same_answer("3  0 1", "3 0 1"));
        assert!(!same_answer("0x10", "0x11"));
        assert!(!same_answer("succeeds", "fails"));
        assert!(Answer::parse("key").is_err());
        assert!(Answer::parse("victim x").is_err());
    }
}
