//! Running tools: paths, PATH, timing, and captured output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root (the folder with the top Cargo.toml).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or(here)
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, else `~/.cargo/bin`.
pub fn cargo_bin() -> PathBuf {
    if let Some(h) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(h).join("bin");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"));
    home.join(".cargo").join("bin")
}

/// The project-local tools folder (git ignores it): npm's binaryen lives here.
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// PATH for child processes: project tools and cargo's bin first.
pub fn path_env() -> std::ffi::OsString {
    let mut parts = vec![tools_dir().join("node_modules").join(".bin"), cargo_bin()];
    if let Some(p) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(parts).unwrap_or_default()
}

/// A command with the project's PATH, run from the workspace root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", path_env()).current_dir(root());
    c
}

/// Finds a program on the project's PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&path_env())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Runs a command, printing its output live; errors with `what` on failure.
pub fn run(c: &mut Command, what: &str) -> Result<(), String> {
    let status = c
        .status()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs a command, echoing its output live and also returning it (stdout + stderr).
pub fn run_tee(c: &mut Command) -> Result<(bool, String), String> {
    use std::io::{BufRead, BufReader, Write};
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {:?}: {e}", c.get_program()))?;
    let stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stderr {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                eprintln!("{line}");
                buf.push_str(&line);
                buf.push('\n');
            }
        }
        buf
    });
    let mut out = String::new();
    if let Some(s) = child.stdout.take() {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            println!("{line}");
            let _ = std::io::stdout().flush();
            out.push_str(&line);
            out.push('\n');
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    out.push_str(&err_thread.join().unwrap_or_default());
    Ok((status.success(), out))
}

/// Captures a command's stdout (trimmed), or None if it cannot run or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let o = c.stderr(Stdio::null()).output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Times a step and prints its name and duration.
pub fn step<T>(name: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("==> {name}");
    let t = Instant::now();
    let r = f();
    let secs = t.elapsed().as_secs_f64();
    match &r {
        Ok(_) => println!("    {name}: done in {secs:.1}s"),
        Err(e) => println!("    {name}: FAILED after {secs:.1}s: {e}"),
    }
    r
}
