//! The element's templates (`src/widget/*.html`) are compiled by `build.rs` into the DOM edits
//! of `src/dom/edits.rs`: these tests read the edits back and check that they build what the
//! HTML says, and that the compiler refuses what it does not understand.

#[path = "../build.rs"]
#[allow(dead_code)]
mod build;

use build::{template, Names};

/// The edits read back as HTML, kept nodes marked `#slot` and event codes `!code`, so a
/// test compares structures instead of bytes.
fn replay(edits: &[u8], names: &Names) -> String {
    let op = |n: &str| names.ops[n] as u8;
    let mut i = 0;
    let u32_at = |i: &mut usize| {
        let v = u32::from_le_bytes(edits[*i..*i + 4].try_into().unwrap());
        *i += 4;
        v
    };
    let str_at = |i: &mut usize| {
        let n = u32_at(i) as usize;
        let s = std::str::from_utf8(&edits[*i..*i + n]).unwrap().to_owned();
        *i += n;
        s
    };
    let (mut out, mut stack, mut in_tag) = (String::new(), Vec::new(), false);
    while i < edits.len() {
        let code = edits[i];
        i += 1;
        let end_tag = |out: &mut String, in_tag: &mut bool| {
            if std::mem::take(in_tag) {
                out.push('>');
            }
        };
        if code == op("OPEN") || code == op("OPEN_SVG") {
            end_tag(&mut out, &mut in_tag);
            let tag = str_at(&mut i);
            let svg = if code == op("OPEN_SVG") { "svg:" } else { "" };
            out.push_str(&format!("<{svg}{tag}"));
            stack.push(tag);
            in_tag = true;
        } else if code == op("ATTR") {
            let (name, value) = (str_at(&mut i), str_at(&mut i));
            out.push_str(&format!(" {name}=\"{value}\""));
        } else if code == op("KEEP") {
            out.push_str(&format!(" #{}", u32_at(&mut i)));
        } else if code == op("ON") {
            out.push_str(&format!(" !{}", u32_at(&mut i)));
        } else if code == op("TEXT") {
            end_tag(&mut out, &mut in_tag);
            out.push_str(&str_at(&mut i));
        } else if code == op("CLOSE") {
            end_tag(&mut out, &mut in_tag);
            out.push_str(&format!(
                "</{}>",
                stack.pop().expect("a CLOSE with nothing open")
            ));
        } else {
            panic!("a template has op {code} at {}", i - 1);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    out
}

#[test]
fn a_template_builds_what_its_html_says() {
    let names = Names::read();
    let t = template(
        r#"<!-- a comment -->
        <div class="a" part="b" keep="outer" aria-label="{send}">
          <button type="button" on="SEND" hidden keep="go">{stop}</button>
          <input type="file" multiple>
          <span>+</span>
          <svg viewBox="0 0 1 1"><path d="M0 0"/></svg>
        </div>"#,
        &names,
    )
    .unwrap();
    assert_eq!(
        replay(&t.edits, &names),
        concat!(
            r#"<div class="a" part="b" #0><button type="button" hidden="" !1 #1></button>"#,
            r#"<input type="file" multiple=""></input><span>+</span>"#,
            r#"<svg:svg viewBox="0 0 1 1"><svg:path d="M0 0"></path></svg></div>"#,
        )
    );
    assert_eq!(t.slots, ["outer", "go"]);
    assert_eq!(t.labels, "aaria-label=send\nb=stop");
}

#[test]
fn the_chrome_compiles_with_a_handle_for_each_control_and_known_words() {
    let names = Names::read();
    let html = std::fs::read_to_string("src/widget/chrome.html").unwrap();
    let t = template(&html, &names).unwrap();
    assert_eq!(
        t.slots[0], "frame",
        "the frame's handle is the base (widget/chrome.rs)"
    );
    assert_eq!(t.slots.len(), 16);
    let shown = replay(&t.edits, &names);
    assert!(
        shown.starts_with(
            r#"<div class="frame" part="container" role="region" id="rill-frame" #0>"#
        ),
        "{shown}"
    );
    assert!(
        shown.contains(
            r#"<textarea class="input" part="input" rows="1" dir="auto" !2 #11></textarea>"#
        ),
        "{shown}"
    );
    // Every word the page may change is set by `Chrome::label`, not written into the edits.
    assert!(!shown.contains('{'), "{shown}");
    for line in t.labels.lines() {
        let key = line.split_once('=').unwrap().1;
        assert!(names.keys.iter().any(|k| k == key), "{key}");
    }
}

#[test]
fn the_compiler_refuses_what_it_does_not_understand() {
    let names = Names::read();
    for (html, why) in [
        ("<div>", "is not closed"),
        ("<div></span>", "closes <div>"),
        ("</div>", "closes nothing"),
        ("<p>a &amp; b</p>", "no character references"),
        ("<p class='x'></p>", "double quotes"),
        (r#"<p title="{nope}" keep="p"></p>"#, "no such key"),
        (r#"<p title="{send}"></p>"#, "no keep"),
        ("<p>{send}</p>", "no keep"),
        (r#"<button on="NOPE"></button>"#, "no event code"),
        ("<!-- open", "not closed"),
    ] {
        let err = match template(html, &names) {
            Ok(_) => panic!("{html} compiled"),
            Err(e) => e,
        };
        assert!(err.contains(why), "{html}: {err}");
    }
}
