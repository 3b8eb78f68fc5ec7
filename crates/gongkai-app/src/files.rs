//! Attachment files: bytes on disk under `<data>/files/`, named by their SHA-256, with the
//! text extracted once at upload for search and the sensitive-information scan.

use std::path::PathBuf;
use std::time::Duration;

use gongkai_search::{FileKind, extract};
use gongkai_store::attachments::{self, Attachment};
use gongkai_store::documents;
use sha2::{Digest, Sha256};

use crate::documents::Actor;
use crate::{App, Error, Result};
use gongkai_domain::workflow::Stage;
use gongkai_domain::{DocStatus, Role};

/// Whether PDF attachments can be read here (poppler's `pdftotext` and `poppler-data`);
/// the message says what to install. Without them every PDF is stored as unreadable.
pub use gongkai_search::pdf::check_support as check_pdf_support;

/// Largest attachment accepted, in bytes.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// Stores `bytes` as an attachment of record `document_id` and extracts its text.
/// A file whose text cannot be read, in whole or in part, is still stored, with what
/// could be read and the reason in `text_problem`.
pub async fn attach(
    app: &App,
    actor: Actor<'_>,
    document_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Attachment> {
    let file_name = clean_file_name(file_name)?;
    // Who may attach, and to what, is checked before a byte is written.
    {
        let mut c = app.db().conn().await?;
        let doc = documents::by_id(&mut c, document_id)
            .await?
            .ok_or(Error::NotFound("文件"))?;
        actor.require(doc.org_id, Role::Clerk)?;
        if doc.status == DocStatus::Withdrawn {
            return Err(Error::Invalid("已撤回的文件不能再添加附件".into()));
        }
        // A person attaches to a draft: a file added after submission would skip the review.
        if matches!(actor, Actor::Staff(_)) && doc.stage != Stage::Draft {
            return Err(Error::Invalid(format!(
                "文件状态为“{}”，只有草稿可以添加附件；如需补充，请先退回",
                doc.stage.label()
            )));
        }
    }
    if bytes.len() > MAX_BYTES {
        return Err(Error::Invalid(format!(
            "附件 {file_name} 超过 {} MB",
            MAX_BYTES / 1024 / 1024
        )));
    }
    let sha = hex::encode(Sha256::digest(&bytes));
    let kind = FileKind::detect(&file_name, &bytes);
    let path = path_of(app, &sha);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| Error::internal(format!("create {}: {e}", dir.display())))?;
    }
    if tokio::fs::metadata(&path).await.is_err() {
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, &bytes)
            .await
            .map_err(|e| Error::internal(format!("write {}: {e}", tmp.display())))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| Error::internal(format!("rename {}: {e}", path.display())))?;
    }
    let size = bytes.len() as i64;
    let name_for_extract = file_name.clone();
    let extraction = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || extract(&name_for_extract, &bytes)),
    )
    .await;
    let (text, text_problem) = match extraction {
        Ok(Ok(Ok(extracted))) => {
            let note = extracted.unread_note();
            if note.is_some() {
                tracing::warn!(
                    document.id = document_id,
                    pages = extracted.unread.len(),
                    "attachment pages without readable text"
                );
            }
            (extracted.text, note)
        }
        Ok(Ok(Err(e))) => {
            tracing::warn!(document.id = document_id, error = %e, "attachment text not extracted");
            (String::new(), Some(e.to_string()))
        }
        Ok(Err(e)) => return Err(Error::internal(format!("extract task: {e}"))),
        Err(_) => {
            tracing::warn!(
                document.id = document_id,
                "attachment text extraction timed out"
            );
            (
                String::new(),
                Some("读取文字超时，未经检索和敏感信息扫描，请人工核查".to_owned()),
            )
        }
    };
    let mut tx = app.db().begin().await?;
    let org_id = match documents::by_id(&mut tx, document_id).await? {
        None => return Err(Error::NotFound("文件")),
        Some(d) if d.status == DocStatus::Withdrawn => {
            return Err(Error::Invalid("已撤回的文件不能再添加附件".into()));
        }
        Some(d) if matches!(actor, Actor::Staff(_)) && d.stage != Stage::Draft => {
            return Err(Error::Conflict(
                "此文件刚被提交，附件未添加，请先退回".into(),
            ));
        }
        Some(d) => d.org_id,
    };
    let new = attachments::NewAttachment {
        document_id,
        file_name: &file_name,
        media_type: kind.media_type(),
        byte_size: size,
        sha256: &sha,
        text: &text,
        text_problem: text_problem.as_deref(),
    };
    let row = attachments::insert(&mut tx, &new, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.attach",
        "document",
        Some(document_id),
        Some(org_id),
        serde_json::json!({"attachment": row.id, "file_name": file_name, "sha256": sha, "text_problem": text_problem}),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The bytes of a stored attachment.
pub async fn read(app: &App, attachment: &Attachment) -> Result<Vec<u8>> {
    let path = path_of(app, &attachment.sha256);
    tokio::fs::read(&path)
        .await
        .map_err(|e| Error::internal(format!("read {}: {e}", path.display())))
}

fn path_of(app: &App, sha: &str) -> PathBuf {
    app.data_dir()
        .join("files")
        .join(&sha[..2.min(sha.len())])
        .join(sha)
}

/// The last path component of an uploaded name, without control characters.
pub fn clean_file_name(name: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() || cleaned.chars().count() > 200 {
        return Err(Error::Invalid(
            "附件文件名不能为空，且不超过 200 个字符".into(),
        ));
    }
    Ok(cleaned)
}
