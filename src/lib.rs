//! rill-chat: a streaming AI chat for any web page, in Rust compiled to WebAssembly.
//!
//! The crate is split so that most logic runs under plain `cargo test`: the pure modules
//! (`sse`, `json`, `protocol`, `conversation`, `error`) never touch the browser; `transport`,
//! `bindings` and `widget` are the thin wasm-only layer that connects them to `fetch`, the
//! DOM and JavaScript.

pub mod conversation;
pub mod error;
pub mod json;
pub mod markdown;
pub mod protocol;
pub mod sse;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod transport;
#[cfg(target_arch = "wasm32")]
mod widget;

/// The JS-facing classes, also reachable from Rust for the browser tests.
#[cfg(target_arch = "wasm32")]
pub use bindings::{ChatCore, JsSseParser, RillWidget};
