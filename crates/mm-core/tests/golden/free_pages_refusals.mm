# free_pages takes only a block alloc_pages handed out; every other page is refused
# with the kernel's Bad page state complaint, and nothing changes (issue 12).
boot mem=64M
fork 1
mmap 2 64K
write 2 0x7ffff7ff0000
kmalloc 20000
cat /proc/buddyinfo
# the child's kernel stack (the page of the old double-free bug), its PGD, its
# user page, a slab page, a large kmalloc's head and tail, a reserved and a free page
free_pages 0x1013
free_pages 0x1017
free_pages 0x1400
free_pages 0x1000
free_pages 0x1028
free_pages 0x1029
free_pages 0x10
free_pages 0x2000
cat /proc/buddyinfo
# exit frees the stack once, and it can be allocated again
exit 2
alloc_pages 0
free_pages 0x1013 1
free_pages 0x1013
free_pages 0x1013
alloc_pages 2
free_pages 0x1015
free_pages 0x100000
dmesg | grep "Bad page"
