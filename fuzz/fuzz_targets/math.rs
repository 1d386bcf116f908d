//! The LaTeX → MathML converter on arbitrary text: never panics, stays within its bounds,
//! and writes only MathML Core elements whose attributes are its own.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::math::{convert, El, MAX_NODES};

const TAGS: &[&str] = &[
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "mspace", "mfrac", "msqrt", "mroot", "msub",
    "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "merror",
];
const ATTRS: &[&str] = &[
    "display", "mathvariant", "stretchy", "movablelimits", "accent", "accentunder", "displaystyle", "scriptlevel",
    "fence", "form", "width", "minsize", "maxsize", "linethickness", "encoding", "class",
];

fn check(el: &El) {
    assert!(TAGS.contains(&el.tag), "tag {}", el.tag);
    for (name, _) in &el.attrs {
        assert!(ATTRS.contains(name), "attribute {name}");
    }
    for c in &el.children {
        check(c);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let tex = String::from_utf8_lossy(rest);
    if let Ok(el) = convert(&tex, mode & 1 == 1) {
        assert!(el.count() <= MAX_NODES);
        check(&el);
    }
});
