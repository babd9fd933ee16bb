# steps
# Two processes map the same virtual address; the page tables send it to different
# physical pages.
boot mem=64M
spawn alice
spawn bob
mmap 2 16K
mmap 3 16K
write 2 0x7ffff7ffb000
write 3 0x7ffff7ffb000
translate 2 0x7ffff7ffb123
translate 3 0x7ffff7ffb123
cat /proc/2/maps
cat /proc/3/maps
