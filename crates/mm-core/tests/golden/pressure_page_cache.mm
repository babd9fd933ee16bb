# The page cache (mm/filemap.c: filemap_read; mm/readahead.c: page_cache_sync_ra,
# page_cache_async_ra): sequential 4K reads grow the readahead window 4, 8, 16, 32
# pages; a write dirties pages until sync; drop_caches drops only clean ones.
boot mem=256M
fallocate -l 1M /data/log
dd if=/data/log of=/dev/null bs=4K count=1
cat /proc/meminfo | grep -e Cached -e "(file)"
dd if=/data/log of=/dev/null bs=4K count=2
cat /proc/meminfo | grep -e Cached
cat /data/log > /dev/null
cat /data/log
cat /proc/meminfo | grep -e Active -e Inactive
dd if=/dev/zero of=/data/new bs=64K count=4
cat /proc/meminfo | grep -e Dirty -e Writeback -e Cached
cat /proc/vmstat | grep -e nr_dirtied -e nr_written -e pgpgin -e pgactivate
echo 1 > /proc/sys/vm/drop_caches
cat /proc/meminfo | grep -e Dirty -e Cached
sync
echo 1 > /proc/sys/vm/drop_caches
cat /proc/meminfo | grep -e Dirty -e Cached
cat /proc/vmstat | grep -e nr_written -e drop_pagecache
dmesg | grep drop_caches
rm /data/log
cat /data/log
dd if=/data/nothing of=/dev/null
fallocate -l 9G /data/huge
