# steps
# Per-CPU page lists (boot pcp=on): an order-0 allocation refills CPU 0's list with a
# batch of pages at once; a free parks the page on the list instead of merging it.
boot mem=64M pcp=on
alloc_pages 0
cat /proc/buddyinfo
free_pages 0x1000
cat /proc/zoneinfo | grep -e zone -e count -e high: -e batch
cat /proc/meminfo | head -n 2
