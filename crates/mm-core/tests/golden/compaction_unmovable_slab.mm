# A page that cannot move stops a pageblock (mm/compaction.c:
# isolate_migratepages_block takes only LRU pages; slab pages are skipped and stay
# where they are). A 16M machine (one zone, DMA, eight pageblocks) is filled with a
# process's pages; a 4096-byte slab cache then gets its first slab, an order-3 block
# at 0x530, in pageblock 0x400, which also holds the boot caches' own slabs
# (kmem_cache at 0x405, kmem_cache_node at 0x404). Every other 512K of the process is
# unmapped: 1998 pages free, none in a block above order 7. compact_memory migrates
# 768 user pages (pgmigrate_success; the last batch of 32 finds no free target,
# pgmigrate_fail 1) and the scanners meet at 0x800. The pageblocks whose pages all
# moved become free order-9 blocks (0x200, 0x600), but 0x400 cannot: its user pages
# moved out, its slab pages did not, so pageblocks 0x400 and 0x600 do not make an
# order-10 block. Freeing the object and destroying the cache returns 0x530's eight
# pages, which merge up to order 8 (0x500-0x5ff) and stop at 0x400: the boot slabs
# there never move, and the Unmovable pageblock stays split for good.
# (pcp=off: freed pages reach the buddy allocator at once.)
boot mem=16M pcp=off
sysctl -w vm.compaction_proactiveness=0
spawn app
mmap 2 14M
touch 2 0x7ffff71ff000 14M
kmem_cache_create c 4096
kmem_cache_alloc c
munmap 2 0x7ffff71ff000 512K
munmap 2 0x7ffff72ff000 512K
munmap 2 0x7ffff73ff000 512K
munmap 2 0x7ffff74ff000 512K
munmap 2 0x7ffff75ff000 512K
munmap 2 0x7ffff76ff000 512K
munmap 2 0x7ffff77ff000 512K
munmap 2 0x7ffff78ff000 512K
munmap 2 0x7ffff79ff000 512K
munmap 2 0x7ffff7aff000 512K
munmap 2 0x7ffff7bff000 512K
munmap 2 0x7ffff7cff000 512K
munmap 2 0x7ffff7dff000 512K
munmap 2 0x7ffff7eff000 512K
cat /proc/buddyinfo
echo 1 > /proc/sys/vm/compact_memory
cat /proc/buddyinfo
cat /proc/vmstat | grep -e compact_migrate -e compact_isolated -e pgmigrate
cat /proc/pagetypeinfo | grep -e "type    Unmovable" -e "type      Movable"
kmem_cache_free c 0xffff888000530000
kmem_cache_destroy c
cat /proc/buddyinfo
cat /proc/pagetypeinfo | grep -e "type    Unmovable" -e "type      Movable"
