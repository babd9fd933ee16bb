//! The command reference that `help` prints, and that completion and the README use.

/// One command of the language.
#[derive(Clone, Copy, Debug)]
pub struct CommandHelp {
    /// The command's name.
    pub name: &'static str,
    /// Its synopsis.
    pub usage: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// A longer explanation with an example.
    pub details: &'static str,
}

/// Every command, in the order `help` lists them.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "boot",
        usage: "boot [mem=SIZE] [cpus=N] [swap=SIZE] [pcp=on|off] [dma=SIZE] [dma32=SIZE] [reserve=SIZE@ADDR] [caches=typical] [slub_min_objects=N] [slub_min_order=N] [slub_max_order=N]",
        summary: "reset to a freshly booted machine",
        details: "Defaults: mem=1G cpus=2 swap=0 pcp=off dma=16M dma32=4G. RAM is one range from \
address 0; the first 1M is reserved, as on x86-64 since v5.13. dma= and dma32= move the zone \
boundaries (multiples of 4M), so a small machine can have all three zones: \
boot mem=64M dma=4M dma32=32M. reserve=64K@0x200000 keeps a range from the buddy allocator. \
caches=typical adds busy kernel caches (dentry, inode_cache, ...) so /proc/slabinfo looks like a real \
machine's; slub_min_objects=, slub_min_order=, slub_max_order= are the kernel's SLUB boot options.",
    },
    CommandHelp {
        name: "alloc_pages",
        usage: "alloc_pages ORDER [GFP_FLAGS]",
        summary: "allocate 2^ORDER contiguous pages from the buddy allocator",
        details: "ORDER is 0..10; GFP_FLAGS default to GFP_KERNEL and combine with |, e.g. \
alloc_pages 2 GFP_KERNEL|__GFP_NOWARN. Known flags: GFP_KERNEL GFP_USER GFP_HIGHUSER_MOVABLE \
GFP_DMA32 GFP_DMA GFP_ATOMIC GFP_NOWAIT __GFP_MOVABLE __GFP_RECLAIMABLE __GFP_HIGH __GFP_NOWARN \
__GFP_ZERO __GFP_COMP. Prints pfn=... order=... zone=...",
    },
    CommandHelp {
        name: "free_pages",
        usage: "free_pages PFN [ORDER]",
        summary: "free a block that alloc_pages returned",
        details: "PFN as printed by alloc_pages (0x... or decimal). ORDER defaults to the \
block's own order; a different order, a double free, or a page that is not allocated is \
refused with the kernel's 'Bad page state' complaint, and nothing changes.",
    },
    CommandHelp {
        name: "kmalloc",
        usage: "kmalloc SIZE [GFP_FLAGS]",
        summary: "allocate SIZE bytes from the kmalloc size class that fits",
        details: "kmalloc 200 lands in kmalloc-256 (classes 8 16 32 64 96 128 192 256 512 1k 2k 4k 8k; \
__GFP_RECLAIMABLE picks kmalloc-rcl-*, GFP_DMA dma-kmalloc-*, __GFP_ACCOUNT kmalloc-cg-*). Above 8K \
the pages come straight from the buddy allocator; kmalloc 0 returns ZERO_SIZE_PTR. Prints addr=... cache=...",
    },
    CommandHelp {
        name: "kfree",
        usage: "kfree ADDR",
        summary: "free what kmalloc or kmem_cache_alloc returned",
        details: "The slab is found from the page the address lies in (virt_to_slab). A pointer into the \
middle of an object, a double free or a non-slab address is refused with a SLUB-style BUG line.",
    },
    CommandHelp {
        name: "kmem_cache_create",
        usage: "kmem_cache_create NAME SIZE [align=N] [SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_CACHE_DMA|SLAB_ACCOUNT]",
        summary: "create a slab cache of SIZE-byte objects",
        details: "The object size is aligned (SLAB_HWCACHE_ALIGN: to the cache line, halved while two \
objects fit), then calculate_order picks the slab order (slub_min_objects = 4*(fls(cpus)+1), \
slub_max_order = 3). Caches are never merged (as with slab_nomerge), so each has its own slabinfo line.",
    },
    CommandHelp {
        name: "kmem_cache_alloc",
        usage: "kmem_cache_alloc NAME [GFP_FLAGS]",
        summary: "allocate one object from a cache",
        details: "From CPU 0's slab; when it is full, from the node's partial list; else a new slab from \
the buddy allocator.",
    },
    CommandHelp {
        name: "kmem_cache_free",
        usage: "kmem_cache_free NAME ADDR",
        summary: "free an object back to its cache",
        details: "A full slab becomes partial; an empty slab is given back to the buddy allocator once \
the node keeps min_partial (5-10) partial slabs.",
    },
    CommandHelp {
        name: "kmem_cache_shrink",
        usage: "kmem_cache_shrink NAME",
        summary: "give every empty slab of a cache back to the buddy allocator",
        details: "Flushes CPU 0's slab, frees empty partial slabs and sorts the rest fullest first.",
    },
    CommandHelp {
        name: "kmem_cache_destroy",
        usage: "kmem_cache_destroy NAME",
        summary: "destroy a cache (refused while it has objects)",
        details: "Refused with the kernel's 'Slab cache still has objects' while any object is live.",
    },
    CommandHelp {
        name: "spawn",
        usage: "spawn NAME",
        summary: "start a process (uid 1000) with an empty address space and a stack",
        details: "Allocates its task_struct, a 16K kernel stack, its mm_struct, a PGD page and the \
132K [stack] VMA (charged to Committed_AS). pid 1 (init) exists after boot. Prints pid=N.",
    },
    CommandHelp {
        name: "fork",
        usage: "fork PID",
        summary: "copy a process: VMAs, commit charges, and copy-on-write PTEs",
        details: "Each VM_ACCOUNT mapping is charged again (fork can fail in overcommit mode 2). \
Private writable pages are write-protected in parent and child and shared: the first writer \
copies, the last owner reuses.",
    },
    CommandHelp {
        name: "exit",
        usage: "exit PID",
        summary: "end a process: unmap everything, free pages and page tables, uncharge",
        details: "Pages still mapped by another process (after fork) stay.",
    },
    CommandHelp {
        name: "mmap",
        usage: "mmap PID SIZE [PROT_READ|PROT_WRITE|PROT_EXEC|PROT_NONE] [MAP_PRIVATE|MAP_SHARED|MAP_NORESERVE]",
        summary: "map anonymous memory (default PROT_READ|PROT_WRITE MAP_PRIVATE)",
        details: "Addresses are chosen top-down below mmap_base (0x7ffff7fff000 without ASLR). \
Private writable mappings are charged to Committed_AS in full (unless MAP_NORESERVE outside \
mode 2); MAP_SHARED is charged even read-only. Nothing is allocated until it is touched.",
    },
    CommandHelp {
        name: "munmap",
        usage: "munmap PID ADDR SIZE",
        summary: "unmap a range, splitting mappings at its edges",
        details: "Pages whose last mapping goes are freed; the charge goes back.",
    },
    CommandHelp {
        name: "brk",
        usage: "brk PID +SIZE|-SIZE",
        summary: "grow or shrink the [heap]",
        details: "The heap starts at 0x555555559000 (a PIE binary without ASLR). Growth is charged \
to Committed_AS.",
    },
    CommandHelp {
        name: "read",
        usage: "read PID ADDR",
        summary: "read a byte: a fault maps the shared zero page",
        details: "An address outside every mapping, or in a PROT_NONE one, gets SIGSEGV and changes nothing.",
    },
    CommandHelp {
        name: "write",
        usage: "write PID ADDR",
        summary: "write a byte: a fault allocates a zeroed page (or copies, after fork)",
        details: "GFP_HIGHUSER_MOVABLE; when memory runs out the OOM killer picks a victim by oom_badness.",
    },
    CommandHelp {
        name: "touch",
        usage: "touch PID ADDR SIZE",
        summary: "write to every page of a range (like memset), faulting each in",
        details: "Stops at the first failure: SIGSEGV, or the process being killed by the OOM killer.",
    },
    CommandHelp {
        name: "translate",
        usage: "translate PID ADDR",
        summary: "walk the page tables for an address, level by level",
        details: "PGD[i] PUD[i] PMD[i] PTE[i] with each entry's value and flags, then the physical \
address, or where the walk stops and why. boot la57=on adds the P4D level.",
    },
    CommandHelp {
        name: "ps",
        usage: "ps",
        summary: "list processes (VSZ and RSS in KiB)",
        details: "Files: /proc/PID/maps, /proc/PID/status, /proc/PID/oom_score, /proc/PID/oom_score_adj \
(writable: echo -500 > /proc/2/oom_score_adj).",
    },
    CommandHelp {
        name: "cat",
        usage: "cat FILE",
        summary: "print a /proc file",
        details: "Files: /proc/buddyinfo /proc/pagetypeinfo /proc/zoneinfo /proc/meminfo \
/proc/slabinfo /proc/vmstat and /proc/sys/vm/* (see sysctl -a). Pipe into head -n N, tail -n N, grep PATTERN \
or wc -l: cat /proc/meminfo | grep Mem",
    },
    CommandHelp {
        name: "echo",
        usage: "echo VALUE [> FILE]",
        summary: "print VALUE, or write it to a /proc/sys/vm file",
        details: "echo 8192 > /proc/sys/vm/min_free_kbytes recomputes the watermarks.",
    },
    CommandHelp {
        name: "sysctl",
        usage: "sysctl [-a] [-w] NAME[=VALUE]",
        summary: "read or write vm.* tunables",
        details: "sysctl vm.min_free_kbytes reads; sysctl -w vm.min_free_kbytes=8192 writes; \
sysctl -a lists every tunable this sandbox has.",
    },
    CommandHelp {
        name: "dmesg",
        usage: "dmesg",
        summary: "print the kernel log",
        details: "Boot messages, allocation failures and complaints, with simulated timestamps \
(each command advances the clock by 10 ms).",
    },
    CommandHelp {
        name: "help",
        usage: "help [COMMAND]",
        summary: "list commands, or explain one",
        details: "help alloc_pages explains alloc_pages.",
    },
];

/// `help` with no argument: one line per command.
pub fn overview() -> String {
    let width = COMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out =
        String::from("Commands (one per line, # starts a comment; help COMMAND for more):\n");
    for c in COMMANDS {
        out.push_str(&format!("  {:<width$}  {}\n", c.name, c.summary));
    }
    out.push_str("Sizes take K, M, G suffixes (powers of 1024); numbers take 0x hex.\n");
    out
}

/// `help NAME`.
pub fn command(name: &str) -> Option<String> {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .map(|c| format!("usage: {}\n{}.\n{}\n", c.usage, c.summary, c.details))
}
