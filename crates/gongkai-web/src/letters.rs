//! A request's letters as people get them: the printable page (what the applicant reads and
//! an office prints from a browser) and the DOCX (what an office stamps). The applicant
//! opens theirs with the 查询码 and secret posted from the tracking page; the handling unit's
//! staff open every letter of their requests.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::auth::Staff;
use gongkai_app::documents::Actor;
use gongkai_app::letters::TemplateSource;
use gongkai_app::orgs::OrgTree;
use gongkai_domain::Role;
use gongkai_domain::letter::{Facts, Letter, TemplateKey};
use serde::Deserialize;

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::public::PathOr404;
use crate::staff::{ClientAddress, LoggedIn};

/// The printable letter.
#[derive(Template, WebTemplate)]
#[template(path = "letters/letter.html")]
pub struct LetterPage {
    css: &'static str,
    letter: Letter,
}

/// The letter as a page of its own, `no-store` (it names the applicant).
pub fn page(letter: Letter) -> Response {
    let mut r = LetterPage {
        css: crate::assets::css_href(),
        letter,
    }
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The letter as a DOCX download.
pub fn docx_response(tracking: &str, letter: &Letter) -> Response {
    let bytes = match gongkai_app::letters::docx(letter) {
        Ok(b) => b,
        Err(e) => return WebError(e).into_response(),
    };
    let name = gongkai_app::letters::file_name(tracking, letter, "docx");
    download(bytes, DOCX, &name)
}

/// The media type of DOCX.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file to save, named `name` (UTF-8, RFC 5987), never cached.
pub fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let ext = name.rsplit_once('.').map_or("bin", |(_, e)| e);
    let disposition = format!(
        "attachment; filename=\"download.{ext}\"; filename*=UTF-8''{}",
        percent(name)
    );
    let mut r = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// RFC 5987 encoding of a file name.
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /staff/requests/{tracking}/letters/{id}` (printable) and `…/{id}/docx`.
pub async fn staff_letter(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((tracking, id)): PathOr404<(String, i64)>,
) -> Response {
    match gongkai_app::letters::staff_letter(s.app(), Actor::Staff(&staff), &tracking, id).await {
        Ok(l) => page(l),
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /staff/requests/{tracking}/letters/{id}/docx`.
pub async fn staff_docx(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((tracking, id)): PathOr404<(String, i64)>,
) -> Response {
    match gongkai_app::letters::staff_letter(s.app(), Actor::Staff(&staff), &tracking, id).await {
        Ok(l) => docx_response(&tracking, &l),
        Err(e) => WebError(e).into_response(),
    }
}

/// The tracking page's download form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AskLetter {
    tracking: String,
    secret: String,
    id: String,
    format: String,
}

