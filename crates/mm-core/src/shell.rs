//! The command language: one line in, an [`Outcome`] out. Kernel operations print
//! `key=value` pairs; shell commands read the simulated /proc; `|` pipes into
//! `head`, `tail`, `grep` and `wc`.

use crate::boot::BootParams;
use crate::gfp::{GfpFlags, GFP_KERNEL};
use crate::machine::{Machine, Outcome};
use crate::size::parse_number;
use crate::types::Pfn;

/// Splits a line into words, honouring 'single' and "double" quotes.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Splits off pipeline stages. A `|` with white space before it, or with a filter
/// command (`head`, `tail`, `grep`, `wc`) right after it, starts a new stage; so
/// `GFP_KERNEL|__GFP_NOWARN` stays one word.
fn stages(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if c == '|' {
            let spaced = line[..i].ends_with(char::is_whitespace);
            let rest = line[i + 1..].trim_start();
            let filter = ["head", "tail", "grep", "wc"].iter().any(|f| {
                rest.strip_prefix(f)
                    .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
            });
            if spaced || filter {
                out.push(&line[start..i]);
                start = i + 1;
            }
        }
    }
    out.push(&line[start..]);
    out
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

/// Applies one filter stage to text.
fn filter(stage: &[String], input: &str) -> Result<String, String> {
    let lines: Vec<&str> = input.lines().collect();
    let pick = |v: Vec<&str>| v.iter().map(|l| format!("{l}\n")).collect::<String>();
    let count = |args: &[String], name: &str| -> Result<usize, String> {
        match args {
            [] => Ok(10),
            [n] if n.starts_with('-') && n.len() > 1 => n[1..]
                .parse()
                .map_err(|_| format!("{name}: invalid number of lines: '{}'", &n[1..])),
            [flag, n] if flag == "-n" => n
                .parse()
                .map_err(|_| format!("{name}: invalid number of lines: '{n}'")),
            _ => Err(format!("{name}: usage: {name} [-n N]")),
        }
    };
    match stage.split_first() {
        Some((cmd, args)) if cmd == "head" => {
            let n = count(args, "head")?;
            Ok(pick(lines.into_iter().take(n).collect()))
        }
        Some((cmd, args)) if cmd == "tail" => {
            let n = count(args, "tail")?;
            let skip = lines.len().saturating_sub(n);
            Ok(pick(lines.into_iter().skip(skip).collect()))
        }
        Some((cmd, args)) if cmd == "grep" => {
            let usage = "grep: usage: grep [-i] [-v] PATTERN, or grep -e PATTERN [-e PATTERN ...]";
            let mut ignore_case = false;
            let mut invert = false;
            let mut patterns = Vec::new();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "-i" => ignore_case = true,
                    "-v" => invert = true,
                    "-iv" | "-vi" => {
                        ignore_case = true;
                        invert = true;
                    }
                    "-e" => patterns.push(it.next().ok_or(usage)?.clone()),
                    p if patterns.is_empty() && !p.starts_with('-') => patterns.push(p.to_string()),
                    _ => return Err(usage.into()),
                }
            }
            if patterns.is_empty() {
                return Err(usage.into());
            }
            let norm = |t: &str| {
                if ignore_case {
                    t.to_ascii_lowercase()
                } else {
                    t.to_string()
                }
            };
            let needles: Vec<String> = patterns.iter().map(|p| norm(p)).collect();
            Ok(pick(
                lines
                    .into_iter()
                    .filter(|l| {
                        let hay = norm(l);
                        needles.iter().any(|n| matches(&hay, n)) != invert
                    })
                    .collect(),
            ))
        }
        Some((cmd, args)) if cmd == "wc" => match args {
            [l] if l == "-l" => Ok(format!("{}\n", lines.len())),
            _ => Err("wc: only wc -l is supported".into()),
        },
        Some((cmd, _)) => Err(format!(
            "sh: {cmd}: command not found (pipes go into head, tail, grep or wc)"
        )),
        None => Err("sh: syntax error near '|'".into()),
    }
}

impl Machine {
    /// Runs one line of the command language. Errors print one line that starts with
    /// the command's name and leave the machine as it was.
    pub fn run(&mut self, line: &str) -> Outcome {
        self.trace.take();
        let line = match line.find('#') {
            Some(i) => &line[..i],
            None => line,
        };
        if line.trim().is_empty() {
            return Outcome {
                ok: true,
                output: String::new(),
                events: Vec::new(),
            };
        }
        self.tick();
        let result = self.run_pipeline(line);
        let events = self.trace.take();
        match result {
            Ok(output) => Outcome {
                ok: true,
                output,
                events,
            },
            Err(e) => Outcome {
                ok: false,
                output: format!("{e}\n"),
                events,
            },
        }
    }

    /// Runs every line of a script, returning each line with its outcome.
    pub fn run_script(&mut self, text: &str) -> Vec<(String, Outcome)> {
        text.lines().map(|l| (l.to_string(), self.run(l))).collect()
    }

