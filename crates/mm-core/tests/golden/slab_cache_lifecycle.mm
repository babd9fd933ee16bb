# A cache of 500-byte objects (aligned to 512): 16 fit in a 2-page slab with 2 CPUs.
# The 17th object needs a second slab; freeing and reallocating reuses a slot with no
# buddy step; shrink gives empty slabs back; destroy is refused while objects live.
boot mem=64M
cat /proc/buddyinfo
kmem_cache_create demo 500 SLAB_HWCACHE_ALIGN
kmem_cache_create demo 64
kmem_cache_create huge 5M
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
kmem_cache_alloc demo
cat /proc/slabinfo | grep -e name -e demo
kmem_cache_alloc demo
# Free objects in CPU 0's slab count as active in /proc/slabinfo, as SLUB counts them.
cat /proc/slabinfo | grep demo
kmem_cache_free demo 0xffff888001006200
kmem_cache_alloc demo
kmem_cache_free demo 0xffff888001006200
kmem_cache_free demo 0xffff888001006201
kmem_cache_free kmalloc-64 0xffff888001006000
kmem_cache_destroy demo
kmem_cache_destroy kmalloc-64
kmem_cache_free demo 0xffff888001006000
# 0x...6200 is already free
kmem_cache_free demo 0xffff888001006400
kmem_cache_free demo 0xffff888001006600
kmem_cache_free demo 0xffff888001006800
kmem_cache_free demo 0xffff888001006a00
kmem_cache_free demo 0xffff888001006c00
kmem_cache_free demo 0xffff888001006e00
kmem_cache_free demo 0xffff888001007000
kmem_cache_free demo 0xffff888001007200
kmem_cache_free demo 0xffff888001007400
kmem_cache_free demo 0xffff888001007600
kmem_cache_free demo 0xffff888001007800
kmem_cache_free demo 0xffff888001007a00
kmem_cache_free demo 0xffff888001007c00
kmem_cache_free demo 0xffff888001007e00
kmem_cache_free demo 0xffff888001008000
kmem_cache_free demo 0xffff888001008200
cat /proc/slabinfo | grep demo
kmem_cache_shrink demo
cat /proc/slabinfo | grep demo
kmem_cache_destroy demo
cat /proc/buddyinfo
