# The dirty thresholds and the flusher's clock (mm/page-writeback.c:
# domain_dirty_limits and the sysctl handlers dirty_background_ratio_handler,
# dirty_background_bytes_handler, dirty_ratio_handler, dirty_bytes_handler,
# dirty_writeback_centisecs_handler): a ratio and its bytes twin exclude each other,
# dirty_background_bytes makes a 4M write start background writeback at once, the
# expiry decides what the periodic flusher writes, 0 stops it, and a new period
# wakes the flusher at once.
boot mem=256M
fallocate -l 16M /data/out
cat /proc/vmstat | grep dirty_
sysctl -w vm.dirty_background_bytes=1048576
sysctl vm.dirty_background_ratio vm.dirty_background_bytes
cat /proc/vmstat | grep dirty_
dd if=/dev/zero of=/data/out bs=1M count=4
cat /proc/meminfo | grep -e Dirty -e Writeback
sysctl -w vm.dirty_background_ratio=10
sysctl vm.dirty_background_bytes
# dirty_bytes is at least two pages.
sysctl -w vm.dirty_bytes=4096
sysctl -w vm.dirty_bytes=8192
sysctl vm.dirty_ratio
cat /proc/vmstat | grep dirty_
sysctl -w vm.dirty_ratio=20
sysctl vm.dirty_bytes
sysctl -w vm.dirty_ratio=101
# The periodic flusher writes data dirty for longer than the expiry (1 s here).
sysctl -w vm.dirty_expire_centisecs=100
dd if=/dev/zero of=/data/out bs=1M count=1 seek=8
cat /proc/meminfo | grep -e Dirty: -e Writeback:
sleep 6s
cat /proc/meminfo | grep -e Dirty: -e Writeback:
# 0: no periodic writeback at all.
sysctl -w vm.dirty_writeback_centisecs=0
dd if=/dev/zero of=/data/out bs=1M count=1 seek=12
sleep 1m
cat /proc/meminfo | grep -e Dirty: -e Writeback:
# A new period wakes the flusher, which writes everything.
sysctl -w vm.dirty_writeback_centisecs=250
cat /proc/meminfo | grep -e Dirty: -e Writeback:
sysctl -a | grep dirty
