//! rill-chat: a streaming AI chat for any web page, in Rust compiled to WebAssembly.
//!
//! The crate is split so that most logic runs under plain `cargo test`: the pure modules
//! (`sse`, `swar`, `json`, `protocol`, `conversation`, `error`) never touch the browser; `transport`,
//! `bindings` and `widget` are the thin wasm-only layer that connects them to `fetch`, the
//! DOM and JavaScript.

// The shipped wasm (`--features ship`, scripts/build.sh) is `no_std`: a panic traps instead of
// running std's hook and formatting, and `heap` is the allocator (smaller than std's dlmalloc
// and than talc).
// Every other build (native tests, the browser tests) keeps std.
#![cfg_attr(feature = "ship", no_std)]

#[cfg(all(feature = "ship", feature = "std"))]
compile_error!("`ship` is the no_std build: use --no-default-features --features ship");

extern crate alloc;

#[cfg(all(feature = "ship", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "ship", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: heap::Heap = heap::Heap::new(heap::wasm_grow);

#[cfg(any(test, feature = "ship"))]
mod heap;

mod prelude;
#[macro_use]
pub mod split;

pub mod conversation;
pub mod dom;
pub mod error;
pub mod highlight;
pub mod json;
pub mod markdown;
pub mod math;
pub mod protocol;
pub mod sse;
mod swar;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod extra;
#[cfg(target_arch = "wasm32")]
mod jsvalue;
#[cfg(target_arch = "wasm32")]
mod task;
#[cfg(target_arch = "wasm32")]
mod transport;
#[cfg(target_arch = "wasm32")]
mod widget;

/// The JS-facing classes, also reachable from Rust for the browser tests.
#[cfg(target_arch = "wasm32")]
pub use bindings::{ChatCore, RillWidget};
