//! Use-case stories, each on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

mod auth;
mod import;
mod publish;
mod requests;
