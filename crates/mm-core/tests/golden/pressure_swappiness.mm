# swappiness (mm/vmscan.c: get_scan_count, SCAN_FRACT; prepare_scan_control). The
# same workload three times: a process holds 24M of anonymous memory, a 20M file is
# read twice (the second read activates it: the working set), then the process
# touches 24M more on a 64M machine with swap. While the file is a working set
# (inactive file low against active: DEACTIVATE_FILE), cache_trim_mode is off and
# get_scan_count splits the scan by swappiness and the recent costs (SCAN_FRACT):
# at 0 only the page cache is scanned (ap = 0); at the default 60 both (ap 60 : fp
# 140 with no history, then by cost), but a mapped anonymous page needs two scans
# (folio_check_references: the first only clears its PTE's Accessed bit and sets
# PG_referenced), so the page cache gives way and nothing is swapped yet; at 200
# only anonymous memory is scanned (fp = 0): it is swapped out while the file stays
# cached.
boot mem=64M swap=64M
sysctl vm.swappiness=0
spawn app
mmap 2 60M
touch 2 0x7ffff43ff000 24M
fallocate -l 20M /data/f
cat /data/f
cat /data/f
cat /proc/meminfo | grep -e MemFree -e "(anon)" -e "(file)"
touch 2 0x7ffff5bff000 24M
cat /proc/vmstat | grep -e pgscan_anon -e pgscan_file -e pswpout
cat /proc/meminfo | grep -e "(anon)" -e "(file)" -e SwapFree
boot mem=64M swap=64M
spawn app
mmap 2 60M
touch 2 0x7ffff43ff000 24M
fallocate -l 20M /data/f
cat /data/f
cat /data/f
touch 2 0x7ffff5bff000 24M
cat /proc/vmstat | grep -e pgscan_anon -e pgscan_file -e pswpout
cat /proc/meminfo | grep -e "(anon)" -e "(file)" -e SwapFree
boot mem=64M swap=64M
sysctl vm.swappiness=200
spawn app
mmap 2 60M
touch 2 0x7ffff43ff000 24M
fallocate -l 20M /data/f
cat /data/f
cat /data/f
touch 2 0x7ffff5bff000 24M
cat /proc/vmstat | grep -e pgscan_anon -e pgscan_file -e pswpout
cat /proc/meminfo | grep -e "(anon)" -e "(file)" -e SwapFree
