//! The transcript format of `mmsim run` and the golden tests: a script in, text out.

use crate::machine::Machine;

/// Runs a script and renders its transcript: each command's output; with `echo`,
/// each command first as `$ COMMAND`; with `steps`, each micro-step as `  · text`.
/// Blank lines and comments print nothing.
///
/// ```
/// let mut m = mm_core::Machine::default();
/// let t = mm_core::transcript::transcript(&mut m, "alloc_pages 0\n", true, false);
/// assert!(t.starts_with("$ alloc_pages 0\npfn=0x"));
/// ```
pub fn transcript(m: &mut Machine, script: &str, echo: bool, steps: bool) -> String {
    let recording = m.recording();
    m.set_recording(steps || recording);
    let mut out = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if echo && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push_str(&format!("$ {trimmed}\n"));
        }
        let r = m.run(line);
        out.push_str(&r.output);
        if steps {
            for e in &r.events {
                out.push_str(&format!("  · {}\n", e.text()));
            }
        }
    }
    m.set_recording(recording);
    out
}
