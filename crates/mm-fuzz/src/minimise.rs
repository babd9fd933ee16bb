//! Shrinking a failing script to a short one that fails the same way (Zeller's
//! delta debugging: drop ever smaller chunks of lines while the failure stays).

/// The shortest script found (within `max_tries` replays) for which `fails` holds;
/// `fails(script)` returns how many lines it took to fail, so what follows the
/// failing line is dropped as well.
pub fn minimise(
    script: Vec<String>,
    max_tries: usize,
    mut fails: impl FnMut(&[String]) -> Option<usize>,
) -> Vec<String> {
    let mut best = script;
    let mut tries = 0;
    let mut chunks = 2usize;
    while best.len() > 1 && tries < max_tries {
        let size = best.len().div_ceil(chunks);
        let mut shrunk = false;
        let mut start = 0;
        while start < best.len() && tries < max_tries {
            let candidate: Vec<String> = best[..start]
                .iter()
                .chain(&best[(start + size).min(best.len())..])
                .cloned()
                .collect();
            tries += 1;
            if let Some(n) = fails(&candidate) {
                best = candidate;
                best.truncate(n);
                shrunk = true;
                break;
            }
            start += size;
        }
        if shrunk {
            chunks = chunks.saturating_sub(1).max(2);
        } else if size <= 1 {
            break;
        } else {
            chunks = (chunks * 2).min(best.len());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::minimise;

    #[test]
    fn finds_the_two_lines_that_matter() {
        let script: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        // Fails once "line 17" has run and then "line 60".
        let fails = |s: &[String]| {
            let a = s.iter().position(|l| l == "line 17")?;
            let b = s.iter().position(|l| l == "line 60")?;
            (a < b).then_some(b + 1)
        };
        let out = minimise(script, 1000, fails);
        assert_eq!(out, ["line 17", "line 60"]);
    }
}
