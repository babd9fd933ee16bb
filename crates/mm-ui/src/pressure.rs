//! The free-versus-watermarks plot's data: each zone's free pages sampled across one
//! command's steps, replayed from its events over the free lists it started with, so
//! the plot draws itself up to the playhead as the command plays.

use mm_core::event::VmscanEvent;
use mm_core::views::{FreeListsView, KswapdView};
use mm_core::Event;

/// Samples per command at most: enough for a smooth line in a panel's width.
pub const SAMPLES: usize = 240;

/// One zone's free pages across a command.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneSeries {
    /// `DMA`, `DMA32`, `Normal`.
    pub name: &'static str,
    /// (steps taken, free pages then, [min, low, high] then): boosts move the marks.
    pub points: Vec<(usize, u64, [u64; 3])>,
}

/// Every zone's series for one command.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeSeries {
    /// The command's index in the session.
    pub command: usize,
    /// Its steps.
    pub steps: usize,
    /// Where its kept steps were cut (a summary of left-out steps): the replay ends
    /// there, since the steps after it do not continue from the same free lists.
    pub cut_at: Option<usize>,
    /// For a cut command: the steps it took in all (kept, left out and the tail), and
    /// each zone's free pages after it, so the plot can finish the line.
    pub cut_end: Option<(usize, Vec<u64>)>,
    /// Populated zones, lowest first.
    pub zones: Vec<ZoneSeries>,
    /// kswapd0's state changes: (steps taken when it changed, the new state).
    pub kswapd: Vec<(usize, KswapdView)>,
}

impl FreeSeries {
    /// kswapd0's state after `k` steps, if a step of the command set it.
    pub fn kswapd_at(&self, k: usize) -> Option<KswapdView> {
        let n = self.kswapd.partition_point(|(at, _)| *at <= k);
        self.kswapd.get(n.checked_sub(1)?).map(|(_, s)| *s)
    }
}

/// Replays `events` over `v` (the free lists before the command), sampling at most
/// [`SAMPLES`] points, the first and last included, up to a summary of left-out steps.
pub fn series(
    command: usize,
    mut v: FreeListsView,
    events: &[Event],
    after: Option<&FreeListsView>,
) -> FreeSeries {
    let stride = events.len().div_ceil(SAMPLES).max(1);
    let mut zones: Vec<ZoneSeries> = v
        .zones
        .iter()
        .map(|z| ZoneSeries {
            name: z.zone.name(),
            points: Vec::new(),
        })
        .collect();
    let sample = |v: &FreeListsView, k: usize, zones: &mut Vec<ZoneSeries>| {
        for (s, z) in zones.iter_mut().zip(&v.zones) {
            s.points.push((k, z.free_pages(), z.marks));
        }
    };
    sample(&v, 0, &mut zones);
    // kswapd0's steps are read over every kept step, the tail after a cut included:
    // unlike free pages they need no replay.
    let kswapd: Vec<(usize, KswapdView)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| kswapd_step(e).map(|s| (i + 1, s)))
        .collect();
    let mut cut_at = None;
    let mut cut_end = None;
    for (i, e) in events.iter().enumerate() {
        if let Event::Summary(mm_core::event::SummaryEvent::Summary { steps, .. }) = e {
            cut_at = Some(i);
            let total = events.len().saturating_sub(1) + *steps as usize;
            let free = after.map(|a| a.zones.iter().map(|z| z.free_pages()).collect());
            cut_end = free.map(|f| (total, f));
            if i % stride != 0 {
                sample(&v, i, &mut zones);
            }
            break;
        }
        v.apply(e);
        let k = i + 1;
        if k % stride == 0 || k == events.len() {
            sample(&v, k, &mut zones);
        }
    }
    FreeSeries {
        command,
        steps: events.len(),
        cut_at,
        cut_end,
        zones,
        kswapd,
    }
}

