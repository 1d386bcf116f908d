//! From the flat token list to the tree: GFM extended autolinks in plain text, then the
//! delimiter runs and link brackets folded into nested inlines.

use crate::prelude::*;

use super::{Tag, Tok};
use crate::markdown::tree::Inline;

/// GFM extended autolinks (`www.`, `http(s)://`, emails) inside plain text outside links.
pub(super) fn autolink_pass(toks: Vec<Tok>) -> Vec<Tok> {
    // Delimiter runs that matched nothing are text: `a_b@c.d` is one address.
    let mut merged: Vec<Tok> = Vec::with_capacity(toks.len());
    for tok in toks {
        let tok = match tok {
            Tok::Run {
                ch,
                left,
                closes,
                opens,
            } if closes.is_empty() && opens.is_empty() => Tok::Text(repeat_char(ch, left)),
            other => other,
        };
        match (merged.last_mut(), tok) {
            (Some(Tok::Text(prev)), Tok::Text(t)) => prev.push_str(&t),
            (_, tok) => merged.push(tok),
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    let mut in_link = 0usize;
    for tok in merged {
        match tok {
            Tok::Open(Tag::Link { .. } | Tag::Image { .. } | Tag::Plain) => {
                in_link += 1;
                out.push(tok);
            }
            Tok::Close => {
                in_link = in_link.saturating_sub(1);
                out.push(tok);
            }
            Tok::Text(t) if in_link == 0 => {
                crate::markdown::autolink::split(&t, &mut |piece| match piece {
                    crate::markdown::autolink::Piece::Text(s) => out.push(Tok::Text(s.to_owned())),
                    crate::markdown::autolink::Piece::Link(href, text) => {
                        out.push(Tok::Open(Tag::Link {
                            url: href,
                            title: String::new(),
                        }));
                        out.push(Tok::Text(text.to_owned()));
                        out.push(Tok::Close);
                    }
                })
            }
            other => out.push(other),
        }
    }
    out
}

/// Folds the flat tokens into the tree.
pub(super) fn build(toks: Vec<Tok>) -> Vec<Inline> {
    let mut stack: Vec<(Tag, Vec<Inline>)> = Vec::new();
    let mut top: Vec<Inline> = Vec::new();
    fn push(stack: &mut [(Tag, Vec<Inline>)], top: &mut Vec<Inline>, node: Inline) {
        let list = match stack.last_mut() {
            Some((_, l)) => l,
            None => top,
        };
        if let (Inline::Text(t), Some(Inline::Text(prev))) = (&node, list.last_mut()) {
            prev.push_str(t);
            return;
        }
        list.push(node);
    }
    fn close(stack: &mut Vec<(Tag, Vec<Inline>)>, top: &mut Vec<Inline>) {
        let Some((tag, children)) = stack.pop() else {
            return;
        };
        let node = match tag {
            Tag::Emph => Inline::Emph(children),
            Tag::Strong => Inline::Strong(children),
            Tag::Strike => Inline::Strike(children),
            Tag::Link { url, title } => Inline::Link {
                url,
                title,
                children,
            },
            Tag::Image { url, title } => Inline::Image {
                url,
                title,
                alt: children,
            },
            Tag::Plain => {
                for c in children {
                    push(stack, top, c);
                }
                return;
            }
        };
        push(stack, top, node);
    }
    for tok in toks {
        match tok {
            Tok::Text(t) if t.is_empty() => {}
            Tok::Text(t) => push(&mut stack, &mut top, Inline::Text(t)),
            Tok::Bracket(b) => push(&mut stack, &mut top, Inline::Text(b.to_owned())),
            Tok::Code(c) => push(&mut stack, &mut top, Inline::Code(c)),
            Tok::Math { tex, display } => push(&mut stack, &mut top, Inline::Math { tex, display }),
            Tok::Soft => push(&mut stack, &mut top, Inline::SoftBreak),
            Tok::Hard => push(&mut stack, &mut top, Inline::HardBreak),
            Tok::Open(tag) => stack.push((tag, Vec::new())),
            Tok::Close => close(&mut stack, &mut top),
            Tok::Run {
                ch,
                left,
                closes,
                opens,
            } => {
                for _ in closes {
                    close(&mut stack, &mut top);
                }
                if left > 0 {
                    push(&mut stack, &mut top, Inline::Text(repeat_char(ch, left)));
                }
                for tag in opens.into_iter().rev() {
                    stack.push((tag, Vec::new()));
                }
            }
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    // A trailing hard break is not a break (spec: "not at the end of a block").
    if let Some(Inline::HardBreak | Inline::SoftBreak) = top.last() {
        top.pop();
    }
    top
}
