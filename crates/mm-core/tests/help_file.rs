//! `web/help/details.txt`, the help details the app fetches instead of carrying them in its
//! wasm, is `details_file()` of this build (`BLESS=1` rewrites it), and each of its
//! sections is what `help NAME` prints with the details in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{details_file, help};
use std::path::Path;

#[test]
fn web_help_txt_is_the_command_tables_details() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/help/details.txt");
    let text = details_file();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text == want,
        "{} differs from the command table's details (BLESS=1 after an intended change)",
        path.display()
    );
    // Every section is a command's (or filter's) details, as help prints them.
    let mut sections = 0;
    for section in text.split("\n@@ ").skip(1) {
        let (name, details) = section.split_once('\n').unwrap();
        if name == "limits" {
            assert!(details.starts_with("mm-sandbox's limits"));
            continue;
        }
        let h = help(name).unwrap_or_else(|| panic!("no help for {name}"));
        assert!(
            h.contains(details.trim_end()),
            "{name}: its section is not in `help {name}`"
        );
        sections += 1;
    }
    assert!(sections > 30, "only {sections} sections");
}
