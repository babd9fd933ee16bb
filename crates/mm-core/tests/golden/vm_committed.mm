# Committed_AS moves with every charged mapping: mmap, brk, fork, munmap, exit.
boot mem=256M
cat /proc/meminfo | grep Committed
spawn app
cat /proc/meminfo | grep Committed
mmap 2 1M
cat /proc/meminfo | grep Committed
mmap 2 1M PROT_READ
cat /proc/meminfo | grep Committed
mmap 2 1M MAP_SHARED PROT_READ
cat /proc/meminfo | grep Committed
brk 2 +100K
cat /proc/meminfo | grep Committed
fork 2
cat /proc/meminfo | grep Committed
munmap 2 0x7ffff7eff000 1M
cat /proc/meminfo | grep Committed
exit 3
cat /proc/meminfo | grep Committed
cat /proc/2/maps
exit 2
cat /proc/meminfo | grep Committed
