# 16 GiB: 4M pages, 3072 order-10 blocks in Normal.
boot mem=16G cpus=8
cat /proc/buddyinfo
cat /proc/zoneinfo
cat /proc/vmstat
dmesg
