//! From the parser's tokens to the block's flat inlines in one pass: delimiter runs become
//! the tags they open and close, a refused link its bare text, and plain text outside links
//! is searched for GFM extended autolinks; adjacent text is joined.

use crate::prelude::*;

use super::Tok;
use crate::markdown::autolink::{self, Piece};
use crate::markdown::tree::Inline;

pub(super) fn build(toks: Vec<Tok>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(toks.len());
    // Text not written yet: autolinks are looked for in all of it at once, so delimiter
    // runs that matched nothing are part of it (`a_b@c.d` is one address).
    let mut pending = String::new();
    // Per link or image open: whether it was refused (it writes neither open nor close).
    let mut open: Vec<bool> = Vec::new();
    for tok in toks {
        match tok {
            Tok::Text(t) => {
                pending.push_str(&t);
                continue;
            }
            Tok::Run {
                ch,
                left,
                closes: 0,
                ref opens,
            } if opens.is_empty() => {
                pending.push_str(&repeat_char(ch, left));
                continue;
            }
            _ => {}
        }
        flush(&mut out, &mut pending, open.is_empty());
        match tok {
            Tok::Text(_) => {}
            Tok::Bracket(b) => text(&mut out, b),
            Tok::Code(c) => out.push(Inline::Code(c)),
            Tok::Math { tex, display } => out.push(Inline::Math { tex, display }),
            Tok::Soft => out.push(Inline::SoftBreak),
            Tok::Hard => out.push(Inline::HardBreak),
            Tok::Open(tag) => {
                open.push(tag.is_none());
                if let Some(tag) = tag {
                    out.push(tag);
                }
            }
            Tok::Close => {
                if open.pop() == Some(false) {
                    out.push(Inline::Close);
                }
            }
            Tok::Run {
                ch,
                left,
                closes,
                opens,
            } => {
                for _ in 0..closes {
                    out.push(Inline::Close);
                }
                if left > 0 {
                    text(&mut out, &repeat_char(ch, left));
                }
                let mut opens = opens;
                while let Some(tag) = opens.pop() {
                    out.push(tag);
                }
            }
        }
    }
    flush(&mut out, &mut pending, open.is_empty());
    // A trailing hard break is not a break (spec: "not at the end of a block").
    if let Some(Inline::HardBreak | Inline::SoftBreak) = out.last() {
        out.pop();
    }
    out
}

/// Text, joined to the text before it.
fn text(out: &mut Vec<Inline>, t: &str) {
    if t.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(t),
        _ => out.push(Inline::Text(t.to_owned())),
    }
}

/// Writes the pending text, with its extended autolinks when it is outside links.
fn flush(out: &mut Vec<Inline>, pending: &mut String, autolinks: bool) {
    if pending.is_empty() {
        return;
    }
    if !autolinks {
        text(out, pending);
    } else {
        autolink::split(pending, &mut |piece| match piece {
            Piece::Text(s) => text(out, s),
            Piece::Link(url, shown) => {
                out.push(Inline::Link {
                    url,
                    title: String::new(),
                });
                text(out, shown);
                out.push(Inline::Close);
            }
        });
    }
    pending.clear();
}
