//! Integration tests of gongkai-domain: one binary, one module per domain module.
#![allow(clippy::unwrap_used)]

mod application;
mod calendar;
mod column;
mod deadline;
mod disclosure;
mod docno;
mod document;
mod draft;
mod fee;
mod index_number;
mod org;
mod report;
mod report_layout;
mod request;
mod scan;
mod text;
mod topic;
mod workflow;
