//! Attachment files: bytes on disk under `<data>/files/`, named by their SHA-256, with the
//! text extracted once at upload for search and the sensitive-information scan.

use std::path::{Path, PathBuf};
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
    let kind = FileKind::detect(&file_name, &bytes);
    let size = bytes.len() as i64;
    let sha = store_bytes(app, &bytes).await?;
    let (text, text_problem) = extract_text(document_id, &file_name, bytes.clone()).await?;
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
    // The same bytes may have been purged meanwhile as another attachment's last copy.
    store_bytes(app, &bytes).await?;
    Ok(row)
}

/// Writes bytes to the content-addressed store (once per content); returns their SHA-256.
async fn store_bytes(app: &App, bytes: &[u8]) -> Result<String> {
    let sha = hex::encode(Sha256::digest(bytes));
    let path = path_of(app, &sha);
    if let Some(dir) = path.parent() {
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || {
            gongkai_store::private_fs::create_dir(&dir).map_err(|e| (dir, e))
        })
        .await
        .map_err(|e| Error::internal(format!("create: {e}")))?
        .map_err(|(dir, e)| Error::internal(format!("create {}: {e}", dir.display())))?;
    }
    if tokio::fs::metadata(&path).await.is_err() {
        let tmp = path.with_extension("part");
        let (at, owned) = (tmp.clone(), bytes.to_vec());
        tokio::task::spawn_blocking(move || gongkai_store::private_fs::write_file(&at, &owned))
            .await
            .map_err(|e| Error::internal(format!("write: {e}")))?
            .map_err(|e| Error::internal(format!("write {}: {e}", tmp.display())))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| Error::internal(format!("rename {}: {e}", path.display())))?;
    }
    Ok(sha)
}

/// Deletes stored bytes no attachment refers to any more (a replaced unredacted file must
/// not stay on disk).
async fn purge(app: &App, sha: &str) -> Result<()> {
    let mut c = app.db().conn().await?;
    if attachments::count_with_sha(&mut c, sha).await? > 0 {
        return Ok(());
    }
    let path = path_of(app, sha);
    match tokio::fs::remove_file(&path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::internal(format!("remove {}: {e}", path.display()))),
    }
}

/// The text of a file for search and the scan, and why part of it could not be read.
async fn extract_text(
    document_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<(String, Option<String>)> {
    let name_for_extract = file_name.to_owned();
    let extraction = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || extract(&name_for_extract, &bytes)),
    )
    .await;
    Ok(match extraction {
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
    })
}

/// The bytes of a stored attachment.
pub async fn read(app: &App, attachment: &Attachment) -> Result<Vec<u8>> {
    let path = path_of(app, &attachment.sha256);
    tokio::fs::read(&path)
        .await
        .map_err(|e| Error::internal(format!("read {}: {e}", path.display())))
}

fn path_of(app: &App, sha: &str) -> PathBuf {
    path_of_sha(app.data_dir(), sha)
}

