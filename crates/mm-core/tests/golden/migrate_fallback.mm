# steps
# Migrate types: the first unmovable allocation claims a whole pageblock pair from
# the Movable lists (__rmqueue_claim scans from order 10 down); a movable allocation
# then uses its own lists; reclaimable requests claim again.
boot mem=32M
alloc_pages 0 GFP_KERNEL
alloc_pages 0 GFP_HIGHUSER_MOVABLE
alloc_pages 1 GFP_KERNEL|__GFP_RECLAIMABLE
cat /proc/pagetypeinfo
