# /proc/vmstat (mm/vmstat.c: vmstat_show): all of vmstat_text in enum order, 192 lines
# with a distribution's configuration, nr_unstable last. The counters the model
# keeps move as the kernel's: pgalloc_<zone> by 2^order per allocation (the zone that
# served it), numa_hit/numa_local by one per allocation, pgfree by 2^order per free
# (boot-time freeing included), pgfault per handled fault, pgreuse per reused COW
# page, oom_kill per kill; the gauges follow the pages.
boot mem=64M
cat /proc/vmstat | wc -l
cat /proc/vmstat | grep -v " 0$"
alloc_pages 3
spawn app
mmap 2 64K
write 2 0x7ffff7ff0000
fork 2
write 2 0x7ffff7ff0000
write 3 0x7ffff7ff0000
cat /proc/vmstat | grep -v " 0$"
cat /proc/vmstat | tail -n 3
