//! The element's stylesheet (`styles.css`), adopted into the shadow root through a
//! constructable stylesheet so it works under `style-src 'self'` (no `<style>`, no
//! `style=""`). Every colour and size is a `--rill-*` custom property the page can override.
//! `build.rs` strips its comments and layout whitespace (`tests/stylesheet.rs` checks that
//! nothing else changes).

pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/styles.min.css"));
