# GFP_DMA is served from ZONE_DMA only, even when DMA32 is nearly empty of use.
boot mem=64M
alloc_pages 8 GFP_DMA
alloc_pages 9 GFP_DMA
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
cat /proc/buddyinfo
# DMA has no order-10 block left: DMA32 has twelve, but GFP_DMA may not use them.
alloc_pages 10 GFP_DMA
alloc_pages 0 GFP_DMA
cat /proc/buddyinfo
dmesg | grep -e "allocation failure" -e "Node 0 DMA" -e lowmem_reserve -e "pages RAM"
