# steps
# __zone_watermark_ok (mm/page_alloc.c): for order > 0, enough free pages is not
# enough; a free block of the order or larger must be on an unmovable, movable or
# reclaimable list. Fragment DMA (GFP_DMA may use only it) into order-4 and order-5
# blocks, then ask it for order 6: the first half of the check passes, the second
# fails, and the narration says so.
boot mem=64M dma=4M dma32=32M
alloc_pages 9 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
alloc_pages 4 GFP_DMA
# Free every other order-4 block: none can merge with its busy buddy.
free_pages 0x100
free_pages 0x120
free_pages 0x140
free_pages 0x160
free_pages 0x180
free_pages 0x1a0
free_pages 0x1c0
cat /proc/buddyinfo | head -n 1
alloc_pages 6 GFP_DMA
