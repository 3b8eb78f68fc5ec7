//! Architecture invariants of ARCHITECTURE.md, checked against `cargo metadata` and the
//! sources (rust-analyzer's tidy tests do the same).
#![allow(clippy::unwrap_used)]

mod architecture;
