//! The stylesheets the wasm ships are `src/widget/styles*.css` with only comments and layout
//! whitespace taken out (by `build.rs`): same rules, same declarations, same selectors.

#[path = "../build.rs"]
#[allow(dead_code)]
mod build;

/// The text with every space and comment removed: what minifying may not change.
fn squeezed(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out.split_whitespace()
        .collect::<String>()
        .replace(";}", "}")
}

#[test]
fn the_shipped_stylesheets_are_the_sources_without_comments_and_layout() {
    for source in [
        include_str!("../src/widget/styles-extra.css"),
        include_str!("../src/widget/styles-math.css"),
    ] {
        let css = build::minify(source);
        assert!(!css.contains("/*") && !css.contains('\n') && !css.contains("  "));
        assert_eq!(squeezed(&css), squeezed(source));
    }
    let source = include_str!("../src/widget/styles.css");
    let css = build::minify(source);
    assert!(!css.contains("/*") && !css.contains('\n') && !css.contains("  "));
    assert!(
        css.len() * 100 < source.len() * 90,
        "{} of {} bytes",
        css.len(),
        source.len()
    );
    assert_eq!(squeezed(&css), squeezed(source));
    // Spaces that mean something stay: descendant combinators and those inside values.
    assert!(css.contains(".msg .body") || !source.contains(".msg .body"));
    assert!(css.contains("font:15px/1.5 var(--rill-font)"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
}

#[test]
fn minifying_keeps_meaningful_spaces() {
    let css = build::minify("a :hover , b > c { color: red ; margin: 0 auto ; }\n/* x */ d e{x:1}");
    assert_eq!(css, "a :hover,b>c{color:red;margin:0 auto}d e{x:1}");
}
