//! Colours of the memory map: the Okabe-Ito palette, safe for colour-blind readers,
//! one set for light and one for dark pages. Colour is never the only signal: the
//! legend names each state and hovering a cell says it in words.

use mm_core::PageUse;

/// (state, light RGB, dark RGB, legend label), in `PageUse` order.
pub const STATES: [(PageUse, [u8; 3], [u8; 3], &str); 10] = [
    (PageUse::Free, [226, 228, 232], [52, 57, 64], "free"),
    (
        PageUse::Reserved,
        [120, 120, 120],
        [110, 110, 110],
        "reserved",
    ),
    (
        PageUse::Kernel,
        [0, 114, 178],
        [86, 160, 220],
        "kernel (alloc_pages)",
    ),
    (PageUse::Slab, [230, 159, 0], [240, 175, 40], "slab"),
    (
        PageUse::PageTable,
        [204, 121, 167],
        [214, 141, 187],
        "page table",
    ),
    (PageUse::User, [0, 158, 115], [40, 190, 140], "user"),
    (
        PageUse::Pcp,
        [86, 180, 233],
        [120, 200, 240],
        "per-cpu list",
    ),
    (
        PageUse::KernelStack,
        [213, 94, 0],
        [235, 120, 40],
        "kernel stack",
    ),
    (
        PageUse::LargeKmalloc,
        [240, 228, 66],
        [240, 228, 66],
        "large kmalloc",
    ),
    // Outside Okabe-Ito's eight (all taken): a khaki whose lightness differs from
    // every other state's, so it stays apart in grey scale too.
    (
        PageUse::File,
        [170, 150, 110],
        [190, 170, 130],
        "page cache",
    ),
];

/// Whether the system asks for a dark page.
pub fn dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The RGB of a state byte.
pub fn rgb(state: u8, dark: bool) -> [u8; 3] {
    let s = &STATES[(state as usize).min(STATES.len() - 1)];
    if dark {
        s.2
    } else {
        s.1
    }
}

/// A CSS colour string.
pub fn css(rgb: [u8; 3]) -> String {
    format!("rgb({},{},{})", rgb[0], rgb[1], rgb[2])
}
