# Overcommit: mode 0 refuses only a single request larger than RAM + swap; mode 2
# refuses what would take Committed_AS to CommitLimit (RAM * ratio% + swap, less the
# reserves); mode 1 allows anything.
boot mem=64M
cat /proc/meminfo | grep -e CommitLimit -e Committed_AS
spawn big
mmap 2 48M
mmap 2 100M
sysctl vm.overcommit_memory
sysctl -w vm.overcommit_memory=2
cat /proc/meminfo | grep -e CommitLimit -e Committed_AS
mmap 2 16M
fork 2
mmap 2 16M PROT_READ
mmap 2 16M MAP_NORESERVE
sysctl -w vm.overcommit_ratio=200
cat /proc/meminfo | grep -e CommitLimit
fork 2
sysctl -w vm.overcommit_memory=1
mmap 2 1G
mmap 2 64G
cat /proc/meminfo | grep -e CommitLimit -e Committed_AS
echo 0 > /proc/sys/vm/overcommit_memory
mmap 2 1G
dmesg | grep __vm_enough_memory
