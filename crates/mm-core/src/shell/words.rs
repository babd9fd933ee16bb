//! Splitting a line: pipeline stages, then words with quotes.

use super::error::ShellError;
use super::filters::FILTERS;

/// Splits a line into words, honouring 'single' and "double" quotes.
pub fn words(line: &str) -> Result<Vec<String>, ShellError> {
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
        return Err(ShellError::UnterminatedQuote);
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Splits off pipeline stages. A `|` with white space before it, or with a filter
/// (`head`, `tail`, `grep`, `wc`) right after it, starts a new stage; so
/// `GFP_KERNEL|__GFP_NOWARN` stays one word.
pub fn stages(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if c == '|' {
            let spaced = line[..i].ends_with(char::is_whitespace);
            let rest = line[i + 1..].trim_start();
            let filter = FILTERS.iter().any(|f| {
                rest.strip_prefix(f.name)
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