    fn run_pipeline(&mut self, line: &str) -> Result<String, String> {
        let parts = stages(line);
        let first = words(parts[0]).map_err(|e| format!("sh: {e}"))?;
        let mut filters = Vec::new();
        for p in &parts[1..] {
            let w = words(p).map_err(|e| format!("sh: {e}"))?;
            if w.is_empty() {
                return Err("sh: syntax error near '|'".into());
            }
            filters.push(w);
        }
        let Some((cmd, args)) = first.split_first() else {
            return Err("sh: syntax error: nothing before '|'".into());
        };
        // Check the filters before running anything, so a bad pipe changes nothing.
        for f in &filters {
            filter(f, "")?;
        }
        let mut out = self.command(cmd, args)?;
        for f in &filters {
            out = filter(f, &out)?;
        }
        Ok(out)
    }

    fn command(&mut self, cmd: &str, args: &[String]) -> Result<String, String> {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        match cmd {
            "help" => match a.as_slice() {
                [] => Ok(crate::help::overview()),
                [name] => {
                    crate::help::command(name).ok_or_else(|| format!("help: no command '{name}'"))
                }
                _ => Err("help: usage: help [COMMAND]".into()),
            },
            "boot" => {
                let params = BootParams::parse(a.iter().copied())?;
                let recording = self.recording();
                *self = Machine::boot(params);
                self.set_recording(recording);
                let total = self.node().totalram_pages();
                Ok(format!(
                    "booted {} managed_pages={} free_pages={}\n",
                    self.params().to_args(),
                    total,
                    self.node().nr_free_pages()
                ))
            }
            "alloc_pages" => {
                let (order, gfp) = match a.as_slice() {
                    [o] => (*o, None),
                    [o, g] => (*o, Some(*g)),
                    _ => return Err("alloc_pages: usage: alloc_pages ORDER [GFP_FLAGS]".into()),
                };
                let order: u8 = parse_number(order)
                    .ok()
                    .and_then(|o| u8::try_from(o).ok())
                    .ok_or_else(|| format!("alloc_pages: '{order}' is not an order (0..10)"))?;
                let gfp = match gfp {
                    Some(g) => GfpFlags::parse(g).map_err(|e| format!("alloc_pages: {e}"))?,
                    None => GfpFlags(GFP_KERNEL),
                };
                let (zt, pfn) = self
                    .alloc_pages(order, gfp)
                    .map_err(|e| format!("alloc_pages: {e}"))?;
                Ok(format!("pfn={pfn} order={order} zone={zt}\n"))
            }
            "free_pages" => {
                let (pfn, order) = match a.as_slice() {
                    [p] => (*p, None),
                    [p, o] => (*p, Some(*o)),
                    _ => return Err("free_pages: usage: free_pages PFN [ORDER]".into()),
                };
                let pfn = Pfn(parse_number(pfn).map_err(|e| format!("free_pages: {e}"))?);
                let order = match order {
                    Some(o) => Some(
                        parse_number(o)
                            .ok()
                            .and_then(|o| u8::try_from(o).ok())
                            .filter(|o| *o <= crate::types::MAX_PAGE_ORDER)
                            .ok_or_else(|| format!("free_pages: '{o}' is not an order (0..10)"))?,
                    ),
                    None => None,
                };
                let (zt, pfn, order) = self
                    .free_pages(pfn, order)
                    .map_err(|e| format!("free_pages: {e}"))?;
                Ok(format!("pfn={pfn} order={order} zone={zt}\n"))
            }
            "cat" => {
                if a.is_empty() {
                    return Err("cat: usage: cat FILE".into());
                }
                let mut out = String::new();
                for path in &a {
                    out.push_str(&self.read_file(path).map_err(|e| format!("cat: {e}"))?);
                }
                Ok(out)
            }
            "echo" => self.echo(&a),
            "sysctl" => self.sysctl(&a),
            "dmesg" => {
                if !a.is_empty() {
                    return Err("dmesg: takes no options here".into());
                }
                Ok(self.dmesg().iter().map(|l| format!("{l}\n")).collect())
            }
            "ls" => Ok(self.files().iter().map(|f| format!("{f}\n")).collect()),
            "spawn" | "fork" | "exit" | "mmap" | "munmap" | "brk" | "read" | "write" | "touch"
            | "translate" | "ps" => self.vm_command(cmd, &a).map_err(|e| format!("{cmd}: {e}")),
            "kmem_cache_create" | "kmem_cache_alloc" | "kmem_cache_free" | "kmem_cache_shrink"
            | "kmem_cache_destroy" | "kmalloc" | "kfree" => self
                .slab_command(cmd, &a)
                .map_err(|e| format!("{cmd}: {e}")),
            _ => Err(format!("{cmd}: command not found (type help for the list)")),
        }
    }

