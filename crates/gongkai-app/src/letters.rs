//! The letters of a request (SPEC C4): issued with the event they announce, from the
//! organization's own template (or its ancestor's, or the platform's), numbered in the
//! organization's series for the kind and year, and kept as issued. They are read by the
//! handling unit's staff and, those addressed to the applicant, by the applicant with the
//! 查询码 and secret; as DOCX for printing and stamping, or as a printable page.

use std::collections::BTreeMap;
use std::io::Cursor;

use gongkai_domain::LegalBasis;
use gongkai_domain::deadline::Clock;
use gongkai_domain::letter::{self, Facts, Letter, LetterKind, Template, TemplateKey};
use gongkai_store::Handle;
use gongkai_store::letters::{self as store, NewLetter, StoredLetter};
use gongkai_store::requests::Request;
use serde::Serialize;
use time::Date;

use crate::documents::Actor;
use crate::orgs::OrgTree;
use crate::{App, Error, Result};

/// A letter as lists show it: no content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LetterRow {
    /// Row id, for the download address.
    pub id: i64,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// 文号.
    pub number: String,
    /// The day of the letter (`YYYY-MM-DD`).
    pub issued_on: String,
    /// Whether it is addressed to the applicant.
    pub to_applicant: bool,
}

impl LetterRow {
    fn of(s: &StoredLetter) -> Result<LetterRow> {
        let l = parse(s)?;
        Ok(LetterRow {
            id: s.id,
            kind: s.kind.clone(),
            title: l.title,
            number: s.number.clone(),
            issued_on: gongkai_domain::format_date_iso(s.issued_on),
            to_applicant: LetterKind::from_code(&s.kind).is_ok_and(LetterKind::to_applicant),
        })
    }
}

fn parse(s: &StoredLetter) -> Result<Letter> {
    serde_json::from_str(&s.content)
        .map_err(|e| Error::internal(format!("stored letter {}: {e}", s.id)))
}

/// The 行政复议机关 of an organization ([`letter::review_body`] over its chain).
pub fn review_body(tree: &OrgTree, org_id: i64) -> String {
    let chain: Vec<(&str, &str)> = tree
        .ancestors(org_id)
        .iter()
        .map(|o| (o.kind.as_str(), o.name.as_str()))
        .collect();
    letter::review_body(&chain)
}

/// The template an organization uses for a key: its own, else the nearest ancestor's, else
/// the platform's. The second value names the organization whose wording it is (none for
/// the platform's).
pub async fn template_for(
    h: &mut impl Handle,
    tree: &OrgTree,
    org_id: i64,
    key: TemplateKey,
) -> Result<(Template, Option<i64>)> {
    let chain: Vec<i64> = tree.ancestors(org_id).iter().map(|o| o.id).collect();
    let own = store::templates_of(h, &chain).await?;
    let code = key.code();
    for id in chain.iter().rev() {
        if let Some(t) = own.iter().find(|t| t.org_id == *id && t.template == code) {
            return Ok((
                Template {
                    title: t.title.clone(),
                    body: t.body.clone(),
                },
                Some(*id),
            ));
        }
    }
    Ok((letter::default_template(key), None))
}

/// What a letter is issued with: its template, its day and what the clerk wrote.
#[derive(Clone, Debug)]
pub struct Issue {
    /// Which letter.
    pub key: TemplateKey,
    /// Its day (the event's).
    pub date: Date,
    /// The clerk's fill-ins (补正事项, 答复内容, …).
    pub written: BTreeMap<String, String>,
    /// Whether the fill-ins the letter needs must all be there (the pages), or the letter
    /// goes out with what it has (a reply recorded through the API without them).
    pub strict: bool,
}

/// Issues a letter inside the transaction of the event it announces; `clock` is the clock
/// after the event. Returns the letter's id.
pub(crate) async fn issue_in(
    h: &mut impl Handle,
    app: &App,
    actor: Actor<'_>,
    request: &Request,
    clock: &Clock,
    issue: &Issue,
) -> Result<i64> {
    if issue.strict {
        letter::check_written(issue.key, &issue.written)
            .map_err(|(field, message)| Error::Invalid(format!("{field}：{message}")))?;
    }
    let tree = OrgTree::current(app).await?;
    let org = tree
        .get(request.org_id)
        .ok_or_else(|| Error::internal("request of an unknown organization"))?;
    let (template, _) = template_for(h, &tree, org.id, issue.key).await?;
    let facts = facts(
        app,
        &tree,
        request,
        clock,
        issue.key,
        issue.date,
        issue.written.clone(),
    )?;
    let addressee = match issue.key.kind {
        LetterKind::ConsultThirdParty | LetterKind::ConsultAgency => {
            facts.extra.get("被征求意见方").cloned().unwrap_or_default()
        }
        _ => facts.applicant.clone(),
    };
    let prefix = org.short_name.clone().unwrap_or_else(|| org.name.clone());
    let series = issue.key.kind.number_word();
    let year = issue.date.year();
    let seq = store::next_serial(h, org.id, series, year).await?;
    let number = letter::number(&prefix, issue.key.kind, year, seq);
    let rendered = letter::render(issue.key, &template, &facts, number.clone(), &addressee)
        .map_err(|e| Error::Invalid(format!("template：{}模板有误：{e}", issue.key.label())))?;
    let content = serde_json::to_string(&rendered).map_err(|e| Error::internal(e.to_string()))?;
    let code = issue.key.code();
    let id = store::insert(
        h,
        &NewLetter {
            request_id: request.id,
            org_id: org.id,
            kind: issue.key.kind.code(),
            template: &code,
            series,
            year,
            seq,
            number: &number,
            issued_on: issue.date,
            content: &content,
            issued_by: actor.user_id(),
        },
        app.now(),
    )
    .await?;
    crate::audit::record(
        h,
        app,
        actor,
        "request.letter",
        "request",
        Some(request.id),
        Some(org.id),
        serde_json::json!({"tracking": request.tracking, "letter": id, "number": number, "template": code}),
    )
    .await?;
    Ok(id)
}

