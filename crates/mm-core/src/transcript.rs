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
    transcript_with(m, script, echo, steps, false)
}

/// [`transcript`], and with `counts` each step also prints every zone's free-block
/// counts per order after it (`    DMA32: 0 1 1 ...`), as the UI's buddy panel shows
/// them: the free lists replayed from the events ([`crate::views::FreeListsView`]).
pub fn transcript_with(
    m: &mut Machine,
    script: &str,
    echo: bool,
    steps: bool,
    counts: bool,
) -> String {
    let recording = m.recording();
    m.set_recording(steps || recording);
    let mut out = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if echo && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push_str(&format!("$ {trimmed}\n"));
        }
        let mut view = crate::views::FreeListsView::of(m);
        let r = m.run(line);
        out.push_str(&r.output);
        if steps {
            for e in &r.events {
                out.push_str(&format!("  · {}\n", e.text()));
                if counts {
                    if matches!(e, crate::Event::Summary(_)) {
                        // Past a summary the lists are those after the command.
                        view = crate::views::FreeListsView::of(m);
                    }
                    view.apply(e);
                    for z in &view.zones {
                        let n: Vec<String> = z.nr_free().iter().map(u64::to_string).collect();
                        out.push_str(&format!(
                            "    {}: {}\n",
                            z.zone,
                            crate::vocab::join(&n, " ")
                        ));
                    }
                }
            }
        }
    }
    m.set_recording(recording);
    out
}
