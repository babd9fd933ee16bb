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
