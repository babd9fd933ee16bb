# vma_merge_new_range / is_mergeable_anon_vma / can_vma_merge_right (mm/vma.c):
# a new anonymous range merges with a neighbour whose anon_vma it can share, but
# not across two neighbours with different anon_vmas, and never into a fork
# child's VMA (vma_is_fork_child: its anon_vma_chain is not singular).
spawn app
mmap 2 64K
write 2 0x7ffff7fef000
# A read-only mapping below keeps the next one apart (flags differ).
mmap 2 64K PROT_READ
mmap 2 64K
# Its first fault gets a new anon_vma: the read-only neighbour is not compatible.
write 2 0x7ffff7fcf000
munmap 2 0x7ffff7fdf000 64K
# The hole is refilled: the range merges with the mapping below (prev) only, as the
# two faulted neighbours' anon_vmas differ.
mmap 2 64K
cat /proc/2/maps
# A fork child's faulted VMA takes no new neighbour in; the parent's does.
fork 2
mmap 3 64K
cat /proc/3/maps
mmap 2 64K
cat /proc/2/maps
