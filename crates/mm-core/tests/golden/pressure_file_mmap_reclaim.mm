# Reclaim of mapped file pages (mm/vmscan.c: folio_check_references, shrink_folio_list;
# mm/rmap.c: folio_referenced, try_to_unmap). A process maps a 48M file on a 32M
# machine and reads it in order: the page cache fills, kswapd and direct reclaim take
# the oldest pages back. A mapped page needs two scans with no access between (the
# first only clears its PTE's Accessed bit), then try_to_unmap clears every PTE that
# maps it and it is freed; reading it again is a major fault.
boot mem=32M
fallocate -l 48M /data/big
spawn reader
mmap 2 48M /data/big MAP_PRIVATE PROT_READ
touch 2 0x7ffff4fff000 48M read
read 2 0x7ffff4fff000
cat /proc/vmstat | grep -e pgmajfault -e pgscan -e pgsteal -e pgactivate
cat /proc/meminfo | grep -e Cached -e Mapped -e "(file)"
cat /proc/2/status | grep RssFile
