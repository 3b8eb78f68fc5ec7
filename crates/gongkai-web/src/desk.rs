//! The back office's writing side: "我的工作", the editor of a draft, the workflow actions and
//! the 保密审查 of a record. The app layer checks every permission again; these pages only
//! offer what it would allow.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::auth::Staff;
use gongkai_app::documents::Actor;
use gongkai_app::model::Document;
use gongkai_domain::disclosure::{Attribute, Ground};
use gongkai_domain::workflow::{Action, Stage};
use gongkai_domain::{DisclosureTerm, DocKind, Role, Validity, validate_line};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::public::PathOr404;
use crate::staff::LoggedIn;

/// A record in a work queue.
pub struct WorkRow {
    href: String,
    title: String,
    org_name: String,
    stage: &'static str,
    note: String,
    updated: String,
}

fn work_row(d: &Document) -> WorkRow {
    let note = match d.stage {
        Stage::Draft => d
            .returned_reason
            .as_ref()
            .map(|r| format!("退回原因：{r}"))
            .unwrap_or_default(),
        Stage::Scheduled => d
            .scheduled_at
            .map(|t| format!("定于 {} 发布", china_time(t)))
            .unwrap_or_default(),
        _ => String::new(),
    };
    WorkRow {
        href: format!("/staff/doc/{}", d.id),
        title: d.title.clone(),
        org_name: d.org_name.clone(),
        stage: d.stage.label(),
        note,
        updated: china_time(d.updated_at),
    }
}

/// `YYYY-MM-DD HH:MM` in China time.
pub fn china_time(t: time::OffsetDateTime) -> String {
    gongkai_app::format_china_time(t)
}

/// One queue of the work page.
pub struct Queue {
    id: &'static str,
    title: &'static str,
    empty: &'static str,
    rows: Vec<WorkRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/work.html")]
pub struct WorkPage {
    layout: Layout,
    queues: Vec<Queue>,
    can_draft: bool,
    total: usize,
}

/// `GET /staff/work`: what waits for the person, by role.
pub async fn work(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
) -> Response {
    let w = match gongkai_app::staff::my_work(s.app(), &staff).await {
        Ok(w) => w,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let q = |id, title, empty, docs: &[Document]| Queue {
        id,
        title,
        empty,
        rows: docs.iter().map(work_row).collect(),
    };
    let has = |role: Role| staff.grants.iter().any(|g| g.role == role);
    let mut queues = Vec::new();
    if has(Role::Clerk) {
        queues.push(q("returned", "退回给我", "没有被退回的文件。", &w.returned));
        queues.push(q("drafts", "草稿", "没有草稿。", &w.drafts));
        queues.push(q(
            "to-publish",
            "已签发待发布",
            "没有待发布的文件。",
            &w.to_publish,
        ));
    }
    if has(Role::Reviewer) {
        queues.push(q(
            "to-review",
            "待我审核",
            "没有待审核的文件。",
            &w.to_review,
        ));
        queues.push(q(
            "withheld-due",
            "不予公开信息待复查",
            "没有到期需复查的不予公开信息（条例第十八条）。",
            &w.withheld_due,
        ));
    }
    if has(Role::Approver) {
        queues.push(q(
            "to-approve",
            "待我签发",
            "没有待签发的文件。",
            &w.to_approve,
        ));
    }
    queues.push(q(
        "scheduled",
        "定时发布",
        "没有定时发布的文件。",
        &w.scheduled,
    ));
    WorkPage {
        layout,
        queues,
        can_draft: has(Role::Clerk),
        total: w.total(),
    }
    .into_response()
}

/// The editor's fields, as the form sends them.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct EditForm {
    #[serde(default)]
    org: String,
    #[serde(default)]
    column: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    written_date: String,
    #[serde(default)]
    formed_date: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    disclosure_term: String,
    #[serde(default)]
    disclosure: String,
    #[serde(default)]
    disclosure_ground: String,
    #[serde(default)]
    body_format: String,
    #[serde(default)]
    body: String,
}

impl EditForm {
    fn blank(org: &str) -> EditForm {
        EditForm {
            org: org.to_owned(),
            column: "法定主动公开内容/政策文件".into(),
            kind: DocKind::Circular.label().into(),
            validity: Validity::Valid.code().into(),
            disclosure_term: DisclosureTerm::LongTerm.code().into(),
            disclosure: Attribute::Proactive.code().into(),
            body_format: "text".into(),
            ..EditForm::default()
        }
    }

