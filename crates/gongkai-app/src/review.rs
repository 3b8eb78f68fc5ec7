//! 保密审查 (SPEC C3, DOMAIN A8): the scan over a record's body and every attachment's text,
//! and what people decided about each finding. A finding is resolved when it no longer
//! matches (redacted) or was kept with a written reason; an attachment whose text could not
//! be read in full is resolved when a person checked it by eye. Approval waits for all.

use gongkai_domain::{FindingKind, ScanConfig, mask, scan};
use gongkai_store::attachments::Attachment;
use gongkai_store::documents::Document;
use gongkai_store::scan_keeps::{self, Keep};
use gongkai_store::{Handle, attachments, documents};
use sha2::{Digest, Sha256};

use crate::documents::Actor;
use crate::{App, Error, Result, body};

/// Where a finding is: the body, or an attachment.
pub const BODY: &str = "body";

/// One finding as the reviewer sees it: the value masked, never in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFinding {
    /// `body` or `attachment:ID`.
    pub source: String,
    /// 正文, or the attachment's file name.
    pub source_label: String,
    /// What was found.
    pub kind: FindingKind,
    /// The value masked as a redaction would show it.
    pub masked: String,
    /// 1-based line in the text.
    pub line: u32,
    /// Names the finding in forms: a hash of its kind and value.
    pub value_hash: String,
    /// The reason it stays, when someone kept it.
    pub kept: Option<String>,
}

/// An attachment whose text was not read in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadAttachment {
    /// Attachment id.
    pub id: i64,
    /// File name.
    pub file_name: String,
    /// Why (Chinese).
    pub problem: String,
    /// The note of the person who checked it, when someone did.
    pub checked: Option<String>,
}

/// The review of one record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// Every finding, body first, then attachments in order.
    pub findings: Vec<ReviewFinding>,
    /// Attachments not read in full.
    pub unread: Vec<UnreadAttachment>,
}

impl Review {
    /// Findings neither redacted nor kept, and unread attachments no one checked.
    pub fn unresolved(&self) -> usize {
        self.findings.iter().filter(|f| f.kept.is_none()).count()
            + self.unread.iter().filter(|u| u.checked.is_none()).count()
    }
}

/// Names a finding without holding its value.
pub fn value_hash(kind: FindingKind, value: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{}\u{1f}{value}", kind.code()).as_bytes(),
    ))
}

fn config(app: &App) -> ScanConfig {
    ScanConfig::as_of(app.today())
}

/// Scans the body and attachments of `doc` and joins what people decided.
pub async fn review_of(h: &mut impl Handle, app: &App, doc: &Document) -> Result<Review> {
    let atts = attachments::of_document(h, doc.id).await?;
    let keeps = scan_keeps::of_document(h, doc.id).await?;
    Ok(build(app, doc, &atts, &keeps))
}

fn build(app: &App, doc: &Document, atts: &[Attachment], keeps: &[Keep]) -> Review {
    let cfg = config(app);
    let mut review = Review::default();
    let mut add = |source: String, label: &str, text: &str| {
        let mut seen = std::collections::HashSet::new();
        for f in scan(text, &cfg) {
            let hash = value_hash(f.kind, &f.text);
            // The same value twice in one place is one decision.
            if !seen.insert(hash.clone()) {
                continue;
            }
            let kept = keeps
                .iter()
                .find(|k| k.source == source && k.kind == f.kind.code() && k.value_hash == hash)
                .map(|k| k.reason.clone());
            review.findings.push(ReviewFinding {
                source: source.clone(),
                source_label: label.to_owned(),
                kind: f.kind,
                masked: mask(f.kind, &f.text),
                line: f.line,
                value_hash: hash,
                kept,
            });
        }
    };
    add(BODY.to_owned(), "正文", &body::html_to_text(&doc.body_html));
    for a in atts {
        add(format!("attachment:{}", a.id), &a.file_name, &a.text);
    }
    review.unread = atts
        .iter()
        .filter_map(|a| {
            a.text_problem.as_ref().map(|p| UnreadAttachment {
                id: a.id,
                file_name: a.file_name.clone(),
                problem: p.clone(),
                checked: a.text_checked_note.clone(),
            })
        })
        .collect();
    review
}

/// Stages at which the body may still be redacted: before sign-off.
fn redactable(stage: gongkai_domain::workflow::Stage) -> bool {
    use gongkai_domain::workflow::Stage;
    matches!(stage, Stage::Draft | Stage::Submitted | Stage::Reviewed)
}

