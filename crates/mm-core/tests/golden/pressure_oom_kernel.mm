# The OOM killer reached from a kernel allocation (mm/page_alloc.c:
# __alloc_pages_slowpath, __alloc_pages_may_oom): order-3 GFP_KERNEL requests are
# 'too small to fail'; when reclaim makes no progress the OOM killer kills the
# process with the highest badness, and the request succeeds.
boot mem=64M
spawn hog
sysctl -w vm.overcommit_memory=1
mmap 2 48M
touch 2 0x7ffff4fff000 48M
cat /proc/meminfo | grep -e MemFree -e AnonPages
alloc_pages 10
alloc_pages 10
alloc_pages 10
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
alloc_pages 3 | grep -v pfn
ps
dmesg | grep -e invoked -e Killed
cat /proc/vmstat | grep -e oom_kill -e allocstall_normal
