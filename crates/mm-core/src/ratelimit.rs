//! `struct ratelimit_state` (`lib/ratelimit.c: ___ratelimit`): at most `burst`
//! messages per `interval`, the rest counted and reported as "callbacks suppressed"
//! when the next interval opens. The kernel limits its allocation-failure reports
//! (`warn_alloc`: one per 10 s) and OOM headers (`oom_kill_process`: ten per 5 s)
//! this way, which also bounds the work a flood of failures can cause here.

/// One rate limit, on the simulated clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The function the kernel names in "callbacks suppressed" (`__func__`).
    func: &'static str,
    interval_ms: u64,
    burst: u32,
    /// `rs->begin`, once initialised.
    begin: Option<u64>,
    /// `rs_n_left`.
    left: u32,
    /// `rs->missed`.
    missed: u32,
}

impl RateLimit {
    /// `DEFINE_RATELIMIT_STATE(name, interval, burst)`.
    pub const fn new(func: &'static str, interval_ms: u64, burst: u32) -> RateLimit {
        RateLimit {
            func,
            interval_ms,
            burst,
            begin: None,
            left: 0,
            missed: 0,
        }
    }

    /// `__ratelimit`: whether to print now, and the "N callbacks suppressed" line the
    /// kernel prints first when a new interval opens after misses.
    pub fn check(&mut self, now_ms: u64) -> (bool, Option<String>) {
        let begin = *self.begin.get_or_insert_with(|| {
            self.left = self.burst;
            now_ms
        });
        let mut note = None;
        // time_is_before_jiffies(begin + interval): strictly past the interval.
        if begin + self.interval_ms < now_ms {
            self.left = self.burst;
            self.begin = Some(now_ms);
            let m = std::mem::take(&mut self.missed);
            if m > 0 {
                note = Some(format!("{}: {m} callbacks suppressed", self.func));
            }
        }
        if self.left > 0 {
            self.left -= 1;
            (true, note)
        } else {
            self.missed += 1;
            (false, note)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_ten_seconds_then_the_misses_are_counted() {
        let mut rs = RateLimit::new("warn_alloc", 10_000, 1);
        assert_eq!(rs.check(0), (true, None));
        assert_eq!(rs.check(10), (false, None));
        assert_eq!(rs.check(10_000), (false, None));
        assert_eq!(
            rs.check(10_001),
            (true, Some("warn_alloc: 2 callbacks suppressed".to_string()))
        );
        assert_eq!(rs.check(10_002), (false, None));
    }

    #[test]
    fn a_burst_of_ten() {
        let mut rs = RateLimit::new("oom_kill_process", 5_000, 10);
        let printed = (0..12).filter(|t| rs.check(*t).0).count();
        assert_eq!(printed, 10);
    }
}