/// The record, checked to be one the actor may review: 经办人 or 审核人 of its organization.
async fn reviewable(h: &mut impl Handle, actor: Actor<'_>, id: i64) -> Result<Document> {
    let doc = documents::by_id(h, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require_any(
        doc.org_id,
        &[gongkai_domain::Role::Clerk, gongkai_domain::Role::Reviewer],
    )?;
    if !redactable(doc.stage) {
        return Err(Error::Invalid(format!(
            "文件状态为“{}”，签发后不能再处理扫描结果",
            doc.stage.label()
        )));
    }
    Ok(doc)
}

/// Keeps a finding with a written reason (for instance a 12345 hotline that looks like a
/// number but is public by design).
pub async fn keep(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    source: &str,
    value_hash: &str,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid("保留理由：必须填写".into()));
    }
    let mut tx = app.db().begin().await?;
    let doc = reviewable(&mut tx, actor, id).await?;
    let review = review_of(&mut tx, app, &doc).await?;
    let f = review
        .findings
        .iter()
        .find(|f| f.source == source && f.value_hash == value_hash)
        .ok_or(Error::NotFound("扫描结果"))?;
    scan_keeps::keep(
        &mut tx,
        id,
        &Keep {
            source: source.to_owned(),
            kind: f.kind.code().to_owned(),
            value_hash: value_hash.to_owned(),
            reason: reason.to_owned(),
            user_id: actor.user_id(),
        },
        app.now(),
    )
    .await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.scan_keep",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"source": source, "kind": f.kind.code(), "masked": f.masked, "reason": reason}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Redacts findings of the body: each value named (or every body finding not kept, when
/// `only` is `None`) is replaced by its mask in the stored body, then the body is
/// scanned again and the redaction refused if any of them survives (a value split across
/// formatting, say), so a redaction never passes unverified. Returns how many were masked.
pub async fn redact_body(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    only: Option<&str>,
) -> Result<usize> {
    let mut tx = app.db().begin().await?;
    let doc = reviewable(&mut tx, actor, id).await?;
    let cfg = config(app);
    let text = body::html_to_text(&doc.body_html);
    let keeps = scan_keeps::of_document(&mut tx, id).await?;
    let kept = |kind: FindingKind, hash: &str| {
        keeps
            .iter()
            .any(|k| k.source == BODY && k.kind == kind.code() && k.value_hash == hash)
    };
    let targets: Vec<(FindingKind, String, String)> = scan(&text, &cfg)
        .into_iter()
        .map(|f| (f.kind, value_hash(f.kind, &f.text), f.text))
        .filter(|(kind, hash, _)| match only {
            Some(h) => h == hash,
            None => !kept(*kind, hash) && *kind != FindingKind::Keyword,
        })
        .collect();
    if targets.is_empty() {
        return Err(Error::NotFound("可脱敏的扫描结果"));
    }
    let mut html = doc.body_html.clone();
    let mut masked = Vec::new();
    for (kind, hash, value) in &targets {
        if masked.contains(hash) {
            continue;
        }
        html = html.replace(value.as_str(), &mask(*kind, value));
        masked.push(hash.clone());
    }
    let survivors = scan(&body::html_to_text(&html), &cfg)
        .into_iter()
        .filter(|f| masked.contains(&value_hash(f.kind, &f.text)))
        .count();
    if survivors > 0 {
        return Err(Error::Invalid(format!(
            "自动脱敏后复查仍有 {survivors} 处未被遮盖（可能被格式拆开），请在编辑器中手工修改正文"
        )));
    }
    if !documents::set_body(&mut tx, id, &html, doc.stage, app.now()).await? {
        return Err(Error::Conflict("文件已被他人处理，请刷新后重试".into()));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.redact",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"source": BODY, "count": masked.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(masked.len())
}

/// Records that a person looked at an attachment whose text could not be read in full.
pub async fn check_attachment(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    attachment_id: i64,
    note: &str,
) -> Result<()> {
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::Invalid("核对说明：必须填写".into()));
    }
    let Some(user) = actor.user_id() else {
        return Err(Error::Forbidden);
    };
    let mut tx = app.db().begin().await?;
    let doc = reviewable(&mut tx, actor, id).await?;
    let att = attachments::by_id(&mut tx, attachment_id)
        .await?
        .filter(|a| a.document_id == id)
        .ok_or(Error::NotFound("附件"))?;
    if !attachments::mark_checked(&mut tx, att.id, user, note).await? {
        return Err(Error::Invalid(
            "此附件的文字已完整读取，无需人工核对".into(),
        ));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "document.attachment_checked",
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"attachment": att.id, "note": note}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The number of unresolved findings of a record, within the caller's transaction.
pub async fn unresolved(h: &mut impl Handle, app: &App, doc: &Document) -> Result<usize> {
    Ok(review_of(h, app, doc).await?.unresolved())
}

