# Every kind of wrong input gets one clear line and changes nothing.
boot mem=64M
alloc_pages 11
alloc_pages -1
alloc_pages 3 GFP_BOGUS
alloc_pages 3 GFP_DMA|GFP_DMA32
alloc_pages
free_pages 0x0
free_pages 0x1000
free_pages 0x2000
free_pages 0x99999999
alloc_pages 2
free_pages 0x1009
free_pages 0x1008 1
free_pages 0x1008 2
free_pages 0x1008
kfree 0xffff888001008000
kfree 0x1234
kmalloc 5M
kmem_cache_alloc nosuch
kmem_cache_create bad\x name 64
kmem_cache_create x 0
kmem_cache_create y 64 SLAB_BOGUS
boot mem=1K
boot mem=64M dma=3M
boot colour=blue
cat /proc/nope
cat /proc/buddyinfo | frobnicate
echo 5 > /proc/buddyinfo
echo -1 > /proc/sys/vm/min_free_kbytes
sysctl -w vm.overcommit_memory=7
sysctl -w vm.swappiness=10 vm.overcommit_memory=9
sysctl vm.swappiness
sysctl kernel.pid_max
frobnicate
dmesg | grep BUG
cat /proc/buddyinfo
