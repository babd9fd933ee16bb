# free_pgtables / free_pgd_range (mm/memory.c): after munmap, a page table is freed
# only if its whole span lies between the previous VMA's end (floor) and the next
# one's start (ceiling). Here the unmapped 64 KiB shares its PTE table (one 2 MiB
# span) with the mapping above it, so the table stays although it is empty; when
# that mapping goes too, nothing but the stack is left and the table is freed (the
# PMD table, whose 1 GiB span holds the stack, stays).
spawn app
mmap 2 64K
mmap 2 64K
write 2 0x7ffff7fe0000
cat /proc/2/status | grep VmPTE
munmap 2 0x7ffff7fdf000 64K
cat /proc/2/status | grep VmPTE
translate 2 0x7ffff7ff0000 | head -n 3
munmap 2 0x7ffff7fef000 64K
cat /proc/2/status | grep VmPTE
