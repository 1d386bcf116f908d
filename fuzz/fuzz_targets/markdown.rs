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

fn attr_values<'a>(tag: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    tag.match_indices(&key).map(|(i, _)| {
        let rest = &tag[i + key.len()..];
        &rest[..rest.find('"').unwrap_or(rest.len())]
    }).collect()
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
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
        assert!(TAGS.contains(&name), "unexpected tag <{tag}> in {html:?}");
        assert!(!tag.contains(" on"), "event handler attribute in <{tag}>");
        for v in attr_values(tag, "href") {
            assert!(url::safe(&unescape_attr(v), false).is_some(), "unsafe href {v:?}");
        }
        for v in attr_values(tag, "src") {
            assert!(url::safe(&unescape_attr(v), true).is_some(), "unsafe src {v:?}");
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