    fn of(d: &Document) -> EditForm {
        EditForm {
            org: d.org_code.clone(),
            column: d.column_path.clone(),
            title: d.title.clone(),
            doc_number: d.doc_number.clone().unwrap_or_default(),
            issuer: d.issuer.clone(),
            topic: d.topic.clone(),
            kind: d.kind.label().into(),
            written_date: gongkai_domain::format_date_iso(d.written_date),
            formed_date: gongkai_domain::format_date_iso(d.formed_date),
            validity: d.validity.code().into(),
            disclosure_term: d.disclosure_term.code().into(),
            disclosure: d.disclosure.code().into(),
            disclosure_ground: d.disclosure_ground.clone().unwrap_or_default(),
            body_format: "html".into(),
            body: d.body_html.clone(),
        }
    }

    /// The import line these fields make: the editor validates exactly as an import does.
    fn to_line(&self) -> String {
        let mut m = Map::new();
        let mut put = |k: &str, v: &str| {
            let v = v.trim();
            if !v.is_empty() {
                m.insert(k.to_owned(), Value::String(v.to_owned()));
            }
        };
        put("org", &self.org);
        put("column", &self.column);
        put("title", &self.title);
        put("doc_number", &self.doc_number);
        put("issuer", &self.issuer);
        put("topic", &self.topic);
        put("kind", &self.kind);
        put("written_date", &self.written_date);
        // A draft has no publication date yet; the written date satisfies the line's rule.
        put("published_date", &self.written_date);
        put("formed_date", &self.formed_date);
        put("validity", &self.validity);
        put("disclosure_term", &self.disclosure_term);
        put("disclosure", &self.disclosure);
        put("disclosure_ground", &self.disclosure_ground);
        let key = if self.body_format == "html" {
            "body_html"
        } else {
            "body_text"
        };
        if !self.body.trim().is_empty() {
            m.insert(key.into(), Value::String(self.body.clone()));
        }
        Value::Object(m).to_string()
    }
}

/// A choice of a `<select>`.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A group of choices (`<optgroup>`).
pub struct ChoiceGroup {
    label: String,
    choices: Vec<Choice>,
}

fn choices<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_owned(),
            label: label.to_owned(),
            selected: value == current || label == current,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/edit.html")]
pub struct EditPage {
    layout: Layout,
    /// `None` for a new draft.
    id: Option<i64>,
    form: EditForm,
    errors: HashMap<&'static str, String>,
    general: Vec<String>,
    /// What an upload filled in, for the clerk to check.
    notice: Option<String>,
    orgs: Vec<Choice>,
    topics: Vec<ChoiceGroup>,
    kinds: Vec<Choice>,
    validities: Vec<Choice>,
    terms: Vec<Choice>,
    attributes: Vec<Choice>,
    grounds: Vec<Choice>,
    columns: Vec<String>,
}

impl EditPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    /// The problems above the form, in the order of the fields, each named by its label.
    fn summary(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .iter()
            .chain(std::iter::once(&"body"))
            .filter_map(|f| {
                let m = self.errors.get(f)?;
                Some((*f, format!("{}：{m}", field_label(f))))
            })
            .collect()
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/staff/doc/{id}/edit"),
            None => "/staff/doc/new".into(),
        }
    }

    fn new(layout: Layout, staff: &Staff, id: Option<i64>, form: EditForm) -> EditPage {
        let orgs = staff
            .grants
            .iter()
            .filter(|g| g.role == Role::Clerk)
            .map(|g| Choice {
                value: g.org_code.clone(),
                label: format!("{}（{}）", g.org_name, g.org_code),
                selected: g.org_code == form.org,
            })
            .collect();
        let topics = gongkai_domain::topics()
            .iter()
            .map(|g| {
                let mut list = vec![Choice {
                    value: g.name.to_owned(),
                    label: format!("{}（一级）", g.name),
                    selected: form.topic == g.name,
                }];
                for c in &g.children {
                    let value = format!("{}\\{c}", g.name);
                    list.push(Choice {
                        selected: form.topic == value,
                        label: (*c).to_owned(),
                        value,
                    });
                }
                ChoiceGroup {
                    label: g.name.to_owned(),
                    choices: list,
                }
            })
            .collect();
        let kinds = choices(
            DocKind::all().iter().map(|k| (k.label(), k.label())),
            &form.kind,
        );
        let validities = choices(
            [Validity::Valid, Validity::Expired, Validity::Repealed]
                .iter()
                .map(|v| (v.code(), v.label())),
            &form.validity,
        );
        let terms = choices(
            DisclosureTerm::all().iter().map(|t| (t.code(), t.label())),
            &form.disclosure_term,
        );
        let attributes = choices(
            Attribute::all().iter().map(|a| (a.code(), a.label())),
            &form.disclosure,
        );
        let mut grounds = vec![Choice {
            value: String::new(),
            label: "（主动公开无需依据）".into(),
            selected: form.disclosure_ground.is_empty(),
        }];
        grounds.extend(choices(
            Ground::all().iter().map(|g| (g.code(), g.label())),
            &form.disclosure_ground,
        ));
        let mut columns = Vec::new();
        for first in gongkai_domain::UNIFIED_COLUMNS {
            columns.push(first.to_owned());
        }
        for sub in gongkai_domain::DEFAULT_SUBCOLUMNS {
            columns.push(format!(
                "{}/{sub}",
                gongkai_domain::column::STATUTORY_CONTENT
            ));
        }
        EditPage {
            layout,
            id,
            form,
            errors: HashMap::new(),
            general: Vec::new(),
            notice: None,
            orgs,
            topics,
            kinds,
            validities,
            terms,
            attributes,
            grounds,
            columns,
        }
    }
}