/// Where the store keeps the bytes of this SHA-256 under `data_dir`.
pub fn path_of_sha(data_dir: &Path, sha: &str) -> PathBuf {
    data_dir
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

/// A redacted copy of an attachment: each value replaced by its mask in the text of a plain
/// text file or in every XML part of a DOCX or XLSX; a PDF flattened into page images with
/// the values painted over (`gongkai_search::pdf_redact`). The copy's text is extracted
/// again and the redaction refused if a value survives (split across formatting, in an
/// image) or a flattened PDF still has a text layer. Returns how many values were masked.
pub(crate) async fn redact(
    app: &App,
    actor: Actor<'_>,
    document_id: i64,
    att: &Attachment,
    values: &[(String, String)],
    config: &gongkai_domain::ScanConfig,
) -> Result<usize> {
    let bytes = read(app, att).await?;
    let kind = FileKind::detect(&att.file_name, &bytes);
    let task_failed = |e: tokio::task::JoinError| Error::internal(format!("redact task: {e}"));
    let (redacted, text) = match kind {
        FileKind::Text => {
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            for (value, mask) in values {
                text = text.replace(value.as_str(), mask);
            }
            (text.into_bytes(), None)
        }
        FileKind::Docx | FileKind::Xlsx => {
            let values = values.to_vec();
            let redacted = tokio::task::spawn_blocking(move || zip_replace(&bytes, &values))
                .await
                .map_err(task_failed)??;
            (redacted, None)
        }
        FileKind::Pdf => {
            let only_values: Vec<String> = values.iter().map(|(v, _)| v.clone()).collect();
            let out = tokio::task::spawn_blocking(move || {
                gongkai_search::pdf_redact::redact(&bytes, &only_values)
            })
            .await
            .map_err(task_failed)?
            .map_err(|e| {
                Error::Invalid(format!(
                    "附件“{}”无法自动脱敏（{e}）：请上传脱敏后的文件替换",
                    att.file_name
                ))
            })?;
            if !out.not_found.is_empty() {
                return Err(Error::Invalid(format!(
                    "附件“{}”中有 {} 处扫描结果在页面上定位不到，未能遮盖：请上传脱敏后的文件替换",
                    att.file_name,
                    out.not_found.len()
                )));
            }
            // The pages are pictures now: their text is the old text with the values
            // masked, and the new file must have no text layer left.
            let mut text = att.text.clone();
            for (value, mask) in values {
                text = text.replace(value.as_str(), mask);
            }
            (out.bytes, Some(text))
        }
        _ => {
            return Err(Error::Invalid(format!(
                "附件“{}”（{}）无法自动脱敏：请上传脱敏后的文件替换，或说明保留理由",
                att.file_name,
                kind.label()
            )));
        }
    };
    let (extracted, problem) = extract_text(document_id, &att.file_name, redacted.clone()).await?;
    let (text, problem) = match text {
        // A flattened PDF: any text read from it is a layer the redaction missed.
        Some(masked) if extracted.trim().is_empty() => (masked, None),
        Some(_) => (extracted, Some("脱敏后的文件仍有文字层".to_owned())),
        None => (extracted, problem),
    };
    let survivors = gongkai_domain::scan(&text, config)
        .iter()
        .filter(|f| values.iter().any(|(v, _)| *v == f.text))
        .count();
    if survivors > 0 || problem.is_some() {
        return Err(Error::Invalid(format!(
            "附件“{}”自动脱敏后复查仍有 {survivors} 处未被遮盖（可能被格式拆开）：请上传脱敏后的文件替换",
            att.file_name
        )));
    }
    let sha = store_bytes(app, &redacted).await?;
    let mut tx = app.db().begin().await?;
    let new = attachments::NewAttachment {
        document_id,
        file_name: &att.file_name,
        media_type: kind.media_type(),
        byte_size: redacted.len() as i64,
        sha256: &sha,
        text: &text,
        text_problem: None,
    };
    if !attachments::replace_content(&mut tx, att.id, &new).await? {
        return Err(Error::NotFound("附件"));
    }
    let doc = documents::by_id(&mut tx, document_id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.redact",
        "document",
        Some(document_id),
        Some(doc.org_id),
        serde_json::json!({"source": format!("attachment:{}", att.id), "count": values.len(), "sha256": sha}),
    )
    .await?;
    tx.commit().await?;
    store_bytes(app, &redacted).await?;
    // The unredacted bytes go with their last reference.
    purge(app, &att.sha256).await?;
    Ok(values.len())
}

/// Rewrites a DOCX or XLSX with each value replaced in its XML parts; other parts are
/// copied. A number cell of a worksheet whose value became a mask turns into a text cell.
fn zip_replace(bytes: &[u8], values: &[(String, String)]) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let bad = |e: zip::result::ZipError| Error::Invalid(format!("附件无法读取：{e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        let name = entry.name().to_owned();
        // Parts are at most 64 MiB, as the extraction allows.
        let mut data = Vec::new();
        (&mut entry)
            .take(64 * 1024 * 1024)
            .read_to_end(&mut data)
            .map_err(|e| Error::Invalid(format!("附件无法读取：{e}")))?;
        if name.ends_with(".xml") {
            let mut xml = String::from_utf8_lossy(&data).into_owned();
            for (value, mask) in values {
                xml = xml.replace(value.as_str(), mask);
                if name.starts_with("xl/worksheets/") {
                    xml = number_cells_to_text(&xml, mask);
                }
            }
            data = xml.into_bytes();
        }
        out.start_file(name, options).map_err(bad)?;
        out.write_all(&data)
            .map_err(|e| Error::internal(format!("zip write: {e}")))?;
    }
    Ok(out.finish().map_err(bad)?.into_inner())
}

/// `<c r="B2"><v>139****2345</v></c>` (a number cell holding a mask, which no spreadsheet
/// reads) as `<c r="B2" t="inlineStr"><is><t>139****2345</t></is></c>`.
fn number_cells_to_text(xml: &str, mask: &str) -> String {
    let needle = format!("<v>{mask}</v>");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&needle) {
        let (before, after) = rest.split_at(at);
        let cell = before.rfind("<c ").and_then(|c| {
            let tag_end = c + before[c..].find('>')?;
            let tag = &before[c..tag_end];
            let inside = &before[tag_end..];
            (!tag.contains(" t=") && !inside.contains("<f")).then_some((c, tag_end))
        });
        match cell {
            Some((_, tag_end)) => {
                out.push_str(&before[..tag_end]);
                out.push_str(" t=\"inlineStr\"");
                out.push_str(&before[tag_end..]);
                out.push_str("<is><t>");
                out.push_str(mask);
                out.push_str("</t></is>");
            }
            None => {
                out.push_str(before);
                out.push_str(&needle);
            }
        }
        rest = &after[needle.len()..];
    }
    out.push_str(rest);
    out
}

/// Removes an attachment from a draft (a 经办人 of its organization), for instance after
/// uploading a redacted version of a PDF that cannot be redacted here.
pub async fn remove(
    app: &App,
    actor: Actor<'_>,
    document_id: i64,
    attachment_id: i64,
) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, document_id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, Role::Clerk)?;
    if doc.stage != Stage::Draft {
        return Err(Error::Invalid(format!(
            "文件状态为“{}”，只有草稿可以删除附件；如需修改，请先退回",
            doc.stage.label()
        )));
    }
    let att = attachments::by_id(&mut tx, attachment_id)
        .await?
        .filter(|a| a.document_id == document_id)
        .ok_or(Error::NotFound("附件"))?;
    attachments::delete(&mut tx, att.id, document_id).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.attachment_removed",
        "document",
        Some(document_id),
        Some(doc.org_id),
        serde_json::json!({"attachment": att.id, "file_name": att.file_name, "sha256": att.sha256}),
    )
    .await?;
    tx.commit().await?;
    purge(app, &att.sha256).await?;
    Ok(())
}
