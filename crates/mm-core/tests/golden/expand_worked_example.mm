# steps
# KERNEL.md's worked example: order 0 from an order-3 block at PFN 4096 (0x1000)
# puts 4100, 4098, 4097 on the order-2, -1 and -0 lists and returns 4096.
# 5G of RAM puts the boot-time slabs in ZONE_NORMAL, so DMA32 starts untouched.
boot mem=5G
# The first unmovable DMA32 allocation claims the order-10 block at 0x1000 for
# Unmovable and splits it down to order 3: 0x1000 is ours, 0x1008 goes free.
alloc_pages 3 GFP_DMA32
# Take 0x1008 too, then give 0x1000 back: its buddy 0x1008 is busy, so 0x1000
# stays an order-3 block on the Unmovable order-3 list.
alloc_pages 3 GFP_DMA32
free_pages 0x1000
cat /proc/buddyinfo
# Now the worked example.
alloc_pages 0 GFP_DMA32
cat /proc/buddyinfo
# Freeing 0x1000 undoes it: merge with 0x1001, then 0x1002, then 0x1004; 0x1008 is busy.
free_pages 0x1000
# Freeing 0x1008 merges all the way back up to order 10.
free_pages 0x1008
cat /proc/buddyinfo
