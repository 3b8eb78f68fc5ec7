//! Use-case stories, each on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

mod auth;
mod backup;
mod import;
mod intake;
mod letters;
mod portal;
mod publish;
mod report;
mod requests;
mod rerun;
mod search;
mod workflow;
