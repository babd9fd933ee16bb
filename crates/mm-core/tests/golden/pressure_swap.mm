# Swap (mm/vmscan.c: shrink_folio_list; mm/swapfile.c: folio_alloc_swap; mm/rmap.c:
# try_to_unmap; mm/page_io.c: swap_writeout; mm/memory.c: do_swap_page;
# mm/swap_state.c: swap_vma_readahead). A process touches 100M on a 64M machine with
# 128M of swap: reclaim finds no page cache, so it gives each anonymous page a swap
# slot (a fresh area hands out 1, 2, 3, ...), turns its PTE into a swap entry
# (the offset inverted, bit 3 exclusive, bit 1 soft-dirty), writes it, and frees it
# once the write completes. Touching the first pages again faults them back in:
# a major fault reads the page and, as the faults run in order, a growing readahead
# window of its neighbours (1, then 2, then 4 pages); the next fault finds its page
# already in the swap cache (a minor fault). A read fault keeps the slot (swap is not
# half full: should_try_to_free_swap), so SwapCached grows and /proc/swaps' Used does
# not fall; a write fault by the page's only user frees its slot. When the process
# exits, zap_pte_range frees its swap entries (free_swap_and_cache_nr) and the swap
# cache with them.
boot mem=64M swap=128M
spawn app
mmap 2 100M
touch 2 0x7ffff1bff000 100M
cat /proc/meminfo | grep -e MemFree -e Swap -e "(anon)"
cat /proc/swaps
cat /proc/vmstat | grep -e pswp -e pgscan_anon -e pgsteal_anon -e nr_vmscan_write -e pgrotated
cat /proc/2/status | grep -e VmRSS -e RssAnon -e VmSwap
translate 2 0x7ffff1bff000
translate 2 0x7ffff1c00000
read 2 0x7ffff1bff000
read 2 0x7ffff1c00000
translate 2 0x7ffff1c01000
read 2 0x7ffff1c01000
read 2 0x7ffff1c02000
read 2 0x7ffff1c03000
write 2 0x7ffff1c04000
cat /proc/vmstat | grep -e pswpin -e pgmajfault -e swap_ra
cat /proc/meminfo | grep -e SwapCached -e SwapFree
cat /proc/2/status | grep VmSwap
exit 2
cat /proc/swaps
cat /proc/meminfo | grep -e MemFree -e Swap -e "(anon)"
