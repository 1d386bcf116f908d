//! The markdown renderer on arbitrary text: never panics, the HTML holds only the tags the
//! renderer writes and only allowed link/image URLs, and streaming in chunks (sizes from
//! the first byte) ends in the tree of the whole parse.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::markdown::{parse, render_html, url, MarkdownStream};

const TAGS: &[&str] = &[
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "code", "blockquote", "ul", "ol", "li", "table", "thead",
    "tbody", "tr", "th", "td", "em", "strong", "del", "a", "img", "br", "input",
];

const ATTRS: &[&str] = &["href", "src", "alt", "title", "class", "start", "align", "type", "disabled", "checked"];

/// The attributes of a tag body (after the name): every value is quoted and escaped.
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest == "/" {
            return out;
        }
        let eq = rest.find("=\"").expect("attribute=\"value\"");
        let name = &rest[..eq];
        let value_end = rest[eq + 2..].find('"').expect("a closing quote");
        out.push((name, &rest[eq + 2..eq + 2 + value_end]));
        rest = &rest[eq + 2 + value_end + 1..];
    }
}

fn unescape_attr(v: &str) -> String {
    v.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let html = render_html(&text);
    for (i, _) in html.match_indices('<') {
        let tag = &html[i + 1..];
        let end = tag.find('>').expect("every < in the output closes a tag");
        let tag = &tag[..end];
        let body = tag.trim_start_matches('/');
        let name_len = body.find([' ', '/']).unwrap_or(body.len());
        let name = &body[..name_len];
        assert!(TAGS.contains(&name), "unexpected tag <{tag}> in {html:?}");
        for (attr, value) in attributes(&body[name_len..]) {
            assert!(ATTRS.contains(&attr), "unexpected attribute {attr:?} in <{tag}>");
            assert!(!value.contains(['"', '<', '>']), "unescaped value in <{tag}>");
            match attr {
                "href" => assert!(url::safe(&unescape_attr(value), false).is_some(), "unsafe href {value:?}"),
                "src" => assert!(url::safe(&unescape_attr(value), true).is_some(), "unsafe src {value:?}"),
                _ => {}
            }
        }
    }
    let step = usize::from(seed % 23) + 1;
    let mut stream = MarkdownStream::new();
    let chars: Vec<char> = text.chars().collect();
    for chunk in chars.chunks(step) {
        stream.push(&chunk.iter().collect::<String>());
    }
    assert_eq!(stream.finish(), parse(&text));
});
