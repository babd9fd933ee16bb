//! `help NAME`'s details in the app. The app's wasm is built without mm-core's
//! `help-details` (3 to 4 KB gzipped of text and tables it need not carry): `help
//! NAME` then says [`DETAILS_ELSEWHERE`] where the details go, and `help limits`
//! says [`LIMITS_ELSEWHERE`]. The details come from `help/details.txt`, which a
//! test keeps equal to mm-core's command table and the app fetches when it starts;
//! [`fill`] puts them back, so the terminal shows what `mmsim` prints.

use mm_core::{DETAILS_ELSEWHERE, LIMITS_ELSEWHERE};

/// Puts the details back into the output of a `help NAME` line, if they are here.
pub fn fill(line: &str, output: &mut String) {
    let mut words = line.split_whitespace();
    let (Some("help"), Some(name), None) = (words.next(), words.next(), words.next()) else {
        return;
    };
    if output.contains(DETAILS_ELSEWHERE) {
        if let Some(d) = details(name) {
            *output = output.replacen(DETAILS_ELSEWHERE, d.trim_end(), 1);
        }
    } else if output == LIMITS_ELSEWHERE {
        if let Some(d) = details("limits") {
            *output = d;
        }
    }
}

/// A section of `help/details.txt`.
#[cfg(target_arch = "wasm32")]
fn details(name: &str) -> Option<String> {
    crate::bridge::help_details(name)
}

/// Natively (the unit tests) there is no file: help stays as mm-core prints it.
#[cfg(not(target_arch = "wasm32"))]
fn details(_name: &str) -> Option<String> {
    None
}
