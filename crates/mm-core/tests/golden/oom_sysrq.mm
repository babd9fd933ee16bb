# A manual OOM kill (drivers/tty/sysrq.c: moom_callback; mm/oom_kill.c:
# out_of_memory with oc->order == -1, is_sysrq_oom). `echo f > /proc/sysrq-trigger`
# runs select_bad_process with memory free: the task with the highest oom_badness
# dies. A kworker invokes it, so the report's first line names kworker/0:1 and
# order=-1. With nothing left to kill the kernel says so and does not panic.
boot mem=256M
spawn web
mmap 2 8M
touch 2 0x7ffff77ff000 8M
spawn db
mmap 3 4M
touch 3 0x7ffff7bff000 4M
# web has twice db's RSS, but oom_score_adj=-200 takes 200 thousandths of all
# memory (65,280 pages / 1000 = 65) off its score: RSS 2,048 + 7 page-table pages
# - 200 * 65 = -10,945, against db's 1,024 + 5 = 1,029.
echo -200 > /proc/2/oom_score_adj
cat /proc/2/oom_score /proc/3/oom_score
echo f > /proc/sysrq-trigger
dmesg | grep -e sysrq -e invoked -e "] [" -e oom-kill -e Killed
ps
echo f > /proc/sysrq-trigger
echo f > /proc/sysrq-trigger
dmesg | tail -3
# Only f is modelled; the file cannot be read (mode 0200).
echo b > /proc/sysrq-trigger
cat /proc/sysrq-trigger