/// The facts a letter of a request is filled from, on `date`, with the clerk's fill-ins and
/// the dates the platform works out (意见期限, 缴费期限, 延期天数).
pub(crate) fn facts(
    app: &App,
    tree: &OrgTree,
    request: &Request,
    clock: &Clock,
    key: TemplateKey,
    date: Date,
    mut written: BTreeMap<String, String>,
) -> Result<Facts> {
    let org = tree
        .get(request.org_id)
        .ok_or_else(|| Error::internal("request of an unknown organization"))?;
    let calendar = app.calendar();
    let after = |days: u32| {
        calendar
            .add_workdays(date, days)
            .map(gongkai_domain::format_date_cn)
            .unwrap_or_default()
    };
    match key.kind {
        LetterKind::ConsultThirdParty | LetterKind::ConsultAgency => {
            written.insert("意见期限".into(), after(15));
        }
        LetterKind::FeeNotice => {
            written.insert("缴费期限".into(), after(20));
        }
        LetterKind::Extension => {
            written.insert("延期天数".into(), clock.extension.to_string());
        }
        _ => {}
    }
    let applicant = serde_json::from_str::<serde_json::Value>(&request.applicant)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .unwrap_or_default();
    Ok(Facts {
        org: org.name.clone(),
        applicant,
        tracking: request.tracking.clone(),
        received: request.received_date,
        description: request.description.clone().unwrap_or_default(),
        issued: date,
        due: clock.due,
        basis: key.basis,
        review_body: review_body(tree, org.id),
        extra: written,
    })
}

/// The letters of a request (the caller has checked who asks).
pub(crate) async fn rows(h: &mut impl Handle, request_id: i64) -> Result<Vec<LetterRow>> {
    store::of_request(h, request_id)
        .await?
        .iter()
        .map(LetterRow::of)
        .collect()
}

/// The letters addressed to the applicant (the caller has checked the secret).
pub(crate) async fn for_applicant(h: &mut impl Handle, request_id: i64) -> Result<Vec<LetterRow>> {
    Ok(rows(h, request_id)
        .await?
        .into_iter()
        .filter(|l| l.to_applicant)
        .collect())
}

/// One letter of a request, whole; the applicant may read only those addressed to them.
pub(crate) async fn one(
    h: &mut impl Handle,
    request_id: i64,
    id: i64,
    applicant: bool,
) -> Result<Letter> {
    let all = store::of_request(h, request_id).await?;
    let found = all
        .iter()
        .find(|l| l.id == id)
        .filter(|l| {
            !applicant || LetterKind::from_code(&l.kind).is_ok_and(LetterKind::to_applicant)
        })
        .ok_or(Error::NotFound("告知书"))?;
    parse(found)
}

/// One letter for the handling unit's staff.
pub async fn staff_letter(app: &App, actor: Actor<'_>, tracking: &str, id: i64) -> Result<Letter> {
    let view = crate::intake::for_staff(app, actor, tracking).await?;
    let request = view.request.ok_or(Error::NotFound("告知书"))?;
    let mut c = app.db().conn().await?;
    one(&mut c, request.id, id, false).await
}

/// The basis a reply letter uses when a reply names several (the first), or none.
pub fn reply_key(bases: &[LegalBasis], outcome: gongkai_domain::Outcome) -> TemplateKey {
    let basis = bases
        .first()
        .copied()
        .or_else(|| outcome.legal_bases().first().copied());
    TemplateKey::reply(basis.unwrap_or(LegalBasis::Other))
}

/// Twips in a millimetre, times 100 (for GB/T 9704 margins).
const TWIPS_PER_100MM: i32 = 5669;

fn mm(x: i32) -> i32 {
    x * TWIPS_PER_100MM / 100
}

/// The title of a 公文: 小标宋 二号, centred, on 35-point lines.
pub(crate) fn official_title(text: &str) -> docx_rs::Paragraph {
    use docx_rs::{AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts};
    Paragraph::new()
        .add_run(
            Run::new()
                .add_text(text)
                .fonts(
                    RunFonts::new()
                        .east_asia("方正小标宋简体")
                        .ascii("Times New Roman")
                        .hi_ansi("Times New Roman"),
                )
                .size(44),
        )
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(700),
        )
}

