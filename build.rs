//! Prepares what the wasm ships besides code: the element's stylesheets
//! (`src/widget/styles*.css`) stripped of comments and layout whitespace — only what cannot
//! change their meaning: spaces next to `{ } ; , >` and after a declaration's `:`, runs of
//! whitespace, the `;` before `}` — and its templates (`src/widget/*.html`) compiled to the
//! DOM edits of `src/dom/edits.rs` (`template`).

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap();
    for name in ["styles", "styles-extra", "styles-math"] {
        let src = format!("src/widget/{name}.css");
        println!("cargo:rerun-if-changed={src}");
        let css = std::fs::read_to_string(&src).expect("the element's stylesheets");
        let out = std::path::Path::new(&out_dir).join(format!("{name}.min.css"));
        std::fs::write(out, minify(&css)).unwrap();
    }
    let mut rust = String::new();
    for name in ["chrome"] {
        let src = format!("src/widget/{name}.html");
        for dep in [
            &src,
            "src/dom/edits.rs",
            "src/widget/chrome.rs",
            "src/widget/strings.rs",
        ] {
            println!("cargo:rerun-if-changed={dep}");
        }
        let html = std::fs::read_to_string(&src).expect("the element's templates");
        match template(&html, &Names::read()) {
            Ok(t) => rust.push_str(&t.to_rust(name)),
            Err(e) => panic!("{src}: {e}"),
        }
    }
    std::fs::write(std::path::Path::new(&out_dir).join("templates.rs"), rust).unwrap();
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

/// The names a template may use, read from the sources that define them, so that the two
/// cannot drift apart: the edit ops (`pub const OPEN: u8 = 1;` in `src/dom/edits.rs`), the
/// event codes (`chrome::code`) and the keys of the element's words (`strings::KEYS`).
pub struct Names {
    pub ops: std::collections::HashMap<String, u32>,
    pub codes: std::collections::HashMap<String, u32>,
    pub keys: Vec<String>,
}

impl Names {
    pub fn read() -> Names {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let keys_src = read("src/widget/strings.rs");
        let start = keys_src
            .find("const KEYS: &str = concat!(")
            .expect("strings::KEYS");
        let end = start + keys_src[start..].find(");").expect("the end of KEYS");
        let mut keys = Vec::new();
        for (i, part) in keys_src[start..end].split('"').enumerate() {
            if i % 2 == 1 {
                keys.extend(part.split_whitespace().map(str::to_owned));
            }
        }
        Names {
            ops: consts(&read("src/dom/edits.rs"), "u8"),
            codes: consts(&read("src/widget/chrome.rs"), "u32"),
            keys,
        }
    }
}

/// Every `pub const NAME: ty = N;` line.
fn consts(src: &str, ty: &str) -> std::collections::HashMap<String, u32> {
    let mut out = std::collections::HashMap::new();
    for line in src.lines() {
        let Some(rest) = line.trim().strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(&format!(": {ty} = ")) else {
            continue;
        };
        if let Ok(n) = value.trim_end_matches(';').parse() {
            out.insert(name.to_owned(), n);
        }
    }
    out
}

/// A compiled template: the edits that build it, its kept nodes in order, and the words the
/// page chooses, as `{slot as 'a'+n}{attribute, or nothing for the text}={key}` lines.
pub struct Template {
    pub edits: Vec<u8>,
    pub slots: Vec<String>,
    pub labels: String,
}

impl Template {
    fn to_rust(&self, name: &str) -> String {
        let upper = name.to_uppercase();
        let mut out = format!(
            "/// `src/widget/{name}.html` as DOM edits (build.rs).\npub const {upper}: &[u8] = b\""
        );
        for b in &self.edits {
            out.push_str(&std::ascii::escape_default(*b).to_string());
        }
        out.push_str(&format!(
            "\";\npub const {upper}_SLOTS: u32 = {};\npub const {upper}_LABELS: &str = {:?};\n",
            self.slots.len(),
            self.labels
        ));
        out.push_str(&format!("#[allow(dead_code)]\npub mod {name}_slot {{\n"));
        for (i, s) in self.slots.iter().enumerate() {
            out.push_str(&format!("    pub const {}: u32 = {i};\n", s.to_uppercase()));
        }
        out.push_str("}\n");
        out
    }
}

