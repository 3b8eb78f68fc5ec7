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

/// Every published record as `export documents --format jsonl` writes it.
pub async fn exported(app: &gongkai_app::App) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    gongkai_app::export::export_documents(
        app,
        &mut out,
        gongkai_app::export::Format::Jsonl,
        |_| {},
    )
    .await
    .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