    fn echo(&mut self, a: &[&str]) -> Result<String, String> {
        match a.iter().position(|w| *w == ">" || w.starts_with('>')) {
            None => Ok(format!("{}\n", a.join(" "))),
            Some(i) => {
                let value = a[..i].join(" ");
                let target = if a[i] == ">" {
                    a.get(i + 1).copied()
                } else {
                    Some(&a[i][1..])
                };
                let Some(path) = target.filter(|p| !p.is_empty()) else {
                    return Err("echo: syntax error: no file after '>'".into());
                };
                if a.len() > i + 2 || (a[i] != ">" && a.len() > i + 1) {
                    return Err("echo: one file after '>'".into());
                }
                if let Some(p) = path
                    .strip_prefix("/proc/")
                    .and_then(|r| r.strip_suffix("/oom_score_adj"))
                {
                    let pid: u32 = p
                        .parse()
                        .map_err(|_| format!("echo: {path}: No such file or directory"))?;
                    self.write_oom_score_adj(pid, &value)
                        .map_err(|e| format!("echo: write error: {e}"))?;
                    return Ok(String::new());
                }
                let Some(name) = path.strip_prefix("/proc/sys/vm/") else {
                    return Err(match self.read_file(path) {
                        Ok(_) => format!("echo: {path}: Permission denied"),
                        Err(e) => format!("echo: {e}"),
                    });
                };
                if self.vm().get(name).is_none() {
                    return Err(format!("echo: {path}: No such file or directory"));
                }
                self.sysctl_write(name, &value)
                    .map_err(|e| format!("echo: write error: {e}"))?;
                Ok(String::new())
            }
        }
    }

    fn sysctl(&mut self, a: &[&str]) -> Result<String, String> {
        let short = |name: &str| -> Result<String, String> {
            let n = name.strip_prefix("vm.").ok_or_else(|| {
                format!(
                    "sysctl: cannot stat /proc/sys/{}: No such file or directory",
                    name.replace('.', "/")
                )
            })?;
            Ok(n.to_string())
        };
        match a {
            [] => Err("sysctl: usage: sysctl [-a] [-w] NAME[=VALUE]".into()),
            ["-a"] => Ok(crate::sysctl::NAMES
                .iter()
                .map(|n| format!("vm.{n} = {}\n", self.vm().get(n).unwrap_or_default()))
                .collect()),
            ["-w", rest @ ..] | rest @ [_, ..] if rest.iter().all(|w| !w.starts_with('-')) => {
                let write = a[0] == "-w";
                // Check every item first (names, the form, the values), so a bad one
                // changes nothing: all or nothing.
                let mut trial = self.vm().clone();
                for item in rest.iter() {
                    let (name, value) = match item.split_once('=') {
                        Some((n, v)) => (n, Some(v)),
                        None if write => {
                            return Err(format!(
                                "sysctl: \"{item}\" must be of the form name=value"
                            ))
                        }
                        None => (*item, None),
                    };
                    let n = short(name)?;
                    if trial.get(&n).is_none() {
                        return Err(format!(
                            "sysctl: cannot stat /proc/sys/vm/{n}: No such file or directory"
                        ));
                    }
                    if let Some(value) = value {
                        trial
                            .set(&n, value)
                            .map_err(|e| format!("sysctl: setting key \"{name}\": {e}"))?;
                    }
                }
                let mut out = String::new();
                for item in rest {
                    if let Some((name, value)) = item.split_once('=') {
                        let n = short(name)?;
                        if self.vm().get(&n).is_none() {
                            return Err(format!(
                                "sysctl: cannot stat /proc/sys/vm/{n}: No such file or directory"
                            ));
                        }
                        self.sysctl_write(&n, value)
                            .map_err(|e| format!("sysctl: setting key \"{name}\": {e}"))?;
                        out.push_str(&format!(
                            "{name} = {}\n",
                            self.vm().get(&n).unwrap_or_default()
                        ));
                    } else if write {
                        return Err(format!("sysctl: \"{item}\" must be of the form name=value"));
                    } else {
                        let n = short(item)?;
                        let v = self.vm().get(&n).ok_or_else(|| {
                            format!(
                                "sysctl: cannot stat /proc/sys/vm/{n}: No such file or directory"
                            )
                        })?;
                        out.push_str(&format!("{item} = {v}\n"));
                    }
                }
                Ok(out)
            }
            _ => Err("sysctl: usage: sysctl [-a] [-w] NAME[=VALUE]".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_split_only_before_filters() {
        assert_eq!(
            stages("alloc_pages 1 GFP_KERNEL|__GFP_NOWARN"),
            vec!["alloc_pages 1 GFP_KERNEL|__GFP_NOWARN"]
        );
        assert_eq!(stages("cat /proc/meminfo | grep Mem|head -n 1").len(), 3);
    }

    #[test]
    fn quotes() {
        assert_eq!(words("grep 'a b' c").unwrap(), vec!["grep", "a b", "c"]);
        assert!(words("grep 'a").is_err());
    }
}
