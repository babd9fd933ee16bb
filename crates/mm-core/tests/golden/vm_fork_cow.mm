# steps
# fork shares the parent's pages write-protected; the first writer copies, the last
# owner reuses its page without copying.
boot mem=64M
spawn parent
mmap 2 8K
write 2 0x7ffff7ffd000
read 2 0x7ffff7ffe000
translate 2 0x7ffff7ffd000
fork 2
translate 2 0x7ffff7ffd000
translate 3 0x7ffff7ffd000
write 3 0x7ffff7ffd000
translate 3 0x7ffff7ffd000
write 2 0x7ffff7ffd000
translate 2 0x7ffff7ffd000
write 3 0x7ffff7ffe000
cat /proc/2/status | grep -e VmRSS -e RssAnon -e VmPTE
cat /proc/3/status | grep -e VmRSS -e RssAnon -e VmPTE
