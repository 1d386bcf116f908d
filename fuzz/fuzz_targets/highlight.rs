//! The highlighter on arbitrary text in every language: never panics, and each line's
//! tokens cover it exactly, in order, ending on character boundaries, whatever state the
//! lines before left behind.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::highlight::{languages, Highlighter};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let names: Vec<&str> = languages().collect();
    let name = names[usize::from(pick) % names.len()];
    let text = String::from_utf8_lossy(rest);
    let mut h = Highlighter::new(name).expect("every listed language is found by its name");
    let mut tokens = Vec::new();
    for line in text.split('\n') {
        tokens.clear();
        h.line(line, &mut tokens);
        let mut from = 0;
        for t in &tokens {
            assert!(t.end > from, "an empty or backwards token in {line:?}");
            assert!(line.is_char_boundary(t.end), "a token ends inside a character in {line:?}");
            from = t.end;
        }
        assert_eq!(from, line.len(), "the tokens do not cover {line:?}");
    }
});
