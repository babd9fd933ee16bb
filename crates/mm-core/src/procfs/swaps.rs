//! `/proc/swaps` (`mm/swapfile.c: swap_show`): one line per swap area. The machine's
//! swap is the file `/swapfile` that `boot swap=SIZE` makes and swaps on at boot:
//! its first page is mkswap's header, so it holds `SIZE / 4K - 1` pages, and with no
//! `SWAP_FLAG_PREFER` its priority is -1 (`DEF_SWAP_PRIO`).

/// The file's text for a swap area of `pages` slots with `used` of them in use (none
/// without swap: just the header line).
pub fn swaps(pages: u64, used: u64) -> String {
    let mut out = String::from("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    if pages == 0 {
        return out;
    }
    let path = "/swapfile";
    let (bytes, inuse) = (pages * 4, used * 4);
    // "%*s%s\t%lu\t%s%lu\t%s%d\n": the path padded to column 40 (at least one space).
    let pad = if path.len() < 40 { 40 - path.len() } else { 1 };
    out.push_str(&format!(
        "{path}{:pad$}file\t\t{bytes}\t{}{inuse}\t{}-1\n",
        "",
        if bytes < 10_000_000 { "\t" } else { "" },
        if inuse < 10_000_000 { "\t" } else { "" },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 GiB swap file, as KERNEL-PRESSURE.md writes it out.
    #[test]
    fn a_1g_swap_file() {
        assert_eq!(
            swaps(262_143, 0),
            "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n\
             /swapfile                               file\t\t1048572\t\t0\t\t-1\n"
        );
        assert_eq!(swaps(0, 0).lines().count(), 1);
        // Ten million KiB and more: no second tab.
        assert!(swaps(2_500_000, 0).contains("\t10000000\t0\t\t-1\n"));
    }
}