/// Compiles the HTML subset the templates are written in: elements with double-quoted or
/// bare (boolean) attributes, text, comments, `<input>` as the one void element and `/>` in
/// SVG. Whitespace between tags is layout; text is trimmed. Anything else is an error, so a
/// template cannot mean something the compiler did not understand.
pub fn template(html: &str, names: &Names) -> Result<Template, String> {
    let op = |n: &str| -> Result<u8, String> {
        names
            .ops
            .get(n)
            .map(|&v| v as u8)
            .ok_or(format!("no edit op {n} in src/dom/edits.rs"))
    };
    let mut t = Template {
        edits: Vec::new(),
        slots: Vec::new(),
        labels: String::new(),
    };
    let push_str = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    // Open elements: tag, slot (for a label on its text), inside an <svg>.
    let mut open: Vec<(String, Option<usize>, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").ok_or("a comment is not closed")? + 3..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("a closing tag is not closed")?;
            let (tag, _, _) = open
                .pop()
                .ok_or(format!("</{}> closes nothing", &r[..end]))?;
            if tag != r[..end].trim() {
                return Err(format!("</{}> closes <{tag}>", &r[..end]));
            }
            t.edits.push(op("CLOSE")?);
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find('>').ok_or("a tag is not closed")?;
            let mut inner = r[..end].trim();
            let self_closing = inner.ends_with('/');
            if self_closing {
                inner = inner[..inner.len() - 1].trim_end();
            }
            rest = &r[end + 1..];
            let (tag, mut attrs) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            let svg = tag == "svg" || open.last().is_some_and(|o| o.2);
            t.edits.push(op(if svg { "OPEN_SVG" } else { "OPEN" })?);
            push_str(&mut t.edits, tag);
            let mut slot = None;
            let mut labels = Vec::new();
            let mut on = None;
            loop {
                attrs = attrs.trim_start();
                if attrs.is_empty() {
                    break;
                }
                let name_end = attrs
                    .find(|c: char| c == '=' || c.is_whitespace())
                    .unwrap_or(attrs.len());
                let name = &attrs[..name_end];
                attrs = &attrs[name_end..];
                let value = if let Some(a) = attrs.strip_prefix("=\"") {
                    let close = a.find('"').ok_or(format!("{name}'s value is not closed"))?;
                    attrs = &a[close + 1..];
                    &a[..close]
                } else if attrs.starts_with('=') {
                    return Err(format!("{name}'s value is not in double quotes"));
                } else {
                    ""
                };
                if value.contains('&') || value.contains('<') {
                    return Err(format!("{name}: no character references or `<` in values"));
                }
                match name {
                    "keep" => {
                        slot = Some(t.slots.len());
                        t.slots.push(value.to_owned());
                    }
                    "on" => {
                        on = Some(
                            *names
                                .codes
                                .get(value)
                                .ok_or(format!("no event code {value} in chrome::code"))?,
                        )
                    }
                    _ if value.starts_with('{') => labels.push((name, key(value, names)?)),
                    _ => {
                        t.edits.push(op("ATTR")?);
                        push_str(&mut t.edits, name);
                        push_str(&mut t.edits, value);
                    }
                }
            }
            if let Some(code) = on {
                t.edits.push(op("ON")?);
                t.edits.extend_from_slice(&code.to_le_bytes());
            }
            if let Some(s) = slot {
                t.edits.push(op("KEEP")?);
                t.edits.extend_from_slice(&(s as u32).to_le_bytes());
            }
            for (name, key) in labels {
                let s = slot.ok_or(format!("<{tag}> has a word ({key}) but no keep"))?;
                t.labels
                    .push_str(&format!("{}{name}={key}\n", slot_char(s)?));
            }
            if self_closing || tag == "input" {
                t.edits.push(op("CLOSE")?);
            } else {
                open.push((tag.to_owned(), slot, svg));
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end].trim();
            rest = &rest[end..];
            if text.is_empty() {
                continue;
            }
            if text.contains('&') || text.contains('>') {
                return Err(format!("{text:?}: no character references or `>` in text"));
            }
            if text.starts_with('{') {
                let (tag, slot, _) = open.last().ok_or("a word outside any element")?;
                let s = slot.ok_or(format!("<{tag}> has a word ({text}) but no keep"))?;
                t.labels
                    .push_str(&format!("{}={}\n", slot_char(s)?, key(text, names)?));
            } else {
                t.edits.push(op("TEXT")?);
                push_str(&mut t.edits, text);
            }
        }
    }
    if let Some((tag, _, _)) = open.last() {
        return Err(format!("<{tag}> is not closed"));
    }
    t.labels.pop();
    Ok(t)
}

fn key<'a>(braced: &'a str, names: &Names) -> Result<&'a str, String> {
    let k = braced
        .strip_prefix('{')
        .and_then(|k| k.strip_suffix('}'))
        .ok_or(format!("{braced}: a word is written {{key}}, alone"))?;
    if !names.keys.iter().any(|n| n == k) {
        return Err(format!("{{{k}}}: no such key in widget/strings.rs"));
    }
    Ok(k)
}

fn slot_char(s: usize) -> Result<char, String> {
    if s >= 26 {
        return Err("more than 26 kept nodes with words".into());
    }
    Ok(char::from(b'a' + s as u8))
}
