# /proc/slabinfo lists slab_caches newest first. create_kmalloc_caches
# (mm/slab_common.c) makes kmalloc-96 and kmalloc-192 before the powers of two in
# each type, so each type's block ends ...-16, -8, -192, -96; mm_cache_init makes
# mm_struct before fork_init's task_struct, and vma_state_init's vm_area_struct
# (SLAB_HWCACHE_ALIGN: 192 bytes) comes last; kmem_cache_node is 72 bytes with
# CONFIG_SLUB_DEBUG, 128 with its cache-line alignment.
boot mem=64M
cat /proc/slabinfo