/// `POST /track/letter`: a letter addressed to the applicant, as a page or a DOCX.
pub async fn applicant_letter(
    State(s): State<AppState>,
    ClientAddress(source): ClientAddress,
    Form(f): Form<AskLetter>,
) -> Response {
    let Ok(id) = f.id.trim().parse::<i64>() else {
        return ErrorPage::not_found().into_response();
    };
    let tracking = f.tracking.trim();
    match gongkai_app::intake::applicant_letter(s.app(), tracking, &f.secret, id, &source).await {
        Ok(l) if f.format == "docx" => docx_response(tracking, &l),
        Ok(l) => page(l),
        Err(gongkai_app::Error::NotFound(_)) => ErrorPage::new(
            StatusCode::NOT_FOUND,
            "未找到告知书",
            "查询码、密码或告知书不对。请回到“申请查询”页面重新查询。",
        )
        .into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// An organization whose templates this person edits.
struct OrgChoice {
    code: String,
    name: String,
    selected: bool,
}

/// One template in the list.
struct TemplateLine {
    code: String,
    label: String,
    source: String,
    own: bool,
}

/// `GET /staff/letters`: the letter templates of an organization the person edits.
#[derive(Template, WebTemplate)]
#[template(path = "staff/letter_templates.html")]
pub struct TemplatesPage {
    layout: Layout,
    orgs: Vec<OrgChoice>,
    org: String,
    lines: Vec<TemplateLine>,
    /// The organization's 计费方式 (code) and the choices.
    fee_rule: &'static str,
    fee_rules: Vec<(&'static str, &'static str)>,
    done: bool,
}

/// `?org=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrgQuery {
    org: String,
    done: String,
}

/// The organizations whose templates this person edits (their 政务公开办 grants).
fn editable(staff: &Staff, tree: &OrgTree) -> Vec<(i64, String, String)> {
    tree.all()
        .iter()
        .filter(|o| staff.has_role(o.id, Role::Office))
        .map(|o| (o.id, o.code.clone(), o.name.clone()))
        .collect()
}

/// `GET /staff/letters?org=CODE`.
pub async fn templates_page(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let orgs = editable(&staff, &tree);
    let Some((org_id, code, _)) = orgs
        .iter()
        .find(|o| o.1 == q.org)
        .or_else(|| orgs.first())
        .cloned()
    else {
        return ErrorPage::new(
            StatusCode::FORBIDDEN,
            "没有权限",
            "告知书模板由政务公开办维护：您在任何机构都没有“政务公开办”角色。",
        )
        .into_response();
    };
    let rows = match gongkai_app::letters::templates(s.app(), Actor::Staff(&staff), org_id).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let fee_rule = match gongkai_app::fees::rule_of(s.app(), org_id).await {
        Ok(r) => r.code(),
        Err(e) => return WebError(e).into_response(),
    };
    TemplatesPage {
        layout,
        fee_rule,
        fee_rules: gongkai_domain::FeeRule::all()
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        orgs: orgs
            .iter()
            .map(|o| OrgChoice {
                code: o.1.clone(),
                name: o.2.clone(),
                selected: o.0 == org_id,
            })
            .collect(),
        org: code,
        lines: rows
            .into_iter()
            .map(|r| TemplateLine {
                code: r.key.code(),
                label: r.key.label(),
                own: r.source == TemplateSource::Own,
                source: match r.source {
                    TemplateSource::Own => "本机关".to_owned(),
                    TemplateSource::Inherited(name) => format!("沿用{name}"),
                    TemplateSource::Platform => "平台默认".to_owned(),
                },
            })
            .collect(),
        done: q.done == "saved",
    }
    .into_response()
}

/// `GET /staff/letters/{org}/{key}`: one template, with the fill-ins and a preview.
#[derive(Template, WebTemplate)]
#[template(path = "staff/letter_template.html")]
pub struct TemplateEditPage {
    layout: Layout,
    org: String,
    org_name: String,
    code: String,
    label: String,
    source: String,
    own: bool,
    title: String,
    body: String,
    error: Option<String>,
    fields: &'static [(&'static str, &'static str)],
    preview: Option<Letter>,
}

/// Sample facts for a preview: a made-up applicant, never a real one.
fn sample(key: TemplateKey, org: &str, today: time::Date) -> Facts {
    let mut extra = BTreeMap::new();
    for (name, value) in [
        ("补正事项", "请写明所需信息的文号或者形成时间"),
        ("补正期限", "（补正期限）"),
        ("延期理由", "所申请信息涉及多个部门，需要协调核实"),
        ("被征求意见方", "某某有限公司"),
        ("费用金额", "100"),
        ("计费说明", "按件计收：本月第11件起每件100元"),
        ("答复内容", "（经办人填写的答复内容）"),
    ] {
        extra.insert(name.to_owned(), value.to_owned());
    }
    Facts {
        org: org.to_owned(),
        applicant: "（申请人）".to_owned(),
        tracking: "YS20261201-示例".to_owned(),
        received: today,
        description: "（申请公开的信息）".to_owned(),
        issued: today,
        due: Some(today),
        basis: key.basis,
        review_body: "（行政复议机关）".to_owned(),
        extra,
    }
}

async fn edit_page(
    s: &AppState,
    layout: Layout,
    staff: &Staff,
    org: &str,
    code: &str,
    draft: Option<(String, String, String)>,
) -> Response {
    let Ok(key) = TemplateKey::parse(code) else {
        return ErrorPage::not_found().into_response();
    };
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let Some((org_id, org_code, org_name)) =
        editable(staff, &tree).into_iter().find(|o| o.1 == org)
    else {
        return ErrorPage::not_found().into_response();
    };
    let rows = match gongkai_app::letters::templates(s.app(), Actor::Staff(staff), org_id).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let Some(row) = rows.into_iter().find(|r| r.key == key) else {
        return ErrorPage::not_found().into_response();
    };
    let (title, body, error) = match draft {
        Some((t, b, e)) => (t, b, Some(e)),
        None => (row.template.title.clone(), row.template.body.clone(), None),
    };
    let candidate = gongkai_domain::letter::Template {
        title: title.clone(),
        body: body.clone(),
    };
    let preview = gongkai_domain::letter::render(
        key,
        &candidate,
        &sample(key, &org_name, s.app().today()),
        gongkai_domain::letter::number("（代字）", key.kind, s.app().today().year(), 1),
        "（收件人）",
    )
    .ok();
    let mut r = TemplateEditPage {
        layout,
        org: org_code,
        org_name,
        code: key.code(),
        label: key.label(),
        own: row.source == TemplateSource::Own,
        source: match row.source {
            TemplateSource::Own => "本机关的写法".to_owned(),
            TemplateSource::Inherited(name) => format!("沿用{name}的写法"),
            TemplateSource::Platform => "平台默认写法".to_owned(),
        },
        title,
        body,
        fields: gongkai_domain::letter::FIELDS,
        preview,
        error: error.filter(|e| !e.is_empty()),
    }
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /staff/letters/{org}/{key}`.
pub async fn template_form(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, code)): PathOr404<(String, String)>,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    edit_page(&s, layout, &staff, &org, &code, None).await
}

/// The edit form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TemplateForm {
    title: String,
    body: String,
    /// `save`, `preview` or `reset`.
    action: String,
}

/// `POST /staff/letters/{org}/{key}`: saves, previews or goes back to the inherited wording.
pub async fn template_save(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404((org, code)): PathOr404<(String, String)>,
    form: Result<Form<TemplateForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    layout.staff_name = Some(staff.display_name.clone());
    let Ok(key) = TemplateKey::parse(&code) else {
        return ErrorPage::not_found().into_response();
    };
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let Some((org_id, _, _)) = editable(&staff, &tree).into_iter().find(|o| o.1 == org) else {
        return ErrorPage::not_found().into_response();
    };
    let template = gongkai_domain::letter::Template {
        title: f.title.clone(),
        body: f.body.clone(),
    };
    if f.action == "preview" {
        let problem = template
            .check()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        return edit_page(
            &s,
            layout,
            &staff,
            &org,
            &code,
            Some((f.title, f.body, problem)),
        )
        .await;
    }
    let wanted = (f.action != "reset").then_some(&template);
    match gongkai_app::letters::set_template(s.app(), Actor::Staff(&staff), org_id, key, wanted)
        .await
    {
        Ok(()) => axum::response::Redirect::to(&format!("/staff/letters?org={org}&done=saved"))
            .into_response(),
        Err(gongkai_app::Error::Invalid(m)) => {
            let m = m.strip_prefix("body：").unwrap_or(&m).to_owned();
            let mut r =
                edit_page(&s, layout, &staff, &org, &code, Some((f.title, f.body, m))).await;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// The 计费方式 form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FeeRuleForm {
    rule: String,
}

/// `POST /staff/fee-rule/{org}`: the organization's 计费方式 (its 政务公开办).
pub async fn set_fee_rule(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(org): PathOr404<String>,
    form: Result<Form<FeeRuleForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(rule) = gongkai_domain::FeeRule::from_code(f.rule.trim()) else {
        return ErrorPage::bad_request("计费方式：请选择按件计收或按量计收。").into_response();
    };
    let tree = match OrgTree::current(s.app()).await {
        Ok(t) => t,
        Err(e) => return WebError(e).into_response(),
    };
    let Some((org_id, _, _)) = editable(&staff, &tree).into_iter().find(|o| o.1 == org) else {
        return ErrorPage::not_found().into_response();
    };
    match gongkai_app::fees::set_rule(s.app(), Actor::Staff(&staff), org_id, rule).await {
        Ok(()) => axum::response::Redirect::to(&format!("/staff/letters?org={org}&done=saved"))
            .into_response(),
        Err(e) => WebError(e).into_response(),
    }
}