/// The form fields the editor shows; a problem of any other key is shown above the form.
const FIELDS: &[&str] = &[
    "org",
    "column",
    "title",
    "doc_number",
    "issuer",
    "topic",
    "kind",
    "written_date",
    "formed_date",
    "validity",
    "disclosure_term",
    "disclosure",
    "disclosure_ground",
];

fn field_label(field: &str) -> &'static str {
    match field {
        "org" => "发布机构",
        "column" => "栏目",
        "title" => "标题",
        "doc_number" => "发文字号",
        "issuer" => "发文机关",
        "topic" => "主题分类",
        "kind" => "公文种类",
        "written_date" => "成文日期",
        "formed_date" => "形成或变更日期",
        "validity" => "有效性",
        "disclosure_term" => "公开时限",
        "disclosure" => "公开属性",
        "disclosure_ground" => "不公开依据",
        _ => "正文",
    }
}

fn field_of(key: &str) -> Option<&'static str> {
    match key {
        "published_date" => Some("written_date"),
        "body_html" | "body_text" => Some("body"),
        k => FIELDS.iter().find(|f| **f == k).copied(),
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    org: Option<String>,
}

/// `GET /staff/doc/new`.
pub async fn new_form(
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let q: NewQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let Some(first) = staff.grants.iter().find(|g| g.role == Role::Clerk) else {
        return WebError(gongkai_app::Error::Forbidden).into_response();
    };
    let org = q.org.unwrap_or_else(|| first.org_code.clone());
    layout.staff_name = Some(staff.display_name.clone());
    EditPage::new(layout, &staff, None, EditForm::blank(&org)).into_response()
}

/// Validates the form; the page with every problem beside its field when it fails.
fn validated(
    layout: Layout,
    staff: &Staff,
    id: Option<i64>,
    form: EditForm,
) -> Result<gongkai_domain::ValidDocument, Box<EditPage>> {
    let problems = match validate_line(&form.to_line()) {
        Ok((valid, _warnings)) => return Ok(valid),
        Err(p) => p,
    };
    let mut page = EditPage::new(layout, staff, id, form);
    for p in problems {
        match field_of(p.field) {
            Some(f) => {
                page.errors.entry(f).or_insert(p.message);
            }
            None => page.general.push(p.message),
        }
    }
    Err(Box::new(page))
}

fn refused_page(mut page: EditPage, e: gongkai_app::Error) -> Response {
    let status = match &e {
        gongkai_app::Error::Invalid(_) => StatusCode::BAD_REQUEST,
        gongkai_app::Error::Conflict(_) => StatusCode::CONFLICT,
        _ => return WebError(e).into_response(),
    };
    let msg = e.to_string();
    match msg.split_once('：') {
        Some(("发布机构", rest)) => {
            page.errors.insert("org", rest.to_owned());
        }
        _ => page.general.push(msg),
    }
    (status, page).into_response()
}

