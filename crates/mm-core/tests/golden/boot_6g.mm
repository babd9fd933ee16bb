# 6 GiB: all three zones, Normal from 4 GiB.
boot mem=6G cpus=4
cat /proc/buddyinfo
cat /proc/zoneinfo
cat /proc/meminfo
