//! The tree as an HTML string in the CommonMark reference renderer's format: what
//! `renderMarkdown` returns and what the conformance tests compare. Every text and
//! attribute is escaped here; the tree cannot hold markup.

use crate::prelude::*;

use super::tree::{Align, Block, Inline, ListItem};

pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        block(b, &mut out, false);
    }
    out
}

pub fn escape(text: &str, out: &mut String) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

fn block(b: &Block, out: &mut String, tight: bool) {
    match b {
        Block::Paragraph(content) if tight => {
            inlines(content, out);
        }
        Block::Paragraph(content) => {
            out.push_str("<p>");
            inlines(content, out);
            out.push_str("</p>\n");
        }
        Block::Heading { level, content } => {
            let digit = char::from(b'0' + level);
            out.push_str("<h");
            out.push(digit);
            out.push('>');
            inlines(content, out);
            out.push_str("</h");
            out.push(digit);
            out.push_str(">\n");
        }
        Block::ThematicBreak => out.push_str("<hr />\n"),
        Block::CodeBlock {
            language, literal, ..
        } => {
            out.push_str("<pre><code");
            if let Some(lang) = language {
                out.push_str(" class=\"language-");
                escape(lang, out);
                out.push('"');
            }
            out.push('>');
            escape(literal, out);
            out.push_str("</code></pre>\n");
        }
        Block::BlockQuote(children) => {
            out.push_str("<blockquote>\n");
            for c in children {
                block(c, out, false);
            }
            out.push_str("</blockquote>\n");
        }
        Block::List {
            ordered,
            start,
            tight,
            items,
        } => {
            match (ordered, start) {
                (false, _) => out.push_str("<ul>\n"),
                (true, 1) => out.push_str("<ol>\n"),
                (true, n) => {
                    out.push_str("<ol start=\"");
                    crate::json::push_u64(out, *n);
                    out.push_str("\">\n");
                }
            }
            for item in items {
                list_item(item, *tight, out);
            }
            out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Table { align, head, rows } => {
            out.push_str("<table>\n<thead>\n<tr>\n");
            for (cell, a) in head.iter().zip(align) {
                table_cell("th", cell, *a, out);
            }
            out.push_str("</tr>\n</thead>\n");
            if !rows.is_empty() {
                out.push_str("<tbody>\n");
                for row in rows {
                    out.push_str("<tr>\n");
                    for (cell, a) in row.iter().zip(align) {
                        table_cell("td", cell, *a, out);
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n");
            }
            out.push_str("</table>\n");
        }
    }
}

fn list_item(item: &ListItem, tight: bool, out: &mut String) {
    out.push_str("<li>");
    if let Some(checked) = item.task {
        out.push_str(if checked {
            "<input checked=\"\" disabled=\"\" type=\"checkbox\"> "
        } else {
            "<input disabled=\"\" type=\"checkbox\"> "
        });
    }
    for (i, b) in item.blocks.iter().enumerate() {
        let inline_para = tight && matches!(b, Block::Paragraph(_));
        if !inline_para
            && (i > 0 || !tight || item.task.is_none())
            && !out.ends_with("\n")
            && !(tight && i == 0 && inline_para)
        {
            out.push('\n');
        }
        block(b, out, tight);
        if inline_para && i + 1 < item.blocks.len() {
            out.push('\n');
        }
    }
    out.push_str("</li>\n");
}

fn table_cell(tag: &str, content: &[Inline], align: Align, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    match align {
        Align::None => {}
        Align::Left => out.push_str(" align=\"left\""),
        Align::Center => out.push_str(" align=\"center\""),
        Align::Right => out.push_str(" align=\"right\""),
    }
    out.push('>');
    inlines(content, out);
    out.push_str("</");
    out.push_str(tag);
    out.push_str(">\n");
}

fn inlines(items: &[Inline], out: &mut String) {
    // The tags of the elements open here, for their `Close`.
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Inline::Text(t) => escape(t, out),
            Inline::Code(c) => {
                out.push_str("<code>");
                escape(c, out);
                out.push_str("</code>");
            }
            // Math stays TeX here, marked for the page's own renderer (the element draws
            // MathML; this renderer has no converter so that it stays small).
            Inline::Math { tex, display } => {
                out.push_str(if *display {
                    "<code class=\"math-display\">"
                } else {
                    "<code class=\"math-inline\">"
                });
                escape(tex, out);
                out.push_str("</code>");
            }
            Inline::Emph => start("em", &mut open, out),
            Inline::Strong => start("strong", &mut open, out),
            Inline::Strike => start("del", &mut open, out),
            Inline::Link { url, title } => {
                out.push_str("<a href=\"");
                escape(url, out);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape(title, out);
                    out.push('"');
                }
                out.push('>');
                open.push("a");
            }
            Inline::Image { url, title } => {
                out.push_str("<img src=\"");
                escape(url, out);
                out.push_str("\" alt=\"");
                let end = Inline::close_of(items, i);
                let mut text = String::new();
                Inline::plain_text(&items[i + 1..end], &mut text);
                escape(&text, out);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape(title, out);
                    out.push('"');
                }
                out.push_str(" />");
                i = end;
            }
            Inline::Close => {
                if let Some(tag) = open.pop() {
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br />\n"),
        }
        i += 1;
    }
}

fn start<'a>(tag: &'a str, open: &mut Vec<&'a str>, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    open.push(tag);
}