/// What kswapd0 is doing after this step, if it is a wake, pass, nap or sleep. (A
/// nap's end is not in its step: `until_ms` is 0.)
fn kswapd_step(e: &Event) -> Option<KswapdView> {
    match e {
        Event::Vmscan(VmscanEvent::KswapdWake { .. }) => Some(KswapdView::Reclaiming {
            priority: 12,
            reclaimed: 0,
        }),
        Event::Vmscan(VmscanEvent::BalancePass {
            priority,
            reclaimed,
            ..
        }) => Some(KswapdView::Reclaiming {
            priority: *priority,
            reclaimed: *reclaimed,
        }),
        Event::Vmscan(VmscanEvent::KswapdNap { asleep: false }) => {
            Some(KswapdView::Napping { until_ms: 0 })
        }
        Event::Vmscan(VmscanEvent::KswapdNap { asleep: true })
        | Event::Vmscan(VmscanEvent::KswapdSleep {}) => Some(KswapdView::Asleep),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mm_core::{BootParams, Machine};

    #[test]
    fn a_long_command_is_sampled_from_its_first_step_to_its_last() {
        let boot = BootParams::parse(["mem=32M"]).expect("boot options");
        let mut m = Machine::boot(boot);
        m.set_recording(true);
        m.set_event_budget(1_000_000);
        assert!(m.run("fallocate -l 40M /data/big").ok);
        let before = FreeListsView::of(&m);
        let out = m.run("cat /data/big > /dev/null");
        let s = series(1, before, &out.events, None);
        let points = &s
            .zones
            .iter()
            .find(|z| z.name == "DMA32")
            .expect("DMA32")
            .points;
        assert!(points.len() <= SAMPLES + 1 && s.cut_at.is_none());
        assert_eq!(points.first().map(|p| p.0), Some(0));
        assert_eq!(points.last().map(|p| p.0), Some(out.events.len()));
        // The page cache filled memory down to the watermarks, and the replay ends
        // where the machine did.
        let lowest = points.iter().map(|p| p.1).min().unwrap_or(0);
        let high = points[0].2[2];
        assert!(
            lowest < high * 2,
            "free never neared high ({high}): {lowest}"
        );
        // kswapd0 woke partway, reclaimed, and its state is known from then on.
        assert_eq!(s.kswapd_at(0), None);
        let (woke, _) = s.kswapd[0];
        assert!(woke > 0 && s.kswapd_at(woke - 1).is_none());
        assert!(matches!(
            s.kswapd_at(woke),
            Some(KswapdView::Reclaiming { .. })
        ));
        assert!(s.kswapd_at(out.events.len()).is_some());
        let end = FreeListsView::of(&m);
        let now = end
            .zones
            .iter()
            .find(|z| z.zone.name() == "DMA32")
            .map(|z| z.free_pages());
        assert_eq!(points.last().map(|p| p.1), now);
    }
}

#[cfg(test)]
mod cut_tests {
    use super::*;
    use mm_core::{BootParams, Machine};

    #[test]
    fn the_plot_of_a_cut_command_ends_at_its_summary() {
        let boot = BootParams::parse(["mem=32M"]).expect("boot options");
        let mut m = Machine::boot(boot);
        m.set_recording(true);
        m.set_event_budget(5_000);
        assert!(m.run("fallocate -l 40M /data/big").ok);
        let before = FreeListsView::of(&m);
        let out = m.run("cat /data/big > /dev/null");
        let after = FreeListsView::of(&m);
        let s = series(1, before, &out.events, Some(&after));
        let cut = s.cut_at.expect("a cut command");
        assert!(s
            .zones
            .iter()
            .all(|z| z.points.last().map(|p| p.0) == Some(cut)));
        // The line ends at the machine's free pages after the command.
        let (total, end) = s.cut_end.expect("the end of a cut command");
        assert!(total > out.events.len());
        assert_eq!(
            end,
            after
                .zones
                .iter()
                .map(|z| z.free_pages())
                .collect::<Vec<_>>()
        );
    }
}