/// An empty DOCX on the page of a 公文 (GB/T 9704-2012): A4, margins 37/35/28/26 mm.
pub(crate) fn official_page() -> docx_rs::Docx {
    docx_rs::Docx::new().page_size(11906, 16838).page_margin(
        docx_rs::PageMargin::new()
            .top(mm(37))
            .bottom(mm(35))
            .left(mm(28))
            .right(mm(26)),
    )
}

/// The letter as a DOCX laid out as a 公文 (GB/T 9704-2012: A4, margins 37/35/28/26 mm,
/// title in 小标宋 二号, body in 仿宋 三号 with 28-point lines and a two-character indent), so
/// that the office prints it, signs and stamps it.
pub fn docx(l: &Letter) -> Result<Vec<u8>> {
    use docx_rs::{
        AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType,
    };
    let body_font = || {
        RunFonts::new()
            .east_asia("仿宋_GB2312")
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    };
    let run = |t: &str| Run::new().add_text(t).fonts(body_font()).size(32);
    let spacing = || {
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(560)
    };
    let plain = |t: &str| Paragraph::new().add_run(run(t)).line_spacing(spacing());
    let mut doc = official_page()
        .add_paragraph(plain(&l.number).align(AlignmentType::Right))
        .add_paragraph(plain(""))
        .add_paragraph(official_title(&l.title))
        .add_paragraph(plain(""));
    if !l.addressee.is_empty() {
        doc = doc.add_paragraph(plain(&format!("{}：", l.addressee)));
    }
    for p in &l.paragraphs {
        doc = doc.add_paragraph(plain(p).indent(
            None,
            Some(SpecialIndentType::FirstLine(640)),
            None,
            None,
        ));
    }
    doc = doc
        .add_paragraph(plain(""))
        .add_paragraph(plain(&l.signer).align(AlignmentType::Right))
        .add_paragraph(plain(&l.date).align(AlignmentType::Right));
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| Error::internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

/// A download name for a letter: `查询码-文号.docx`, with nothing a file system refuses.
pub fn file_name(tracking: &str, l: &Letter, ext: &str) -> String {
    let clean: String = format!("{tracking}-{}", l.number)
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .collect();
    format!("{clean}.{ext}")
}

/// A template as an organization uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateRow {
    /// Which.
    pub key: TemplateKey,
    /// Its wording.
    pub template: Template,
    /// Whose wording: the organization's own, an ancestor's (by name), or the platform's.
    pub source: TemplateSource,
}

/// Where a template's wording comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// Written by the organization itself.
    Own,
    /// Inherited from the organization above that wrote it.
    Inherited(String),
    /// The platform's.
    Platform,
}

/// Every template of an organization, for its staff (the 政务公开办 edits them).
pub async fn templates(app: &App, actor: Actor<'_>, org_id: i64) -> Result<Vec<TemplateRow>> {
    actor.require_any(org_id, EDITORS_AND_READERS)?;
    let tree = OrgTree::current(app).await?;
    let mut c = app.db().conn().await?;
    let mut out = Vec::new();
    for key in TemplateKey::all() {
        let (template, from) = template_for(&mut c, &tree, org_id, key).await?;
        let source = match from {
            None => TemplateSource::Platform,
            Some(id) if id == org_id => TemplateSource::Own,
            Some(id) => {
                TemplateSource::Inherited(tree.get(id).map(|o| o.name.clone()).unwrap_or_default())
            }
        };
        out.push(TemplateRow {
            key,
            template,
            source,
        });
    }
    Ok(out)
}

/// Roles that may read an organization's templates.
const EDITORS_AND_READERS: &[gongkai_domain::Role] = &[
    gongkai_domain::Role::Clerk,
    gongkai_domain::Role::Reviewer,
    gongkai_domain::Role::Approver,
    gongkai_domain::Role::Office,
];

/// Writes an organization's own wording of a letter (its 政务公开办), checked first: a fill-in
/// the platform does not know is refused with its paragraph. `None` goes back to the
/// inherited wording. Letters issued before keep their words.
pub async fn set_template(
    app: &App,
    actor: Actor<'_>,
    org_id: i64,
    key: TemplateKey,
    template: Option<&Template>,
) -> Result<()> {
    actor.require(org_id, gongkai_domain::Role::Office)?;
    let mut tx = app.db().begin().await?;
    let code = key.code();
    match template {
        Some(t) => {
            t.check()
                .map_err(|e| Error::Invalid(format!("body：{e}")))?;
            store::set_template(
                &mut tx,
                org_id,
                &code,
                t.title.trim(),
                t.body.trim(),
                actor.user_id(),
                app.now(),
            )
            .await?;
        }
        None => {
            store::reset_template(&mut tx, org_id, &code).await?;
        }
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "letter_template.set",
        "org",
        Some(org_id),
        Some(org_id),
        serde_json::json!({"template": code, "reset": template.is_none()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