/// The review of a record the caller has already been allowed to see.
pub async fn for_document(app: &App, doc: &Document) -> Result<Review> {
    let mut c = app.db().conn().await?;
    review_of(&mut c, app, doc).await
}

/// What a periodic review of a withheld record decides (条例 Art. 18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WithheldDecision {
    /// Still not to be disclosed; reviewed again after the interval.
    Keep,
    /// 因情势变化可以公开: becomes 主动公开 and goes back to the clerk as a draft.
    Disclose,
}

/// Records the periodic review of a withheld record by a 审核人 of its organization.
pub async fn review_withheld(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    decision: WithheldDecision,
    note: &str,
) -> Result<()> {
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::Invalid("复查意见：必须填写".into()));
    }
    let mut tx = app.db().begin().await?;
    let doc = documents::by_id(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("文件"))?;
    actor.require(doc.org_id, gongkai_domain::Role::Reviewer)?;
    if doc.disclosure != gongkai_domain::disclosure::Attribute::Withheld {
        return Err(Error::Invalid("只有不予公开的信息需要定期复查".into()));
    }
    let done = match decision {
        WithheldDecision::Keep => {
            documents::mark_disclosure_reviewed(&mut tx, id, app.today()).await?
        }
        WithheldDecision::Disclose => {
            documents::reopen_for_disclosure(
                &mut tx,
                id,
                &format!("复查后可以公开：{note}"),
                app.now(),
            )
            .await?
        }
    };
    if !done {
        return Err(Error::Conflict(
            "此文件刚被他人处理，请刷新页面后再试".into(),
        ));
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        match decision {
            WithheldDecision::Keep => "document.withheld_kept",
            WithheldDecision::Disclose => "document.withheld_disclosed",
        },
        "document",
        Some(id),
        Some(doc.org_id),
        serde_json::json!({"note": note, "ground": doc.disclosure_ground}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Redacts findings of one attachment (`only` one value, or every finding of it not kept)
/// into a verified redacted copy that replaces the file. Returns how many were masked.
pub async fn redact_attachment(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    attachment_id: i64,
    only: Option<&str>,
) -> Result<usize> {
    let mut c = app.db().conn().await?;
    let doc = reviewable(&mut c, actor, id).await?;
    let att = attachments::by_id(&mut c, attachment_id)
        .await?
        .filter(|a| a.document_id == id)
        .ok_or(Error::NotFound("附件"))?;
    let keeps = scan_keeps::of_document(&mut c, id).await?;
    drop(c);
    let source = format!("attachment:{}", att.id);
    let cfg = config(app);
    // A PDF is flattened into images, after which nothing more can be placed on its pages:
    // every finding not kept is painted over at once.
    let only = only.filter(|_| att.media_type != "application/pdf");
    let mut values: Vec<(String, String)> = Vec::new();
    for f in scan(&att.text, &cfg) {
        let hash = value_hash(f.kind, &f.text);
        let kept = keeps
            .iter()
            .any(|k| k.source == source && k.kind == f.kind.code() && k.value_hash == hash);
        let wanted = match only {
            Some(h) => h == hash,
            None => !kept && f.kind != FindingKind::Keyword,
        };
        if wanted && !values.iter().any(|(v, _)| *v == f.text) {
            values.push((f.text.clone(), mask(f.kind, &f.text)));
        }
    }
    if values.is_empty() {
        return Err(Error::NotFound("可脱敏的扫描结果"));
    }
    crate::files::redact(app, actor, doc.id, &att, &values, &cfg).await
}

/// Redacts a finding wherever it is: the body or an attachment (`source` as listed).
pub async fn redact(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    source: &str,
    only: Option<&str>,
) -> Result<usize> {
    match source.strip_prefix("attachment:") {
        Some(att) => {
            let att = att.parse().map_err(|_| Error::NotFound("附件"))?;
            redact_attachment(app, actor, id, att, only).await
        }
        None => redact_body(app, actor, id, only).await,
    }
}
