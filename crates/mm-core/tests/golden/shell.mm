# The command language: help, ls, pipes and filters, and each kind of refusal.
help
help ls
help cat
help grep
help frobnicate
ls /proc/sys/vm
ls /proc/1
ls /proc/buddyinfo
ls /nowhere
cat /proc/meminfo | grep -e MemTotal -e Commit | head -n 2
cat /proc/slabinfo | wc -l
cat /proc/meminfo | grep -i -v kb$
cat /proc/vmstat | sort
cat /proc/buddyinfo |
| head
echo 'unterminated
cat
cat /proc
cat /proc/nothing
echo hello world
echo 100 > /proc/buddyinfo
echo 100 >
echo 100 > /proc/sys/vm/nope
echo abc > /proc/sys/vm/swappiness
echo 10 > /proc/sys/vm/swappiness
echo 500 > /proc/1/oom_score_adj
echo 5000 > /proc/1/oom_score_adj
cat /proc/1/oom_score_adj
sysctl vm.swappiness vm.min_free_kbytes
sysctl -w vm.min_free_kbytes=60000 vm.swappiness
sysctl -w vm.min_free_kbytes=60000 vm.bogus=1
sysctl -w kernel.panic=1
sysctl -w vm.overcommit_ratio=abc
sysctl vm.min_free_kbytes
sysctl -w
head -n 3
alloc_pages 3 | head -n x
alloc_pages 3 | grep
alloc_pages 3 | wc -c
alloc_pages 3 | frob
alloc_pages
alloc_pages eleven
alloc_pages 11
alloc_pages 2 GFP_BOGUS
boot mem=abc
boot mem=3M
boot colour=blue
frobnicate
dmesg now
help limits | head -n 3
touch 9 0x7ffff7fff000 4K
