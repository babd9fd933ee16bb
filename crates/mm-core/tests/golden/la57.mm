# 5-level paging (la57=on): the direct map starts at __PAGE_OFFSET_BASE_L5
# (arch/x86/include/asm/page_64_types.h), so kmalloc addresses are 0xff11...; the
# vmalloc area is VMALLOC_SIZE_TB_L5 = 12800 TiB (arch/x86/include/asm/
# pgtable_64_types.h), so meminfo's VmallocTotal is (12800 << 30) - 1 kB.
boot mem=64M la57=on
kmalloc 200
cat /proc/meminfo | grep Vmalloc
boot mem=64M
kmalloc 200
cat /proc/meminfo | grep VmallocTotal
# A 5-level process's P4D table is not in mm_pgtables_bytes (__p4d_alloc counts
# nothing; only PUD, PMD and PTE tables are): VmPTE is 12 kB, not 16.
boot mem=64M la57=on
spawn app
mmap 2 64K
write 2 0x7ffff7ff0000
cat /proc/2/status | grep VmPTE
