//! The element's stylesheets, adopted into the shadow root through constructable stylesheets
//! so they work under `style-src 'self'` (no `<style>`, no `style=""`). Every colour and size
//! is a `--rill-*` custom property the page can override. `styles.css` is adopted at mount;
//! the rules for what only a split module draws come with it (`split.rs`): `styles-extra.css`
//! (reasoning, tool cards, citations, attachment previews) and `styles-math.css` (MathML),
//! adopted once their module is linked, before the replay that draws with them. `build.rs`
//! strips comments and layout whitespace (`tests/stylesheet.rs` checks that nothing else
//! changes).

use crate::dom;
use crate::split::{self, Module};
use core::sync::atomic::{AtomicBool, Ordering};

pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/styles.min.css"));

crate::lazy!("ab000000000000000000000000000001" fn extra_css() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/styles-extra.min.css"))
});

crate::lazy!(math "ab000000000000000000000000000002" fn math_css() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/styles-math.min.css"))
});

static ADOPTED: [AtomicBool; 2] = [AtomicBool::new(false), AtomicBool::new(false)];

/// Adopts the sheet of each split module linked since the last call (`dom::before_flush`).
pub fn adopt_linked() {
    for (i, m) in [Module::Extra, Module::Math].into_iter().enumerate() {
        if split::is_loaded(m) && !ADOPTED[i].swap(true, Ordering::Relaxed) {
            dom::add_sheet(if i == 0 { extra_css() } else { math_css() });
        }
    }
}
