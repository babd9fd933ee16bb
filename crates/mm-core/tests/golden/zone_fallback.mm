# GFP_KERNEL prefers Normal, then falls back to DMA32, then DMA, as each zone's
# free pages reach its low watermark (plus the lowmem reserve).
boot mem=64M dma=4M dma32=32M
cat /proc/zoneinfo | grep -e zone -e min -e low -e protection -e managed
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 9
alloc_pages 9
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 9
alloc_pages 9
alloc_pages 8
alloc_pages 9
alloc_pages 8
alloc_pages 0
cat /proc/buddyinfo
