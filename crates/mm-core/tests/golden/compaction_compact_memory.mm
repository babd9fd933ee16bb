# Compaction by hand: echo 1 > /proc/sys/vm/compact_memory (mm/compaction.c:
# compact_nodes -> compact_zone with order -1, MIGRATE_SYNC, the whole zone, skip hints
# ignored). A 16M machine (one zone, DMA; proactive compaction off) is filled with a
# process's pages, then every other 32K of them is unmapped: about 1,800 pages are
# free, but each free block is at most order 3 with its buddy in use. Order-4
# GFP_ATOMIC requests take what order-4 blocks are left, then fail: GFP_ATOMIC may
# not compact (no __GFP_DIRECT_RECLAIM); extfrag_index reads 0.604 at order 4, near
# 1: fragmentation, not a lack of memory. The failure wakes kswapd0, which finds
# nothing to reclaim and, going to sleep, wakes kcompactd0 (wakeup_kcompactd): by
# the next command it has compacted the zone's first pageblock (512 pages scanned)
# into an order-8 block. compact_memory then runs the migration scanner up from the
# zone's start and the free scanner down from its last pageblock (0xe00); the pages
# migrated leave the low half of the zone in free blocks up to order 9, and the
# request succeeds. translate shows a page that moved: PTE 462 pointed at pfn 0x10f
# and points at 0x8f0, a free page the scanners found higher up. compact_isolated
# counts both the pages taken to migrate and the free pages taken as targets.
# (pcp=off keeps freed pages in the buddy allocator at once, so the picture is the
# buddy allocator's alone.) The file takes only 1 (sysctl_compaction_handler:
# anything else is EINVAL).
boot mem=16M pcp=off
sysctl -w vm.compaction_proactiveness=0
spawn app
mmap 2 14592K
touch 2 0x7ffff71bf000 14592K
munmap 2 0x7ffff71bf000 32K
munmap 2 0x7ffff71cf000 32K
munmap 2 0x7ffff71df000 32K
munmap 2 0x7ffff71ef000 32K
munmap 2 0x7ffff71ff000 32K
munmap 2 0x7ffff720f000 32K
munmap 2 0x7ffff721f000 32K
munmap 2 0x7ffff722f000 32K
munmap 2 0x7ffff723f000 32K
munmap 2 0x7ffff724f000 32K
munmap 2 0x7ffff725f000 32K
munmap 2 0x7ffff726f000 32K
munmap 2 0x7ffff727f000 32K
munmap 2 0x7ffff728f000 32K
munmap 2 0x7ffff729f000 32K
munmap 2 0x7ffff72af000 32K
munmap 2 0x7ffff72bf000 32K
munmap 2 0x7ffff72cf000 32K
munmap 2 0x7ffff72df000 32K
munmap 2 0x7ffff72ef000 32K
munmap 2 0x7ffff72ff000 32K
munmap 2 0x7ffff730f000 32K
munmap 2 0x7ffff731f000 32K
munmap 2 0x7ffff732f000 32K
munmap 2 0x7ffff733f000 32K
munmap 2 0x7ffff734f000 32K
munmap 2 0x7ffff735f000 32K
munmap 2 0x7ffff736f000 32K
munmap 2 0x7ffff737f000 32K
munmap 2 0x7ffff738f000 32K
munmap 2 0x7ffff739f000 32K
munmap 2 0x7ffff73af000 32K
munmap 2 0x7ffff73bf000 32K
munmap 2 0x7ffff73cf000 32K
munmap 2 0x7ffff73df000 32K
munmap 2 0x7ffff73ef000 32K
munmap 2 0x7ffff73ff000 32K
munmap 2 0x7ffff740f000 32K
munmap 2 0x7ffff741f000 32K
munmap 2 0x7ffff742f000 32K
munmap 2 0x7ffff743f000 32K
munmap 2 0x7ffff744f000 32K
munmap 2 0x7ffff745f000 32K
munmap 2 0x7ffff746f000 32K
munmap 2 0x7ffff747f000 32K
munmap 2 0x7ffff748f000 32K
munmap 2 0x7ffff749f000 32K
munmap 2 0x7ffff74af000 32K
munmap 2 0x7ffff74bf000 32K
munmap 2 0x7ffff74cf000 32K
munmap 2 0x7ffff74df000 32K
munmap 2 0x7ffff74ef000 32K
munmap 2 0x7ffff74ff000 32K
munmap 2 0x7ffff750f000 32K
munmap 2 0x7ffff751f000 32K
munmap 2 0x7ffff752f000 32K
munmap 2 0x7ffff753f000 32K
munmap 2 0x7ffff754f000 32K
munmap 2 0x7ffff755f000 32K
munmap 2 0x7ffff756f000 32K
munmap 2 0x7ffff757f000 32K
munmap 2 0x7ffff758f000 32K
munmap 2 0x7ffff759f000 32K
munmap 2 0x7ffff75af000 32K
munmap 2 0x7ffff75bf000 32K
munmap 2 0x7ffff75cf000 32K
munmap 2 0x7ffff75df000 32K
munmap 2 0x7ffff75ef000 32K
munmap 2 0x7ffff75ff000 32K
munmap 2 0x7ffff760f000 32K
munmap 2 0x7ffff761f000 32K
munmap 2 0x7ffff762f000 32K
munmap 2 0x7ffff763f000 32K
munmap 2 0x7ffff764f000 32K
munmap 2 0x7ffff765f000 32K
munmap 2 0x7ffff766f000 32K
munmap 2 0x7ffff767f000 32K
munmap 2 0x7ffff768f000 32K
munmap 2 0x7ffff769f000 32K
munmap 2 0x7ffff76af000 32K
munmap 2 0x7ffff76bf000 32K
munmap 2 0x7ffff76cf000 32K
munmap 2 0x7ffff76df000 32K
munmap 2 0x7ffff76ef000 32K
munmap 2 0x7ffff76ff000 32K
munmap 2 0x7ffff770f000 32K
munmap 2 0x7ffff771f000 32K
munmap 2 0x7ffff772f000 32K
munmap 2 0x7ffff773f000 32K
munmap 2 0x7ffff774f000 32K
munmap 2 0x7ffff775f000 32K
munmap 2 0x7ffff776f000 32K
munmap 2 0x7ffff777f000 32K
munmap 2 0x7ffff778f000 32K
munmap 2 0x7ffff779f000 32K
munmap 2 0x7ffff77af000 32K
munmap 2 0x7ffff77bf000 32K
munmap 2 0x7ffff77cf000 32K
munmap 2 0x7ffff77df000 32K
munmap 2 0x7ffff77ef000 32K
munmap 2 0x7ffff77ff000 32K
munmap 2 0x7ffff780f000 32K
munmap 2 0x7ffff781f000 32K
munmap 2 0x7ffff782f000 32K
munmap 2 0x7ffff783f000 32K
munmap 2 0x7ffff784f000 32K
munmap 2 0x7ffff785f000 32K
munmap 2 0x7ffff786f000 32K
munmap 2 0x7ffff787f000 32K
munmap 2 0x7ffff788f000 32K
munmap 2 0x7ffff789f000 32K
munmap 2 0x7ffff78af000 32K
munmap 2 0x7ffff78bf000 32K
munmap 2 0x7ffff78cf000 32K
munmap 2 0x7ffff78df000 32K
munmap 2 0x7ffff78ef000 32K
munmap 2 0x7ffff78ff000 32K
munmap 2 0x7ffff790f000 32K
munmap 2 0x7ffff791f000 32K
munmap 2 0x7ffff792f000 32K
munmap 2 0x7ffff793f000 32K
munmap 2 0x7ffff794f000 32K
munmap 2 0x7ffff795f000 32K
munmap 2 0x7ffff796f000 32K
munmap 2 0x7ffff797f000 32K
munmap 2 0x7ffff798f000 32K
munmap 2 0x7ffff799f000 32K
munmap 2 0x7ffff79af000 32K
munmap 2 0x7ffff79bf000 32K
munmap 2 0x7ffff79cf000 32K
munmap 2 0x7ffff79df000 32K
munmap 2 0x7ffff79ef000 32K
munmap 2 0x7ffff79ff000 32K
munmap 2 0x7ffff7a0f000 32K
munmap 2 0x7ffff7a1f000 32K
munmap 2 0x7ffff7a2f000 32K
munmap 2 0x7ffff7a3f000 32K
munmap 2 0x7ffff7a4f000 32K
munmap 2 0x7ffff7a5f000 32K
munmap 2 0x7ffff7a6f000 32K
munmap 2 0x7ffff7a7f000 32K
munmap 2 0x7ffff7a8f000 32K
munmap 2 0x7ffff7a9f000 32K
munmap 2 0x7ffff7aaf000 32K
munmap 2 0x7ffff7abf000 32K
munmap 2 0x7ffff7acf000 32K
munmap 2 0x7ffff7adf000 32K
munmap 2 0x7ffff7aef000 32K
munmap 2 0x7ffff7aff000 32K
munmap 2 0x7ffff7b0f000 32K
munmap 2 0x7ffff7b1f000 32K
munmap 2 0x7ffff7b2f000 32K
munmap 2 0x7ffff7b3f000 32K
munmap 2 0x7ffff7b4f000 32K
munmap 2 0x7ffff7b5f000 32K
munmap 2 0x7ffff7b6f000 32K
munmap 2 0x7ffff7b7f000 32K
munmap 2 0x7ffff7b8f000 32K
munmap 2 0x7ffff7b9f000 32K
munmap 2 0x7ffff7baf000 32K
munmap 2 0x7ffff7bbf000 32K
munmap 2 0x7ffff7bcf000 32K
munmap 2 0x7ffff7bdf000 32K
munmap 2 0x7ffff7bef000 32K
munmap 2 0x7ffff7bff000 32K
munmap 2 0x7ffff7c0f000 32K
munmap 2 0x7ffff7c1f000 32K
munmap 2 0x7ffff7c2f000 32K
munmap 2 0x7ffff7c3f000 32K
munmap 2 0x7ffff7c4f000 32K
munmap 2 0x7ffff7c5f000 32K
munmap 2 0x7ffff7c6f000 32K
munmap 2 0x7ffff7c7f000 32K
munmap 2 0x7ffff7c8f000 32K
munmap 2 0x7ffff7c9f000 32K
munmap 2 0x7ffff7caf000 32K
munmap 2 0x7ffff7cbf000 32K
munmap 2 0x7ffff7ccf000 32K
munmap 2 0x7ffff7cdf000 32K
munmap 2 0x7ffff7cef000 32K
munmap 2 0x7ffff7cff000 32K
munmap 2 0x7ffff7d0f000 32K
munmap 2 0x7ffff7d1f000 32K
munmap 2 0x7ffff7d2f000 32K
munmap 2 0x7ffff7d3f000 32K
munmap 2 0x7ffff7d4f000 32K
munmap 2 0x7ffff7d5f000 32K
munmap 2 0x7ffff7d6f000 32K
munmap 2 0x7ffff7d7f000 32K
munmap 2 0x7ffff7d8f000 32K
munmap 2 0x7ffff7d9f000 32K
munmap 2 0x7ffff7daf000 32K
munmap 2 0x7ffff7dbf000 32K
munmap 2 0x7ffff7dcf000 32K
munmap 2 0x7ffff7ddf000 32K
munmap 2 0x7ffff7def000 32K
munmap 2 0x7ffff7dff000 32K
munmap 2 0x7ffff7e0f000 32K
munmap 2 0x7ffff7e1f000 32K
munmap 2 0x7ffff7e2f000 32K
munmap 2 0x7ffff7e3f000 32K
munmap 2 0x7ffff7e4f000 32K
munmap 2 0x7ffff7e5f000 32K
munmap 2 0x7ffff7e6f000 32K
munmap 2 0x7ffff7e7f000 32K
munmap 2 0x7ffff7e8f000 32K
munmap 2 0x7ffff7e9f000 32K
munmap 2 0x7ffff7eaf000 32K
munmap 2 0x7ffff7ebf000 32K
munmap 2 0x7ffff7ecf000 32K
munmap 2 0x7ffff7edf000 32K
munmap 2 0x7ffff7eef000 32K
munmap 2 0x7ffff7eff000 32K
munmap 2 0x7ffff7f0f000 32K
munmap 2 0x7ffff7f1f000 32K
munmap 2 0x7ffff7f2f000 32K
munmap 2 0x7ffff7f3f000 32K
munmap 2 0x7ffff7f4f000 32K
munmap 2 0x7ffff7f5f000 32K
munmap 2 0x7ffff7f6f000 32K
munmap 2 0x7ffff7f7f000 32K
munmap 2 0x7ffff7f8f000 32K
munmap 2 0x7ffff7f9f000 32K
munmap 2 0x7ffff7faf000 32K
munmap 2 0x7ffff7fbf000 32K
munmap 2 0x7ffff7fcf000 32K
munmap 2 0x7ffff7fdf000 32K
munmap 2 0x7ffff7fef000 32K
cat /proc/buddyinfo
translate 2 0x7ffff71ce000
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
cat /sys/kernel/debug/extfrag/extfrag_index
alloc_pages 4 GFP_ATOMIC
cat /proc/buddyinfo
cat /proc/vmstat | grep compact_daemon
echo 1 > /proc/sys/vm/compact_memory
cat /proc/buddyinfo
cat /sys/kernel/debug/extfrag/extfrag_index
alloc_pages 4 GFP_ATOMIC
translate 2 0x7ffff71ce000
cat /proc/vmstat | grep -e compact -e pgmigrate
echo 2 > /proc/sys/vm/compact_memory
