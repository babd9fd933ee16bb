# steps
# kmalloc 200 lands in kmalloc-256. The first one needs a slab from the buddy
# allocator; the next objects come from the same slab's freelist, no buddy step.
boot mem=64M
kmalloc 200
kmalloc 256
kmalloc 129
cat /proc/slabinfo | grep -e name -e ^kmalloc-256 -e ^kmalloc-192
kfree 0xffff888001005100
kmalloc 200
kmalloc 8193
kmalloc 0
kfree 0x10
cat /proc/meminfo | grep -e Slab -e SReclaimable -e SUnreclaim
