# steps
# v6.19's adaptive per-CPU lists (mm/page_alloc.c): nr_pcp_alloc refills an empty
# list with batch << alloc_factor pages and raises alloc_factor while order-0
# allocations run without frees (and high by the refill, up to high_max while the
# zone is above its high watermark); free_frozen_page_commit halves alloc_factor and
# counts free_count; zone_highsize gives high_min from the low watermark and high_max
# from managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION.
boot mem=64M pcp=on
cat /proc/zoneinfo | grep -e count -e high: -e high_ -e batch | tail -n 10
alloc_pages 0 GFP_HIGHUSER_MOVABLE
alloc_pages 0 GFP_HIGHUSER_MOVABLE
alloc_pages 0 GFP_HIGHUSER_MOVABLE
alloc_pages 0 GFP_HIGHUSER_MOVABLE
cat /proc/zoneinfo | grep -e count -e high: -e high_ -e batch | tail -n 10
