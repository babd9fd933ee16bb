//! Values the fuzzer has seen in the simulator's answers (page frame numbers,
//! addresses, process ids, cache names), so that its lines often name things that
//! exist: a block `alloc_pages` just returned, a mapping `mmap` just made.

/// How many of each kind are kept (the newest).
const KEEP: usize = 48;

/// What the fuzzer has seen.
#[derive(Clone, Debug, Default)]
pub struct Pools {
    /// PFNs (`pfn=0x1000`, `pfn:01013`, block heads in free lists).
    pub pfns: Vec<u64>,
    /// User virtual addresses (`addr=0x7fff...`, `end=...`).
    pub addrs: Vec<u64>,
    /// Kernel addresses of slab objects (`addr=0xffff888...`).
    pub kaddrs: Vec<u64>,
    /// Any other hexadecimal number printed.
    pub numbers: Vec<u64>,
    /// Process ids (`pid=2`).
    pub pids: Vec<u64>,
    /// Slab cache names created or printed.
    pub caches: Vec<String>,
    /// Mappings made: (pid, start, end), children's copies included.
    pub maps: Vec<(u64, u64, u64)>,
}

fn push<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if let Some(i) = v.iter().position(|y| *y == x) {
        v.remove(i);
    }
    v.push(x);
    if v.len() > KEEP {
        v.remove(0);
    }
}

/// The hexadecimal number at the start of `s` (after `0x`), if any.
fn hex_after(s: &str) -> Option<u64> {
    let digits: String = s
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(16)
        .collect();
    u64::from_str_radix(&digits, 16).ok()
}

fn decimal_after(s: &str) -> Option<u64> {
    let digits: String = s
        .chars()
        .take_while(char::is_ascii_digit)
        .take(19)
        .collect();
    digits.parse().ok()
}

impl Pools {
    /// Learns from one command's output (and the line that produced it).
    pub fn learn(&mut self, line: &str, output: &str) {
        for (i, _) in output.match_indices("0x") {
            let before = &output[..i];
            let Some(n) = hex_after(&output[i + 2..]) else {
                continue;
            };
            if before.ends_with("pfn=") || before.ends_with("pfn ") || before.ends_with("block ") {
                push(&mut self.pfns, n);
            } else if before.ends_with("addr=")
                || before.ends_with("obj=")
                || before.ends_with("end=")
            {
                push(&mut self.addrs, n);
            } else {
                push(&mut self.numbers, n);
            }
        }
        for (i, _) in output.match_indices("pfn:") {
            if let Some(n) = hex_after(&output[i + 4..]) {
                push(&mut self.pfns, n);
            }
        }
        for (i, _) in output.match_indices("pid=") {
            if let Some(n) = decimal_after(&output[i + 4..]) {
                push(&mut self.pids, n);
            }
        }
        let mut words = line.split_whitespace();
        let command = words.next();
        let first = words.next();
        if command == Some("kmem_cache_create") {
            if let Some(name) = first {
                push(&mut self.caches, name.to_string());
            }
        }
        if command == Some("mmap") {
            let field = |k: &str| {
                let i = output.find(k)?;
                hex_after(output[i + k.len()..].strip_prefix("0x")?)
            };
            if let (Some(pid), Some(start), Some(end)) = (
                first.and_then(|p| p.parse().ok()),
                field("addr="),
                field("end="),
            ) {
                push(&mut self.maps, (pid, start, end));
            }
        }
        if command == Some("fork") {
            let parent: Option<u64> = first.and_then(|p| p.parse().ok());
            let child = output
                .find("pid=")
                .and_then(|i| decimal_after(&output[i + 4..]));
            if let (Some(parent), Some(child)) = (parent, child) {
                let copies: Vec<_> = (self.maps.iter())
                    .filter(|m| m.0 == parent)
                    .map(|m| (child, m.1, m.2))
                    .collect();
                for c in copies {
                    push(&mut self.maps, c);
                }
            }
        }
        for (i, _) in output.match_indices("cache=") {
            let name: String = output[i + 6..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            if !name.is_empty() {
                push(&mut self.caches, name);
            }
        }
    }

    /// Forgets everything (a new machine was booted).
    pub fn clear(&mut self) {
        *self = Pools::default();
    }
}

#[cfg(test)]
mod tests {
    use super::Pools;

    #[test]
    fn learns_pfns_addresses_pids_and_caches() {
        let mut p = Pools::default();
        p.learn("alloc_pages 3", "pfn=0x1020 order=3 zone=DMA32\n");
        p.learn("spawn a", "pid=2 comm=a\n");
        p.learn("mmap 2 1M", "addr=0x7ffff7eff000 end=0x7ffff7fff000\n");
        p.learn("kmalloc 200", "addr=0xffff888001013000 cache=kmalloc-256\n");
        p.learn(
            "kmem_cache_create foo 40",
            "cache=foo objsize=40 size=40 align=8\n",
        );
        p.learn(
            "free_pages 0x5",
            "free_pages: BUG: Bad page state in process mmsim  pfn:00005 (...)\n",
        );
        assert_eq!(p.pfns, [0x1020, 0x5]);
        assert_eq!(
            p.addrs,
            [0x7ffff7eff000, 0x7ffff7fff000, 0xffff888001013000]
        );
        assert_eq!(p.pids, [2]);
        assert_eq!(p.caches, ["kmalloc-256", "foo"]);
        assert_eq!(p.maps, [(2, 0x7ffff7eff000, 0x7ffff7fff000)]);
        p.learn("fork 2", "pid=3 parent=2\n");
        assert_eq!(p.maps[1], (3, 0x7ffff7eff000, 0x7ffff7fff000));
    }
}
