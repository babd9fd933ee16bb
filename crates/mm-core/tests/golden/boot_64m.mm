# A 64 MiB machine: DMA (0-16M) and DMA32 (16M-64M), no Normal zone.
boot mem=64M
cat /proc/buddyinfo
cat /proc/zoneinfo
cat /proc/meminfo | head -n 3
