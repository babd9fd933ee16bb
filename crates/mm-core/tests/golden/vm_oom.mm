# Touching overcommitted memory until the OOM killer kills the process with the
# highest oom_score, and gives its memory back.
boot mem=32M
spawn small
spawn hog
mmap 2 1M
write 2 0x7ffff7f00000
write 2 0x7ffff7f01000
sysctl -w vm.overcommit_memory=1
mmap 3 64M
cat /proc/2/oom_score
cat /proc/3/oom_score
echo -1000 > /proc/1/oom_score_adj
cat /proc/1/oom_score
# hog writes every page of its 64M: memory runs out first.
touch 3 0x7ffff3fff000 64M
ps
dmesg | grep -e oom -e Killed -e Tasks -e "]  " -e "] 1000" -e Mem-Info -e "Node 0 "
cat /proc/meminfo | grep -e MemFree -e AnonPages
# small can still run.
write 2 0x7ffff7f02000
