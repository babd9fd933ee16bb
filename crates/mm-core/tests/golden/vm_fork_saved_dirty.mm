# pte_wrprotect (arch/x86/include/asm/pgtable.h): clearing RW moves Dirty to the
# saved-dirty software bit (_PAGE_SAVED_DIRTY, bit 58), so no Write=0,Dirty=1 PTE
# exists. __copy_present_ptes (mm/memory.c) write-protects a COW mapping's PTE in
# the parent and the child, and makes the child's old (no Accessed). A write then
# faults: wp_page_copy gives the writer a copy, and wp_page_reuse (the last mapping)
# makes the PTE writable again through pte_mkwrite, which brings Dirty back.
spawn app
mmap 2 64K
write 2 0x7ffff7ff0000
translate 2 0x7ffff7ff0000 | tail -n 2
fork 2
translate 2 0x7ffff7ff0000 | tail -n 2
translate 3 0x7ffff7ff0000 | tail -n 2
write 2 0x7ffff7ff0000
translate 2 0x7ffff7ff0000 | tail -n 2
write 3 0x7ffff7ff0000
translate 3 0x7ffff7ff0000 | tail -n 2
