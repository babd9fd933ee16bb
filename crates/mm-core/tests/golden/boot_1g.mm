# The default machine: 1 GiB, 2 CPUs.
boot
cat /proc/buddyinfo
cat /proc/zoneinfo
sysctl vm.min_free_kbytes
cat /proc/pagetypeinfo
