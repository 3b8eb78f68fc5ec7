//! Integration tests of gongkai-domain: one binary, one module per domain module.
#![allow(clippy::unwrap_used)]

mod column;
mod docno;
mod document;
mod fee;
mod index_number;
mod org;
mod scan;
mod text;
mod topic;
