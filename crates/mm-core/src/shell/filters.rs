//! The filters a pipe may feed: `head`, `tail`, `grep`, `wc`.

use super::error::ShellError;
use crate::command::CommandSpec;
use crate::error::Error;

/// A filter: words after its name, the text piped in, the text it lets through.
pub type Filter = CommandSpec<fn(&[&str], &str) -> Result<String, Error>>;

/// Every filter, in the order `help` lists them.
pub const FILTERS: &[Filter] = &[
    CommandSpec {
        name: "head",
        usage: "head [-n N]",
        summary: "the first N lines (10 by default)",
        details: crate::command::details!("cat /proc/meminfo | head -n 3"),
        run: head,
    },
    CommandSpec {
        name: "tail",
        usage: "tail [-n N]",
        summary: "the last N lines (10 by default)",
        details: crate::command::details!("dmesg | tail -n 5"),
        run: tail,
    },
    CommandSpec {
        name: "grep",
        usage: "grep [-i] [-v] PATTERN, or grep -e PATTERN [-e PATTERN ...]",
        summary: "the lines that contain PATTERN (^ and $ anchor it; -i ignores case, -v inverts)",
        details: crate::command::details!("cat /proc/meminfo | grep -e Commit -e MemFree"),
        run: grep,
    },
    CommandSpec {
        name: "wc",
        usage: "wc -l",
        summary: "count the lines",
        details: crate::command::details!("cat /proc/slabinfo | wc -l"),
        run: wc,
    },
];

/// The filter with this name.
pub fn filter(name: &str) -> Option<&'static Filter> {
    FILTERS.iter().find(|f| f.name == name)
}

fn pick(lines: impl Iterator<Item = impl AsRef<str>>) -> String {
    lines.map(|l| format!("{}\n", l.as_ref())).collect()
}

/// `-n N`, `-N` or nothing (10).
fn count(args: &[&str]) -> Result<usize, Error> {
    match args {
        [] => Ok(10),
        [n] if n.starts_with('-') && n.len() > 1 => n[1..]
            .parse()
            .map_err(|_| ShellError::BadLineCount(n[1..].to_string()).into()),
        [flag, n] if *flag == "-n" => n
            .parse()
            .map_err(|_| ShellError::BadLineCount(n.to_string()).into()),
        _ => Err(Error::Usage),
    }
}

fn head(args: &[&str], input: &str) -> Result<String, Error> {
    let n = count(args)?;
    Ok(pick(input.lines().take(n)))
}

fn tail(args: &[&str], input: &str) -> Result<String, Error> {
    let n = count(args)?;
    let skip = input.lines().count().saturating_sub(n);
    Ok(pick(input.lines().skip(skip)))
}

/// grep's match: a plain substring, with `^` anchoring at the start and `$` at the end.
fn matches(line: &str, pattern: &str) -> bool {
    let (start, p) = match pattern.strip_prefix('^') {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let (end, p) = match p.strip_suffix('$') {
        Some(p) => (true, p),
        None => (false, p),
    };
    match (start, end) {
        (true, true) => line == p,
        (true, false) => line.starts_with(p),
        (false, true) => line.ends_with(p),
        (false, false) => line.contains(p),
    }
}

fn grep(args: &[&str], input: &str) -> Result<String, Error> {
    let mut ignore_case = false;
    let mut invert = false;
    let mut patterns = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "-i" => ignore_case = true,
            "-v" => invert = true,
            "-iv" | "-vi" => {
                ignore_case = true;
                invert = true;
            }
            "-e" => patterns.push(*it.next().ok_or(Error::Usage)?),
            p if patterns.is_empty() && !p.starts_with('-') => patterns.push(p),
            _ => return Err(Error::Usage),
        }
    }
    if patterns.is_empty() {
        return Err(Error::Usage);
    }
    let norm = |t: &str| {
        if ignore_case {
            t.to_ascii_lowercase()
        } else {
            t.to_string()
        }
    };
    let needles: Vec<String> = patterns.iter().map(|p| norm(p)).collect();
    Ok(pick(input.lines().filter(|l| {
        let hay = norm(l);
        needles.iter().any(|n| matches(&hay, n)) != invert
    })))
}

fn wc(args: &[&str], input: &str) -> Result<String, Error> {
    match args {
        ["-l"] => Ok(format!("{}\n", input.lines().count())),
        _ => Err(ShellError::WcOnlyLines.into()),
    }
}
