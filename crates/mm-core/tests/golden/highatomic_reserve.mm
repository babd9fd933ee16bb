# The highatomic reserve (mm/page_alloc.c: reserve_highatomic_pageblock,
# unreserve_highatomic_pageblock). A 256M machine with min_free_kbytes=32768 is filled
# by a process until DMA32 sits between its min and low marks (9256 free, low 9637),
# so an order-3 GFP_ATOMIC request fails the fast path and succeeds in the slow path
# (__alloc_pages_slowpath: gfp_to_alloc_flags gives an order > 0 request with
# __GFP_HIGH and no __GFP_DIRECT_RECLAIM ALLOC_HIGHATOMIC). get_page_from_freelist then
# reserves the pageblock it came from (0x1000, Unmovable): its free blocks move to the
# HighAtomic lists (pagetypeinfo's HighAtomic row) and zoneinfo's reserved_highatomic
# reads 512. The next order-3 atomic request is served from the HighAtomic list
# first (rmqueue_buddy). An order-9 one finds no HighAtomic block that large, takes
# the Unmovable order-9 block at 0x1200 and reserves it too: 1024 pages, the zone's
# cap (ALIGN(61440 / 100, 512)); a second order-9 request is not reserved. Other
# requests do not count free highatomic pages against a watermark
# (__zone_watermark_unusable_free). Then a second process faults in 40M: direct
# reclaim finds nothing to reclaim (no swap, no page cache), so
# __alloc_pages_direct_reclaim gives back a reserved pageblock (the one with a free
# block of the lowest order, 0x1000, to the request's type, Movable) before draining;
# the last pageblock is kept until should_reclaim_retry runs out of retries, when
# unreserve_highatomic_pageblock(force) finds no free HighAtomic block (0x1200 is
# allocated whole), and the OOM killer picks app. Freeing the order-9 block puts it on
# the HighAtomic list: still reserved. (pcp=off: freed pages reach the buddy
# allocator at once.)
boot mem=256M pcp=off
sysctl -w vm.min_free_kbytes=32768
sysctl -w vm.overcommit_memory=1
spawn app
mmap 2 215M
touch 2 0x7fffea8ff000 215M
cat /proc/zoneinfo | grep -e "zone    DMA32" -e "pages free" -e " min " -e " low " -e highatomic | tail -6
alloc_pages 3 GFP_ATOMIC
cat /proc/zoneinfo | grep -e "zone    DMA32" -e highatomic | tail -3
cat /proc/pagetypeinfo
alloc_pages 3 GFP_ATOMIC
alloc_pages 9 GFP_ATOMIC
alloc_pages 9 GFP_ATOMIC
cat /proc/pagetypeinfo | tail -3
cat /proc/zoneinfo | grep -e "zone    DMA32" -e highatomic | tail -3
spawn hog
mmap 3 40M
touch 3 0x7ffff57ff000 40M
cat /proc/zoneinfo | grep -e "zone    DMA32" -e highatomic | tail -3
cat /proc/pagetypeinfo | tail -3
dmesg | grep -e "invoked oom-killer" -e "Killed process"
free_pages 0x1200
cat /proc/pagetypeinfo | grep HighAtomic
