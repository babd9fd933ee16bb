# SLUB's pages come through the allocation slow path (mm/slub.c: allocate_slab ->
# alloc_pages -> __alloc_pages_slowpath): with memory full of page cache, new slabs
# wake kswapd0 and reclaim directly instead of failing, and the page cache shrinks.
# An order-6 slab is costly (above PAGE_ALLOC_COSTLY_ORDER): one round of direct
# reclaim, no OOM killer, and without compaction (not modelled yet) it fails.
boot mem=32M
fallocate -l 64M /data/big
cat /data/big > /dev/null
cat /proc/vmstat | grep -e pgsteal_direct -e allocstall_normal
cat /proc/meminfo | head -n 5
kmem_cache_create mid 16384
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmem_cache_alloc mid
kmalloc 8192
kmem_cache_create huge 262144
kmem_cache_alloc huge
cat /proc/meminfo | head -n 5
cat /proc/slabinfo | grep -e mid -e huge
cat /proc/vmstat | grep -e pgsteal_kswapd -e pgsteal_direct -e allocstall_normal
dmesg | grep "page allocation failure"