/// `POST /staff/doc/new`: creates the draft and opens it.
pub async fn create(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    form: Result<Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    layout.staff_name = Some(staff.display_name.clone());
    let valid = match validated(layout.clone(), &staff, None, form.clone()) {
        Ok(v) => v,
        Err(page) => return (StatusCode::BAD_REQUEST, *page).into_response(),
    };
    match gongkai_app::documents::create_draft(s.app(), Actor::Staff(&staff), &valid).await {
        Ok(id) => Redirect::to(&format!("/staff/doc/{id}?done=saved")).into_response(),
        Err(e @ gongkai_app::Error::Forbidden) => {
            let mut page = EditPage::new(layout, &staff, None, form);
            page.errors
                .insert("org", "您不是该机构的经办人，不能为其起草文件".into());
            let _ = e;
            (StatusCode::FORBIDDEN, page).into_response()
        }
        Err(e) => refused_page(EditPage::new(layout, &staff, None, form), e),
    }
}

fn parse_id(id: &str) -> Option<i64> {
    id.parse::<i64>().ok().filter(|i| *i > 0)
}

/// `GET /staff/doc/{id}/edit`.
pub async fn edit_form(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ErrorPage::not_found().into_response();
    };
    let found = match visible_document(&s, &staff, id).await {
        Ok(f) => f,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let mut page = EditPage::new(layout, &staff, Some(id), EditForm::of(&found));
    if found.stage != Stage::Draft {
        page.general.push(format!(
            "文件状态为“{}”，只有草稿可以修改。",
            found.stage.label()
        ));
    }
    page.into_response()
}

/// `POST /staff/doc/{id}/edit`.
pub async fn update(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ErrorPage::not_found().into_response();
    };
    let Ok(Form(form)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    layout.staff_name = Some(staff.display_name.clone());
    if let Err(e) = visible_document(&s, &staff, id).await {
        return WebError(e).into_response();
    }
    let valid = match validated(layout.clone(), &staff, Some(id), form.clone()) {
        Ok(v) => v,
        Err(page) => return (StatusCode::BAD_REQUEST, *page).into_response(),
    };
    match gongkai_app::documents::update_draft(s.app(), Actor::Staff(&staff), id, &valid).await {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=saved")).into_response(),
        Err(e) => refused_page(EditPage::new(layout, &staff, Some(id), form), e),
    }
}

/// The record if the person may see it (another unit's record is "not found").
async fn visible_document(s: &AppState, staff: &Staff, id: i64) -> gongkai_app::Result<Document> {
    let tree = gongkai_app::orgs::OrgTree::load(s.app()).await?;
    Ok(gongkai_app::staff::document(s.app(), staff, &tree, id)
        .await?
        .doc)
}

/// A workflow action as the form sends it.
#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// `YYYY-MM-DDTHH:MM` in China time, for a scheduled publication.
    #[serde(default)]
    at: String,
}

/// Parses a `datetime-local` value in China time.
fn parse_local(v: &str) -> Option<time::OffsetDateTime> {
    let (d, t) = v.trim().split_once('T')?;
    let date = gongkai_domain::parse_date(d).ok()?;
    let (h, m) = t.split_once(':')?;
    let time = time::Time::from_hms(h.parse().ok()?, m.get(..2)?.parse().ok()?, 0).ok()?;
    Some(
        date.with_time(time)
            .assume_offset(gongkai_app::china_offset()),
    )
}

