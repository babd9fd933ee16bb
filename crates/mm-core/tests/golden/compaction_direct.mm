# Direct compaction (mm/page_alloc.c: __alloc_pages_slowpath -> __alloc_pages_direct_compact
# -> mm/compaction.c: try_to_compact_pages), then kcompactd0. A 32M machine with
# proactive compaction off (vm.compaction_proactiveness=0, so that kcompactd0 does not
# tidy up on its 500 ms timer) is filled with a process's pages and every other 32K is
# unmapped; 17 order-4 GFP_ATOMIC requests take the order-4 blocks left. About 3,700
# pages are free, none in a block above order 3 (fragmentation index 0.609 in DMA32).
# An order-4 GFP_HIGHUSER_MOVABLE request may reclaim and compact; it is costly (order
# above 3), so the slow path compacts before reclaiming, async (priority 2). DMA32
# comes first in its zonelist; fast_find_migrateblock picks pageblock 0x1200 from the
# order-3 free list (it has free pages already); async direct compaction works in
# order-4-aligned blocks, so the migration scanner takes the 8 user pages of
# 0x1200-0x120f; fast_isolate_freepages finds 8 targets high in the zone; freeing the
# eighth migrated page merges 0x1200 into an order-4 block, which compaction_capture
# hands straight to the request (compact_stall 1, compact_success 1). The request
# also woke kswapd0 for order 4; it finds nothing to reclaim and, going to sleep,
# wakes kcompactd0 (compact_daemon_wake 1). It compacts each zone sync-light from the
# cached scanner positions (in DMA, whose cached positions are still 0 = its first
# PFN, the scanners meet at once and the zone is deferred); in DMA32
# fast_find_migrateblock picks pageblock 0x1400, and the run stops at the first
# pageblock boundary where a block of order 4 is free: the whole pageblock
# 0x1400-0x15ff is emptied (256 pages migrated, an order-9 block in buddyinfo). The
# next order-4 GFP_KERNEL request needs no compaction: it takes 0x1400 by the
# unmovable fallback. (pcp=off: freed
# pages reach the buddy allocator at once.)
boot mem=32M pcp=off
sysctl -w vm.compaction_proactiveness=0
spawn app
mmap 2 30400K
touch 2 0x7ffff624f000 30400K
munmap 2 0x7ffff624f000 32K
munmap 2 0x7ffff625f000 32K
munmap 2 0x7ffff626f000 32K
munmap 2 0x7ffff627f000 32K
munmap 2 0x7ffff628f000 32K
munmap 2 0x7ffff629f000 32K
munmap 2 0x7ffff62af000 32K
munmap 2 0x7ffff62bf000 32K
munmap 2 0x7ffff62cf000 32K
munmap 2 0x7ffff62df000 32K
munmap 2 0x7ffff62ef000 32K
munmap 2 0x7ffff62ff000 32K
munmap 2 0x7ffff630f000 32K
munmap 2 0x7ffff631f000 32K
munmap 2 0x7ffff632f000 32K
munmap 2 0x7ffff633f000 32K
munmap 2 0x7ffff634f000 32K
munmap 2 0x7ffff635f000 32K
munmap 2 0x7ffff636f000 32K
munmap 2 0x7ffff637f000 32K
munmap 2 0x7ffff638f000 32K
munmap 2 0x7ffff639f000 32K
munmap 2 0x7ffff63af000 32K
munmap 2 0x7ffff63bf000 32K
munmap 2 0x7ffff63cf000 32K
munmap 2 0x7ffff63df000 32K
munmap 2 0x7ffff63ef000 32K
munmap 2 0x7ffff63ff000 32K
munmap 2 0x7ffff640f000 32K
munmap 2 0x7ffff641f000 32K
munmap 2 0x7ffff642f000 32K
munmap 2 0x7ffff643f000 32K
munmap 2 0x7ffff644f000 32K
munmap 2 0x7ffff645f000 32K
munmap 2 0x7ffff646f000 32K
munmap 2 0x7ffff647f000 32K
munmap 2 0x7ffff648f000 32K
munmap 2 0x7ffff649f000 32K
munmap 2 0x7ffff64af000 32K
munmap 2 0x7ffff64bf000 32K
munmap 2 0x7ffff64cf000 32K
munmap 2 0x7ffff64df000 32K
munmap 2 0x7ffff64ef000 32K
munmap 2 0x7ffff64ff000 32K
munmap 2 0x7ffff650f000 32K
munmap 2 0x7ffff651f000 32K
munmap 2 0x7ffff652f000 32K
munmap 2 0x7ffff653f000 32K
munmap 2 0x7ffff654f000 32K
munmap 2 0x7ffff655f000 32K
munmap 2 0x7ffff656f000 32K
munmap 2 0x7ffff657f000 32K
munmap 2 0x7ffff658f000 32K
munmap 2 0x7ffff659f000 32K
munmap 2 0x7ffff65af000 32K
munmap 2 0x7ffff65bf000 32K
munmap 2 0x7ffff65cf000 32K
munmap 2 0x7ffff65df000 32K
munmap 2 0x7ffff65ef000 32K
munmap 2 0x7ffff65ff000 32K
munmap 2 0x7ffff660f000 32K
munmap 2 0x7ffff661f000 32K
munmap 2 0x7ffff662f000 32K
munmap 2 0x7ffff663f000 32K
munmap 2 0x7ffff664f000 32K
munmap 2 0x7ffff665f000 32K
munmap 2 0x7ffff666f000 32K
munmap 2 0x7ffff667f000 32K
munmap 2 0x7ffff668f000 32K
munmap 2 0x7ffff669f000 32K
munmap 2 0x7ffff66af000 32K
munmap 2 0x7ffff66bf000 32K
munmap 2 0x7ffff66cf000 32K
munmap 2 0x7ffff66df000 32K
munmap 2 0x7ffff66ef000 32K
munmap 2 0x7ffff66ff000 32K
munmap 2 0x7ffff670f000 32K
munmap 2 0x7ffff671f000 32K
munmap 2 0x7ffff672f000 32K
munmap 2 0x7ffff673f000 32K
munmap 2 0x7ffff674f000 32K
munmap 2 0x7ffff675f000 32K
munmap 2 0x7ffff676f000 32K
munmap 2 0x7ffff677f000 32K
munmap 2 0x7ffff678f000 32K
munmap 2 0x7ffff679f000 32K
munmap 2 0x7ffff67af000 32K
munmap 2 0x7ffff67bf000 32K
munmap 2 0x7ffff67cf000 32K
munmap 2 0x7ffff67df000 32K
munmap 2 0x7ffff67ef000 32K
munmap 2 0x7ffff67ff000 32K
munmap 2 0x7ffff680f000 32K
munmap 2 0x7ffff681f000 32K
munmap 2 0x7ffff682f000 32K
munmap 2 0x7ffff683f000 32K
munmap 2 0x7ffff684f000 32K
munmap 2 0x7ffff685f000 32K
munmap 2 0x7ffff686f000 32K
munmap 2 0x7ffff687f000 32K
munmap 2 0x7ffff688f000 32K
munmap 2 0x7ffff689f000 32K
munmap 2 0x7ffff68af000 32K
munmap 2 0x7ffff68bf000 32K
munmap 2 0x7ffff68cf000 32K
munmap 2 0x7ffff68df000 32K
munmap 2 0x7ffff68ef000 32K
munmap 2 0x7ffff68ff000 32K
munmap 2 0x7ffff690f000 32K
munmap 2 0x7ffff691f000 32K
munmap 2 0x7ffff692f000 32K
munmap 2 0x7ffff693f000 32K
munmap 2 0x7ffff694f000 32K
munmap 2 0x7ffff695f000 32K
munmap 2 0x7ffff696f000 32K
munmap 2 0x7ffff697f000 32K
munmap 2 0x7ffff698f000 32K
munmap 2 0x7ffff699f000 32K
munmap 2 0x7ffff69af000 32K
munmap 2 0x7ffff69bf000 32K
munmap 2 0x7ffff69cf000 32K
munmap 2 0x7ffff69df000 32K
munmap 2 0x7ffff69ef000 32K
munmap 2 0x7ffff69ff000 32K
munmap 2 0x7ffff6a0f000 32K
munmap 2 0x7ffff6a1f000 32K
munmap 2 0x7ffff6a2f000 32K
munmap 2 0x7ffff6a3f000 32K
munmap 2 0x7ffff6a4f000 32K
munmap 2 0x7ffff6a5f000 32K
munmap 2 0x7ffff6a6f000 32K
munmap 2 0x7ffff6a7f000 32K
munmap 2 0x7ffff6a8f000 32K
munmap 2 0x7ffff6a9f000 32K
munmap 2 0x7ffff6aaf000 32K
munmap 2 0x7ffff6abf000 32K
munmap 2 0x7ffff6acf000 32K
munmap 2 0x7ffff6adf000 32K
munmap 2 0x7ffff6aef000 32K
munmap 2 0x7ffff6aff000 32K
munmap 2 0x7ffff6b0f000 32K
munmap 2 0x7ffff6b1f000 32K
munmap 2 0x7ffff6b2f000 32K
munmap 2 0x7ffff6b3f000 32K
munmap 2 0x7ffff6b4f000 32K
munmap 2 0x7ffff6b5f000 32K
munmap 2 0x7ffff6b6f000 32K
munmap 2 0x7ffff6b7f000 32K
munmap 2 0x7ffff6b8f000 32K
munmap 2 0x7ffff6b9f000 32K
munmap 2 0x7ffff6baf000 32K
munmap 2 0x7ffff6bbf000 32K
munmap 2 0x7ffff6bcf000 32K
munmap 2 0x7ffff6bdf000 32K
munmap 2 0x7ffff6bef000 32K
munmap 2 0x7ffff6bff000 32K
munmap 2 0x7ffff6c0f000 32K
munmap 2 0x7ffff6c1f000 32K
munmap 2 0x7ffff6c2f000 32K
munmap 2 0x7ffff6c3f000 32K
munmap 2 0x7ffff6c4f000 32K
munmap 2 0x7ffff6c5f000 32K
munmap 2 0x7ffff6c6f000 32K
munmap 2 0x7ffff6c7f000 32K
munmap 2 0x7ffff6c8f000 32K
munmap 2 0x7ffff6c9f000 32K
munmap 2 0x7ffff6caf000 32K
munmap 2 0x7ffff6cbf000 32K
munmap 2 0x7ffff6ccf000 32K
munmap 2 0x7ffff6cdf000 32K
munmap 2 0x7ffff6cef000 32K
munmap 2 0x7ffff6cff000 32K
munmap 2 0x7ffff6d0f000 32K
munmap 2 0x7ffff6d1f000 32K
munmap 2 0x7ffff6d2f000 32K
munmap 2 0x7ffff6d3f000 32K
munmap 2 0x7ffff6d4f000 32K
munmap 2 0x7ffff6d5f000 32K
munmap 2 0x7ffff6d6f000 32K
munmap 2 0x7ffff6d7f000 32K
munmap 2 0x7ffff6d8f000 32K
munmap 2 0x7ffff6d9f000 32K
munmap 2 0x7ffff6daf000 32K
munmap 2 0x7ffff6dbf000 32K
munmap 2 0x7ffff6dcf000 32K
munmap 2 0x7ffff6ddf000 32K
munmap 2 0x7ffff6def000 32K
munmap 2 0x7ffff6dff000 32K
munmap 2 0x7ffff6e0f000 32K
munmap 2 0x7ffff6e1f000 32K
munmap 2 0x7ffff6e2f000 32K
munmap 2 0x7ffff6e3f000 32K
munmap 2 0x7ffff6e4f000 32K
munmap 2 0x7ffff6e5f000 32K
munmap 2 0x7ffff6e6f000 32K
munmap 2 0x7ffff6e7f000 32K
munmap 2 0x7ffff6e8f000 32K
munmap 2 0x7ffff6e9f000 32K
munmap 2 0x7ffff6eaf000 32K
munmap 2 0x7ffff6ebf000 32K
munmap 2 0x7ffff6ecf000 32K
munmap 2 0x7ffff6edf000 32K
munmap 2 0x7ffff6eef000 32K
munmap 2 0x7ffff6eff000 32K
munmap 2 0x7ffff6f0f000 32K
munmap 2 0x7ffff6f1f000 32K
munmap 2 0x7ffff6f2f000 32K
munmap 2 0x7ffff6f3f000 32K
munmap 2 0x7ffff6f4f000 32K
munmap 2 0x7ffff6f5f000 32K
munmap 2 0x7ffff6f6f000 32K
munmap 2 0x7ffff6f7f000 32K
munmap 2 0x7ffff6f8f000 32K
munmap 2 0x7ffff6f9f000 32K
munmap 2 0x7ffff6faf000 32K
munmap 2 0x7ffff6fbf000 32K
munmap 2 0x7ffff6fcf000 32K
munmap 2 0x7ffff6fdf000 32K
munmap 2 0x7ffff6fef000 32K
munmap 2 0x7ffff6fff000 32K
munmap 2 0x7ffff700f000 32K
munmap 2 0x7ffff701f000 32K
munmap 2 0x7ffff702f000 32K
munmap 2 0x7ffff703f000 32K
munmap 2 0x7ffff704f000 32K
munmap 2 0x7ffff705f000 32K
munmap 2 0x7ffff706f000 32K
munmap 2 0x7ffff707f000 32K
munmap 2 0x7ffff708f000 32K
munmap 2 0x7ffff709f000 32K
munmap 2 0x7ffff70af000 32K
munmap 2 0x7ffff70bf000 32K
munmap 2 0x7ffff70cf000 32K
munmap 2 0x7ffff70df000 32K
munmap 2 0x7ffff70ef000 32K
munmap 2 0x7ffff70ff000 32K
munmap 2 0x7ffff710f000 32K
munmap 2 0x7ffff711f000 32K
munmap 2 0x7ffff712f000 32K
munmap 2 0x7ffff713f000 32K
munmap 2 0x7ffff714f000 32K
munmap 2 0x7ffff715f000 32K
munmap 2 0x7ffff716f000 32K
munmap 2 0x7ffff717f000 32K
munmap 2 0x7ffff718f000 32K
munmap 2 0x7ffff719f000 32K
munmap 2 0x7ffff71af000 32K
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
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
alloc_pages 4 GFP_ATOMIC
cat /proc/buddyinfo
cat /sys/kernel/debug/extfrag/extfrag_index
alloc_pages 4 GFP_HIGHUSER_MOVABLE
cat /proc/buddyinfo
cat /proc/vmstat | grep -e compact -e pgmigrate
alloc_pages 4 GFP_KERNEL
cat /proc/vmstat | grep -e compact_stall -e compact_fail -e compact_success
