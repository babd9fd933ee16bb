//! The animation clock: a `requestAnimationFrame` loop that paints a tween from 0 to 1
//! over a duration set by the Speed, driven by the events already recorded (nothing
//! re-runs a command). Under `prefers-reduced-motion: reduce`, or at a duration of 0,
//! it paints the end state once.
//!
//! Tests fix the clock: when `window.__mmTween` is a number in 0..=1 the loop paints
//! that progress on every frame (and keeps doing so until the next step), so a browser
//! test can compare the picture at 25% and 75% of one step without timing anything.

use crate::state::Speed;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long one step's tween lasts at a speed, in milliseconds: most of the interval
/// between steps, so a moving shape comes to rest before the next step starts.
pub fn tween_ms(speed: Speed) -> f64 {
    match speed {
        Speed::VeryFast | Speed::Instant => 0.0,
        s => f64::from(s.interval_ms()) * 0.8,
    }
}

/// Whether the reader asked the system for less motion.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The progress a test fixed (`window.__mmTween`), if any.
fn fixed_progress() -> Option<f64> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"__mmTween".into())
        .ok()?
        .as_f64()
        .map(|t| t.clamp(0.0, 1.0))
}

/// Ease in and out (a smoothstep), so shapes start and stop gently.
pub fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

type FrameFn = Closure<dyn FnMut(f64)>;

/// A running animation; dropping it stops it.
pub struct Loop {
    id: Rc<Cell<Option<i32>>>,
    frame: Rc<RefCell<Option<FrameFn>>>,
}

impl Drop for Loop {
    fn drop(&mut self) {
        if let (Some(id), Some(w)) = (self.id.take(), web_sys::window()) {
            let _ = w.cancel_animation_frame(id);
        }
        // The closure holds the cell it lives in; taking it breaks the cycle.
        self.frame.borrow_mut().take();
    }
}

/// Paints `paint(t)` on every animation frame for `ms` milliseconds, t eased from 0
/// to 1, ending with `paint(1.0)`. With `ms` 0 or reduced motion, paints the end once.
pub fn run(ms: f64, mut paint: impl FnMut(f64) + 'static) -> Loop {
    let id = Rc::new(Cell::new(None));
    let frame: Rc<RefCell<Option<FrameFn>>> = Rc::new(RefCell::new(None));
    let window = web_sys::window();
    let still = ms <= 0.0 || reduced_motion();
    let Some(w) = window.filter(|_| !still) else {
        paint(1.0);
        return Loop { id, frame };
    };
    let start = Cell::new(None::<f64>);
    let (id2, frame2, w2) = (id.clone(), frame.clone(), w.clone());
    *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
        let t0 = start.get().unwrap_or(now);
        start.set(Some(t0));
        let (t, more) = match fixed_progress() {
            Some(t) => (t, true),
            None => {
                let t = (now - t0) / ms;
                (ease(t), t < 1.0)
            }
        };
        let t1 = clock_ms();
        paint(t);
        record_ms("__mmPaintMs", clock_ms() - t1);
        id2.set(None);
        if more {
            if let Some(f) = frame2.borrow().as_ref() {
                id2.set(w2.request_animation_frame(f.as_ref().unchecked_ref()).ok());
            }
        }
    }));
    if let Some(f) = frame.borrow().as_ref() {
        id.set(w.request_animation_frame(f.as_ref().unchecked_ref()).ok());
    }
    Loop { id, frame }
}

/// Keeps the last 500 durations under `window[key]` for the UI benchmark
/// (`__mmDrawMs`: memory-map redraws; `__mmPaintMs`: tween frames).
pub fn record_ms(key: &str, ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = wasm_bindgen::JsValue::from_str(key);
    let arr = js_sys::Reflect::get(&w, &key)
        .ok()
        .filter(|v| v.is_object())
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_default();
    if arr.length() >= 500 {
        arr.shift();
    }
    arr.push(&ms.into());
    let _ = js_sys::Reflect::set(&w, &key, &arr);
}

fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Linear interpolation.
pub fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

/// `v` with `decimals` digits after the point, as `format!("{v:.1}")` writes it
/// for the values the panels print (percentages, SVG coordinates), rounded half away
/// from zero. Written with integers: Rust's float formatting (Grisu and Dragon4)
/// would add about 4 KB gzipped to the app for a handful of style strings.
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let n = (v * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    if decimals == 0 {
        format!("{sign}{n}")
    } else {
        format!(
            "{sign}{}.{:0w$}",
            n / scale,
            n % scale,
            w = decimals as usize
        )
    }
}

#[cfg(test)]
mod fixed_tests {
    use super::fixed;

    #[test]
    fn fixed_writes_what_the_format_precision_writes() {
        for (v, d) in [
            (0.0, 1),
            (12.34, 1),
            (99.96, 1),
            (100.0, 0),
            (1.23456, 3),
            (-2.25, 1),
            (0.05, 1),
            (7.0, 3),
        ] {
            let want = format!("{v:.*}", d as usize);
            let got = fixed(v, d);
            // Ties may round the other way (Rust rounds half to even); otherwise equal.
            assert!(
                got == want || (v * 10f64.powi(d as i32)).fract().abs() == 0.5,
                "{v} {d}: {got} vs {want}"
            );
        }
        assert_eq!(fixed(12.34, 1), "12.3");
        assert_eq!(fixed(0.4, 0), "0");
        assert_eq!(fixed(5.0, 3), "5.000");
    }
}
