//! `mmsim`: runs command-language scripts against the simulated kernel and prints
//! what each command printed, the same text the browser's terminal shows.

use mm_core::Machine;
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: mmsim run [--echo] [--steps [--counts]] FILE|-
       mmsim lesson check FILE...
       mmsim import oom [--script] FILE|-
       mmsim import proc DIR [--run FILE|-]
  run      run a script (one command per line; - reads standard input)
  --echo   print each command as '$ COMMAND' before its output (transcript form)
  --steps  after each command, print its micro-steps, one sentence each
  --counts with --steps, after each step print every zone's free blocks per order
  lesson check  verify that every step's solution meets its goal (and that the goal
                is not met before the student acts); exit 1 if one does not
  import oom    read an OOM kill from a kernel log (dmesg, journalctl -k): print what
                was understood and the decision replayed with the kernel's
                oom_badness, and whether it is the report's victim
  --script      print instead the commands that build an equivalent machine (its
                RAM, swap and tasks) and let its OOM killer decide:
                mmsim import oom --script FILE | mmsim run --echo -
  import proc   boot a machine shaped like a /proc snapshot: DIR holds meminfo and,
                if you have them, buddyinfo, pagetypeinfo, zoneinfo, slabinfo, and the vm
                tunables (sysctl: sysctl -a lines, or sys/vm/NAME files); print what
                was reproduced exactly, what approximately and what left out
  --run         then run a script on it (what-if questions), as run --echo does";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mmsim: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    match cmd.as_str() {
        "run" => {
            let mut echo = false;
            let mut steps = false;
            let mut counts = false;
            let mut file = None;
            for a in rest {
                match a.as_str() {
                    "--echo" => echo = true,
                    "--steps" => steps = true,
                    "--counts" => counts = true,
                    "-h" | "--help" => {
                        println!("{USAGE}");
                        return Ok(ExitCode::SUCCESS);
                    }
                    f if file.is_none() => file = Some(f.to_string()),
                    _ => return Err(format!("unexpected argument '{a}'\n{USAGE}")),
                }
            }
            let file =
                file.ok_or_else(|| format!("run needs a FILE (or - for standard input)\n{USAGE}"))?;
            let text = read_input(&file)?;
            let mut m = Machine::default();
            let out =
                mm_core::transcript::transcript_with(&mut m, &text, echo, steps || counts, counts);
            // A closed pipe (mmsim ... | head) is not an error worth a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        "import" => match rest {
            [kind, flags @ .., file] if kind == "oom" && flags.len() <= 1 => {
                let script = match flags {
                    [] => false,
                    [f] if f == "--script" => true,
                    _ => return Err(format!("import oom takes [--script] FILE\n{USAGE}")),
                };
                let text = read_input(file)?;
                let report = mm_core::import::oom::OomReport::parse(&text)
                    .map_err(|e| format!("{file}: {e}"))?;
                if script {
                    let m = report.machine().map_err(|why| {
                        format!("{file}: no equivalent machine: {}", why.join("; "))
                    })?;
                    print!("{}", m.script);
                } else {
                    print!("{}", mm_core::import::oom::explain(&report));
                }
                Ok(ExitCode::SUCCESS)
            }
            [kind, dir, rest @ ..] if kind == "proc" => import_proc(dir, rest),
            _ => Err(format!(
                "import takes oom FILE (or - for standard input), or proc DIR\n{USAGE}"
            )),
        },
        "lesson" => match rest {
            [sub, files @ ..] if sub == "check" && !files.is_empty() => {
                let mut failed = false;
                for f in files {
                    let text = read_input(f)?;
                    match mm_core::lesson::Lesson::parse(&text)
                        .and_then(|l| mm_core::lesson::verify(&l))
                    {
                        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
                        Err(e) => {
                            eprintln!("mmsim: {f}: {e}");
                            failed = true;
                        }
                    }
                }
                Ok(if failed {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                })
            }
            _ => Err(format!("lesson takes: check FILE...\n{USAGE}")),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command '{cmd}'\n{USAGE}")),
    }
}

/// `mmsim import proc DIR [--run FILE]`.
fn import_proc(dir: &str, rest: &[String]) -> Result<ExitCode, String> {
    let script = match rest {
        [] => None,
        [flag, file] if flag == "--run" => Some(read_input(file)?),
        _ => return Err(format!("import proc takes DIR [--run FILE]\n{USAGE}")),
    };
    let mut files = Vec::new();
    let root = std::path::Path::new(dir);
    for name in mm_core::import::proc::FILE_NAMES {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            files.push((name.to_string(), text));
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join("sys/vm")) {
        let mut names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for n in names {
            let n = n.to_string_lossy().to_string();
            if let Ok(text) = std::fs::read_to_string(root.join("sys/vm").join(&n)) {
                files.push((format!("sys/vm/{n}"), text));
            }
        }
    }
    let snap = mm_core::import::proc::Snapshot::parse(&files).map_err(|e| format!("{dir}: {e}"))?;
    let machine = snap.machine();
    print!(
        "{}",
        mm_core::import::proc_machine::explain(&snap, &files, &machine)
    );
    if let (Some(script), Ok(mut pm)) = (script, machine) {
        println!();
        let out =
            mm_core::transcript::transcript_with(&mut pm.machine, &script, true, false, false);
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    }
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}
