# The fragmentation indexes of mm/vmstat.c (fill_contig_page_info, __fragmentation_index,
# unusable_free_index), as /sys/kernel/debug/extfrag/ shows them. A fresh machine's
# free memory is in large blocks: every order would be served (extfrag -1.000) and
# little of it is unusable. Then 16M is taken in order-6 blocks (256K) down to the
# low watermark, and every other block freed: half the memory is free again, but
# each free block's buddy is in use, so nothing above order 7 can be had (one
# order-7 block was left over). For orders 8 to 10 the unusable index is 1.000 and
# the fragmentation index near 1 (order 8: 1000 - (1000 + 2020 * 1000 / 256) / 32 =
# 723): such an allocation would fail because of fragmentation, not for lack of
# memory. Freeing the rest merges the blocks back.
boot mem=16M
cat /sys/kernel/debug/extfrag/unusable_index
cat /sys/kernel/debug/extfrag/extfrag_index
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
alloc_pages 6 GFP_NOWAIT|__GFP_NOWARN
cat /proc/buddyinfo
free_pages 0x440
free_pages 0x4c0
free_pages 0x540
free_pages 0x5c0
free_pages 0x640
free_pages 0x6c0
free_pages 0x740
free_pages 0x7c0
free_pages 0x840
free_pages 0x8c0
free_pages 0x940
free_pages 0x9c0
free_pages 0xa40
free_pages 0xac0
free_pages 0xb40
free_pages 0xbc0
free_pages 0xc40
free_pages 0xcc0
free_pages 0xd40
free_pages 0xdc0
free_pages 0xe40
free_pages 0xec0
free_pages 0xf40
free_pages 0xfc0
free_pages 0x240
free_pages 0x2c0
free_pages 0x340
free_pages 0x3c0
free_pages 0x140
cat /proc/buddyinfo
cat /sys/kernel/debug/extfrag/unusable_index
cat /sys/kernel/debug/extfrag/extfrag_index
free_pages 0x480
free_pages 0x500
free_pages 0x580
free_pages 0x600
free_pages 0x680
free_pages 0x700
free_pages 0x780
free_pages 0x800
free_pages 0x880
free_pages 0x900
free_pages 0x980
free_pages 0xa00
free_pages 0xa80
free_pages 0xb00
free_pages 0xb80
free_pages 0xc00
free_pages 0xc80
free_pages 0xd00
free_pages 0xd80
free_pages 0xe00
free_pages 0xe80
free_pages 0xf00
free_pages 0xf80
free_pages 0x200
free_pages 0x280
free_pages 0x300
free_pages 0x380
free_pages 0x100
cat /proc/buddyinfo
cat /sys/kernel/debug/extfrag/extfrag_index
