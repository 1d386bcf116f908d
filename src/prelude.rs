//! What `std`'s prelude gives every file, from `alloc`, so the crate also builds as `no_std`
//! (the shipped wasm: no std panic and formatting machinery, see `lib.rs`).

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;

/// The pieces joined: how messages are built on release paths instead of `format!`, whose
/// formatting machinery costs kilobytes of wasm.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}
