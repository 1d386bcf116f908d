//! What `std`'s prelude gives every file, from `alloc`, so the crate also builds as `no_std`
//! (the shipped wasm: no std panic and formatting machinery, see `lib.rs`).

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::format;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