/// `POST /staff/doc/{id}/act`.
pub async fn act(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<ActForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ErrorPage::not_found().into_response();
    };
    let Ok(Form(form)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let action = match form.action.as_str() {
        "submit" => Action::Submit,
        "review" => Action::Review,
        "approve" => Action::Approve,
        "publish" => {
            let at = if form.at.trim().is_empty() {
                None
            } else {
                match parse_local(&form.at) {
                    Some(t) => Some(t),
                    None => {
                        return ErrorPage::bad_request(
                            "定时发布时间：格式应为“年-月-日 时:分”，如 2026-12-08 09:00。",
                        )
                        .into_response();
                    }
                }
            };
            Action::Publish { at }
        }
        "return" => Action::Return {
            reason: form.reason,
        },
        "withdraw" => Action::Withdraw {
            reason: form.reason,
        },
        _ => return ErrorPage::bad_request("未知的操作。").into_response(),
    };
    match gongkai_app::workflow::act(s.app(), Actor::Staff(&staff), id, &action).await {
        Ok(_) => Redirect::to(&format!("/staff/doc/{id}?done={}", action.code())).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// A decision on one finding.
#[derive(Deserialize, Default)]
pub struct FindingForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    finding: String,
    #[serde(default)]
    reason: String,
}

/// `POST /staff/doc/{id}/keep`: keeps a finding with a reason.
pub async fn keep(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<FindingForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (Some(id), Ok(Form(f))) = (parse_id(&id), form) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    match gongkai_app::review::keep(
        s.app(),
        Actor::Staff(&staff),
        id,
        &f.source,
        &f.finding,
        &f.reason,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=kept#review")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/doc/{id}/redact`: masks one finding (`source` and `finding`), or every
/// finding of the body (`finding` empty).
pub async fn redact(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<FindingForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (Some(id), Ok(Form(f))) = (parse_id(&id), form) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let only = Some(f.finding.as_str()).filter(|h| !h.is_empty());
    match gongkai_app::review::redact(s.app(), Actor::Staff(&staff), id, &f.source, only).await {
        Ok(_) => Redirect::to(&format!("/staff/doc/{id}?done=redacted#review")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/doc/{id}/check/{attachment}`: an unreadable attachment checked by eye.
pub async fn check(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((id, att)): PathOr404<(String, String)>,
    form: Result<Form<FindingForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (Some(id), Some(att), Ok(Form(f))) = (parse_id(&id), parse_id(&att), form) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    match gongkai_app::review::check_attachment(s.app(), Actor::Staff(&staff), id, att, &f.reason)
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=checked#review")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/doc/{id}/withheld`: the periodic review of a withheld record.
pub async fn withheld(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<ActForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (Some(id), Ok(Form(f))) = (parse_id(&id), form) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let decision = match f.action.as_str() {
        "keep" => gongkai_app::review::WithheldDecision::Keep,
        "disclose" => gongkai_app::review::WithheldDecision::Disclose,
        _ => return ErrorPage::bad_request("未知的复查结论。").into_response(),
    };
    match gongkai_app::review::review_withheld(
        s.app(),
        Actor::Staff(&staff),
        id,
        decision,
        &f.reason,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=withheld")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// A change of 有效性 as the form sends it.
#[derive(Deserialize, Default)]
pub struct ValidityForm {
    #[serde(default)]
    validity: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    successor: String,
}

/// `POST /staff/doc/{id}/validity`: 失效, 废止 with the date, 已修订 with the successor.
pub async fn validity(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    form: Result<Form<ValidityForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (Some(id), Ok(Form(f))) = (parse_id(&id), form) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(validity) = Validity::from_code(&f.validity) else {
        return ErrorPage::bad_request("有效性：请选择有效、失效、废止或已修订。").into_response();
    };
    let on = match f.on.trim() {
        "" => s.app().today(),
        d => match gongkai_domain::parse_date(d) {
            Ok(d) => d,
            Err(e) => {
                return ErrorPage::bad_request(&format!("变更日期：{e}")).into_response();
            }
        },
    };
    let app = s.app();
    let successor = match f.successor.trim() {
        "" => None,
        key => match gongkai_app::documents::find_published(app, key).await {
            Ok(id) => Some(id),
            Err(e) => return WebError(e).into_response(),
        },
    };
    match gongkai_app::documents::set_validity_on(
        app,
        Actor::Staff(&staff),
        id,
        validity,
        successor,
        on,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=validity")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/doc/new/upload?_csrf=…` (multipart: `org`, `file`): the editor filled from a
/// DOCX or PDF, with the 标题, 发文字号, 成文日期 and 发文机关 it proposes. Nothing is saved
/// until the clerk saves the form.
pub async fn upload(
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(first) = staff.grants.iter().find(|g| g.role == Role::Clerk) else {
        return WebError(gongkai_app::Error::Forbidden).into_response();
    };
    layout.staff_name = Some(staff.display_name.clone());
    let mut org = first.org_code.clone();
    let mut file: Option<(String, Vec<u8>)> = None;
    let bad = |m: &str| ErrorPage::bad_request(m).into_response();
    let Ok(mut multipart) = multipart else {
        return bad("上传内容无法读取，请重新选择文件。");
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return bad("上传内容无法读取（可能超过 32 MB），请重新选择文件。"),
        };
        match field.name() {
            Some("org") => {
                if let Ok(v) = field.text().await
                    && !v.trim().is_empty()
                {
                    org = v.trim().to_owned();
                }
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("上传文件").to_owned();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => return bad("文件读取失败（可能超过 32 MB），请重新选择文件。"),
                }
            }
            _ => {}
        }
    }
    let mut form = EditForm::blank(&org);
    let Some((name, bytes)) = file else {
        let mut page = EditPage::new(layout, &staff, None, form);
        page.general
            .push("请选择要上传的 DOCX 或 PDF 文件。".into());
        return (StatusCode::BAD_REQUEST, page).into_response();
    };
    match gongkai_app::drafts::from_upload(&name, bytes).await {
        Ok(d) => {
            let mut found = Vec::new();
            if let Some(t) = d.title {
                form.title = t;
                found.push("标题");
            }
            if let Some(n) = d.doc_number {
                form.doc_number = n;
                found.push("发文字号");
            }
            if let Some(w) = d.written_date {
                form.written_date = gongkai_domain::format_date_iso(w);
                found.push("成文日期");
            }
            if let Some(i) = d.issuer {
                form.issuer = i;
                found.push("发文机关");
            }
            form.body = d.body_html;
            form.body_format = "html".into();
            let mut page = EditPage::new(layout, &staff, None, form);
            let mut notice = format!("已从“{name}”读取正文");
            if !found.is_empty() {
                notice.push_str(&format!(
                    "，并按公文格式识别出{}，请逐项核对",
                    found.join("、")
                ));
            }
            notice.push_str("。保存后才会生成草稿。");
            if let Some(u) = d.unread {
                notice.push_str(&u);
            }
            page.notice = Some(notice);
            page.into_response()
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let mut page = EditPage::new(layout, &staff, None, form);
            page.general.push(e.to_string());
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /staff/doc/{id}/attach?_csrf=…` (multipart `file`, repeatable): attachments of a
/// draft, their text extracted for search and the scan.
pub async fn attach(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(id): PathOr404<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return ErrorPage::not_found().into_response();
    };
    let bad = |m: &str| ErrorPage::bad_request(m).into_response();
    let Ok(mut multipart) = multipart else {
        return bad("上传内容无法读取，请重新选择文件。");
    };
    let mut added = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return bad("上传内容无法读取（单个附件不超过 50 MB），请重新选择文件。"),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b.to_vec(),
            Err(_) => return bad("附件读取失败（单个附件不超过 50 MB），请重新选择文件。"),
        };
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        if let Err(e) =
            gongkai_app::files::attach(s.app(), Actor::Staff(&staff), id, &name, bytes).await
        {
            return WebError(e).into_response();
        }
        added += 1;
    }
    if added == 0 {
        return bad("请选择要上传的附件。");
    }
    Redirect::to(&format!("/staff/doc/{id}?done=attached#review")).into_response()
}

/// A delivery in the log.
pub struct DeliveryRow {
    href: String,
    title: String,
    channel: String,
    queued: String,
    attempts: i32,
    delivered: Option<String>,
    error: String,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/deliveries.html")]
pub struct DeliveriesPage {
    layout: Layout,
    rows: Vec<DeliveryRow>,
    overdue: usize,
    hours: u32,
}

/// `GET /staff/deliveries`: what reached the channels, what did not, and what is past the
/// repost limit, for the records of the person's organizations.
pub async fn deliveries(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
) -> Response {
    let app = s.app();
    let log = async {
        let tree = gongkai_app::orgs::OrgTree::current(app).await?;
        gongkai_app::outbox::log(app, &staff, &tree).await
    }
    .await;
    let log = match log {
        Ok(l) => l,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let overdue = log.iter().filter(|e| e.overdue).count();
    DeliveriesPage {
        layout,
        overdue,
        hours: app.settings().repost_hours,
        rows: log
            .into_iter()
            .map(|e| DeliveryRow {
                href: format!("/staff/doc/{}", e.row.document_id),
                title: e.row.title,
                channel: e.row.channel,
                queued: china_time(e.row.created_at),
                attempts: e.row.attempts,
                delivered: e.row.delivered_at.map(china_time),
                error: e.row.last_error.unwrap_or_default(),
                overdue: e.overdue,
            })
            .collect(),
    }
    .into_response()
}

/// `POST /staff/doc/{id}/detach/{attachment}`: removes an attachment from a draft.
pub async fn detach(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((id, att)): PathOr404<(String, String)>,
) -> Response {
    let (Some(id), Some(att)) = (parse_id(&id), parse_id(&att)) else {
        return ErrorPage::not_found().into_response();
    };
    match gongkai_app::files::remove(s.app(), Actor::Staff(&staff), id, att).await {
        Ok(()) => Redirect::to(&format!("/staff/doc/{id}?done=detached")).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}
