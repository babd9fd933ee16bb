# /proc/PID/status (fs/proc/array.c: proc_pid_status, fs/proc/task_mmu.c: task_mem):
# every line in order; VmPeak and VmHWM are the high-water marks update_hiwater_vm
# and update_hiwater_rss keep when mappings go. /proc/zoneinfo
# (mm/vmstat.c: zoneinfo_show_print): the per-node stats under the first populated
# zone, every zone counter, every CPU's pageset (printed with pcp off too), v6.19's
# highatomic lines, and the empty ZONE_DEVICE.
boot mem=32M
spawn app
mmap 2 1M
touch 2 0x7ffff7eff000 1M
munmap 2 0x7ffff7eff000 1M
cat /proc/2/status
cat /proc/zoneinfo
