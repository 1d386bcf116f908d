//! Strips the element's stylesheets (`src/widget/styles*.css`) of comments and layout
//! whitespace for the wasm (they ship inside it): only what cannot change its meaning — spaces next to `{ } ; , >` and after a
//! declaration's `:`, runs of whitespace, the `;` before `}`.

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap();
    for name in ["styles", "styles-extra", "styles-math"] {
        let src = format!("src/widget/{name}.css");
        println!("cargo:rerun-if-changed={src}");
        let css = std::fs::read_to_string(&src).expect("the element's stylesheets");
        let out = std::path::Path::new(&out_dir).join(format!("{name}.min.css"));
        std::fs::write(out, minify(&css)).unwrap();
    }
}

pub fn minify(css: &str) -> String {
    // Comments out, whitespace runs to one space.
    let mut flat = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        flat.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    flat.push_str(rest);
    let mut spaced = String::with_capacity(flat.len());
    for word in flat.split_whitespace() {
        if !spaced.is_empty() {
            spaced.push(' ');
        }
        spaced.push_str(word);
    }
    // No space around these; inside a block, none after `:` either (no selector has a space
    // right after a colon; one before it is a descendant combinator and stays).
    let b = spaced.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut depth = 0usize;
    let tight = |c: u8| matches!(c, b'{' | b'}' | b';' | b',' | b'>');
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' {
            let prev = out.last().copied().unwrap_or(b'{');
            let next = b.get(i + 1).copied().unwrap_or(b'}');
            if tight(prev) || tight(next) || depth > 0 && prev == b':' {
                continue;
            }
        }
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if out.last() == Some(&b';') {
                    out.pop();
                }
            }
            _ => {}
        }
        out.push(c);
    }
    String::from_utf8(out).expect("only ASCII spaces and semicolons were taken out")
}
