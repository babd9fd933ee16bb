# When nothing is killable the kernel panics (mm/oom_kill.c: out_of_memory:
# 'System is deadlocked on memory'); the machine stays halted until boot.
boot mem=32M
alloc_pages 10 | grep -v pfn
alloc_pages 10 | grep -v pfn
alloc_pages 10 | grep -v pfn
alloc_pages 10 | grep -v pfn
alloc_pages 10 | grep -v pfn
alloc_pages 10 | grep -v pfn
alloc_pages 9 | grep -v pfn
alloc_pages 9 | grep -v pfn
alloc_pages 9 | grep -v pfn
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
dmesg | tail -n 4
alloc_pages 0
cat /proc/meminfo
dmesg | tail -n 1
boot mem=32M
alloc_pages 0
