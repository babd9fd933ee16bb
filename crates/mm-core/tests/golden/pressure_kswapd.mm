# kswapd (mm/vmscan.c: wakeup_kswapd, balance_pgdat, kswapd_try_to_sleep): reading a
# file four times the size of RAM, the allocator wakes kswapd0 when a zone falls below
# its low watermark; it reclaims the oldest page cache (the inactive file tail) until
# the node is balanced at the high watermark, naps 100 ms, then sleeps.
boot mem=64M
fallocate -l 256M /data/big
cat /data/big
cat /proc/vmstat | grep -e pgscan -e pgsteal -e kswapd -e pageoutrun -e allocstall -e nr_free_pages
cat /proc/zoneinfo | grep -e "zone  " -e "pages free" -e "  min" -e "  low" -e "  high  "
cat /proc/meminfo | grep -e MemFree -e Cached -e "(file)"
sleep 1
cat /proc/vmstat | grep -e pageoutrun -e kswapd
