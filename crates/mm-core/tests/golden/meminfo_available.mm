# si_mem_available (mm/show_mem.c): MemAvailable is MemFree less totalreserve_pages,
# plus what reclaim could free: the page cache and the reclaimable slab, each less
# min(half of it, the zones' summed low watermarks). The typical boot-time caches
# put 16884 kB in SReclaimable: 4221 pages, less min(2110, 18 + 1266 + 0 + 32) = 1316,
# adds 2905 pages (11620 kB) to MemAvailable.
boot mem=1G caches=typical
cat /proc/meminfo | head -n 3
cat /proc/meminfo | grep -e SReclaimable -e SUnreclaim
cat /proc/zoneinfo | grep -e "  low "
