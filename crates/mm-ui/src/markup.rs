//! Display-only markup as text. A panel part that has no listener and no transition
//! (tables of figures, plots, captions) is written as one HTML string and handed to
//! Yew as a raw node: `html!` expands every element into its own construction code,
//! and a string keeps the app's wasm within its budget as the panels grow. Every
//! value that goes into the string passes through [`esc`], so it stays text.

use std::fmt::Write;
use yew::{AttrValue, Html, MouseEvent, TargetCast};

/// `text` with the five characters HTML gives a meaning escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A string of markup being written.
#[derive(Default)]
pub struct Markup(String);

impl Markup {
    /// Appends markup as it is (the caller's literal tags).
    pub fn tag(&mut self, html: &str) -> &mut Self {
        self.0.push_str(html);
        self
    }

    /// Appends text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.0.push_str(&esc(text));
        self
    }

    /// Appends `<TAG class="CLASS">TEXT</TAG>`, the text escaped.
    pub fn el(&mut self, tag: &str, class: &str, text: &str) -> &mut Self {
        let _ = write!(self.0, "<{tag} class=\"{class}\">{}</{tag}>", esc(text));
        self
    }

    /// The raw node.
    pub fn html(self) -> Html {
        Html::from_html_unchecked(AttrValue::from(self.0))
    }
}

/// A button written as markup carries what it does in `data-` attributes, and the
/// list around it has one listener: this reads `attr` of the button a click landed
/// in (on it or on its text).
pub fn clicked(e: &MouseEvent, attr: &str) -> Option<String> {
    e.target_dyn_into::<web_sys::Element>()?
        .closest("button")
        .ok()??
        .get_attribute(attr)
}

/// [`clicked`], as a number.
pub fn clicked_number<T: std::str::FromStr>(e: &MouseEvent, attr: &str) -> Option<T> {
    clicked(e, attr)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_text() {
        assert_eq!(
            esc("<script>a&'b\"</script>"),
            "&lt;script&gt;a&amp;&#39;b&quot;&lt;/script&gt;"
        );
        let mut m = Markup::default();
        m.el("p", "x", "<b>").tag("<br>").text("1 < 2");
        assert_eq!(m.0, "<p class=\"x\">&lt;b&gt;</p><br>1 &lt; 2");
    }
}
