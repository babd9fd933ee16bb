# warn_alloc's report is rate limited (mm/page_alloc.c: nopage_rs, one per 10 s;
# lib/ratelimit.c: ___ratelimit): the command still fails each time, but the log gets
# one report (the DMA zone has three order-10 blocks), and the count of the suppressed ones when the next interval opens.
boot mem=64M
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
alloc_pages 10 GFP_DMA
dmesg | grep -e "allocation failure" -e suppressed
sleep 10s
alloc_pages 10 GFP_DMA
dmesg | grep -e "allocation failure" -e suppressed
