# File mmap (mm/filemap.c: filemap_fault, do_sync_mmap_readahead, filemap_map_pages;
# mm/memory.c: do_read_fault, do_fault_around, do_shared_fault, do_cow_fault,
# wp_page_shared). A mapped file's pages are its page-cache pages. The first read
# misses the cache: a major fault reads 32 pages around it (page_cache_ra_order from
# do_sync_mmap_readahead, half a window before); the next read fault first maps the
# cached pages of its 64 KiB (do_fault_around), so a sequential read faults once per
# 16 pages. A MAP_SHARED write dirties the file's page (Dirty, written back by sync);
# a MAP_PRIVATE write copies it to an anonymous page. drop_caches leaves mapped pages;
# rm of a mapped file keeps the inode and its cache until the last mapping goes
# (/proc/PID/maps says "(deleted)").
boot mem=64M
fallocate -l 1M /data/lib
spawn app
mmap 2 1M /data/lib MAP_SHARED
read 2 0x7ffff7eff000
read 2 0x7ffff7f00000
read 2 0x7ffff7f05000
cat /proc/vmstat | grep -e pgfault -e pgmajfault
cat /proc/meminfo | grep -e Cached -e Mapped
cat /proc/2/status | grep -e VmRSS -e RssFile
translate 2 0x7ffff7f05000
write 2 0x7ffff7f01000
cat /proc/meminfo | grep Dirty
sync
cat /proc/meminfo | grep Dirty
mmap 2 64K /data/lib offset=8K MAP_PRIVATE
write 2 0x7ffff7eef000
translate 2 0x7ffff7eef000
cat /proc/2/maps
echo 1 > /proc/sys/vm/drop_caches
cat /proc/meminfo | grep -e Cached -e Mapped
rm /data/lib
cat /proc/2/maps
exit 2
cat /proc/meminfo | grep -e Cached -e Mapped
