//! Math in a reply, drawn as native MathML. The converter (`crate::math`) is a split module
//! of its own (`rill_chat_math.wasm`), fetched the first time a reply has math: until it is
//! linked, the view holds back the blocks that have math (`ready`), so a formula never shows
//! as source first and MathML a moment later. If the module cannot be fetched, formulas show
//! as their source, marked (`math-source`), and so do formulas the converter refuses.

use crate::prelude::*;

use crate::dom::Edits;
use crate::math::El;
use crate::split::{self, Module};

/// Whether math can be drawn now; the first call starts fetching the converter.
pub fn ready() -> bool {
    super::module_ready(Module::Math)
}

/// A formula where the edit stack is.
pub fn draw(e: &mut Edits, tex: &str, display: bool) {
    if split::is_loaded(Module::Math) {
        draw_mathml(e, tex, display);
    } else {
        source(e, tex, display);
    }
}

/// The TeX as written, with its delimiters, in a marked span.
fn source(e: &mut Edits, tex: &str, display: bool) {
    e.open("span");
    e.attr("class", "math-source");
    e.text(&cat(&[
        if display { "\\[" } else { "\\(" },
        tex,
        if display { "\\]" } else { "\\)" },
    ]));
    e.close();
}

crate::lazy!(math "a8000000000000000000000000000001" fn draw_mathml(e: &mut Edits, tex: &str, display: bool) -> () {
    match crate::math::convert(tex, display) {
        Ok(el) => emit(e, &el),
        Err(_) => source(e, tex, display),
    }
});

fn emit(e: &mut Edits, el: &El) {
    e.open_math(el.tag);
    for (name, value) in &el.attrs {
        e.attr(name, value);
    }
    e.text(&el.text);
    for c in &el.children {
        emit(e, c);
    }
    e.close();
}
