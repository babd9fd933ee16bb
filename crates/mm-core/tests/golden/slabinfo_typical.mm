# caches=typical: a realistic set of busy kernel caches, newest first, ending with
# the kmalloc caches, kmem_cache_node and kmem_cache, as on a real machine.
boot mem=1G cpus=4 caches=typical
cat /proc/slabinfo
cat /proc/meminfo | grep -e ^Slab -e ^SReclaimable -e ^SUnreclaim -e ^MemFree
