//! The staff desk of 依申请公开 (SPEC C4): the applications waiting to be registered and the
//! open requests of the person's units, the soonest due first with the days left; a request's
//! page with the applicant, the clock explained step by step, and forms for registration,
//! each clock event and the reply. Every action goes through `app::intake`, which checks the
//! person's role in the request's unit.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::documents::Actor;
use gongkai_app::intake::{Desk, NewEvent};
use gongkai_domain::deadline::ClockStatus;
use gongkai_domain::workflow::Action;
use gongkai_domain::{LegalBasis, Outcome, Role};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::public::PathOr404;
use crate::staff::LoggedIn;

/// A row of the open queue.
pub struct OpenRow {
    tracking: String,
    org: String,
    received: String,
    due: String,
    status: &'static str,
    status_code: &'static str,
    days_left: String,
    urgent: bool,
    assignee: String,
    reply: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/requests.html")]
pub struct RequestsPage {
    layout: Layout,
    waiting: Vec<gongkai_app::intake::WaitingRow>,
    open: Vec<OpenRow>,
    filter: String,
    filters: Vec<(&'static str, &'static str, usize)>,
    /// Per unit: name, open, due soon, overdue (for an office over several units).
    units: Vec<(String, usize, usize, usize)>,
    today: String,
}

fn filters(desk: &Desk, soon: u32, me: i64) -> Vec<(&'static str, &'static str, usize)> {
    let count = |f: &str| desk.open.iter().filter(|r| matches(f, r, soon, me)).count();
    [
        ("", "全部"),
        ("mine", "我承办的"),
        ("soon", "即将到期"),
        ("overdue", "已逾期"),
        ("correction", "待补正"),
        ("consulting", "征求意见中"),
        ("fee", "待缴费"),
        ("extended", "已延期"),
        ("review", "答复待审核"),
        ("sign", "答复待签发"),
    ]
    .into_iter()
    .map(|(code, label)| (code, label, count(code)))
    .collect()
}

/// Whether a row passes a filter; "soon" is within the first reminder's working days.
fn matches(filter: &str, r: &gongkai_app::intake::OpenRow, soon: u32, me: i64) -> bool {
    let c = &r.clock;
    match filter {
        "mine" => r.assignee.as_ref().is_some_and(|(id, _)| *id == me),
        "soon" => c.status == ClockStatus::Open && c.days_left.is_some_and(|d| d <= soon),
        "overdue" => c.status == ClockStatus::Overdue,
        "correction" => c.status == ClockStatus::AwaitingCorrection,
        "paused" => c.status == ClockStatus::Paused,
        "consulting" => r.consulting,
        "fee" => r.awaiting_fee,
        "extended" => c.extension > 0,
        "review" => r.reply_stage.as_deref() == Some("submitted"),
        "sign" => r.reply_stage.as_deref() == Some("reviewed"),
        _ => true,
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    filter: String,
}

/// `GET /staff/requests`.
pub async fn list(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let q: ListQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let desk = match gongkai_app::intake::desk(s.app(), &staff).await {
        Ok(d) => d,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let settings = s.app().settings();
    let filters = filters(&desk, settings.reminder_first_days, staff.id);
    let open = desk
        .open
        .iter()
        .filter(|r| matches(&q.filter, r, settings.reminder_first_days, staff.id))
        .map(|r| OpenRow {
            tracking: r.tracking.clone(),
            org: r.org.clone(),
            received: gongkai_domain::format_date_iso(r.received),
            due: match (r.clock.due, r.clock.provisional.is_empty()) {
                (Some(d), true) => gongkai_domain::format_date_iso(d),
                (Some(d), false) => format!("{}（暂定）", gongkai_domain::format_date_iso(d)),
                (None, _) => "—".into(),
            },
            status: r.clock.status.label(),
            status_code: r.clock.status.code(),
            assignee: r.assignee.as_ref().map(|a| a.1.clone()).unwrap_or_default(),
            reply: match r.reply_stage.as_deref() {
                Some("submitted") => "答复待审核",
                Some("reviewed") => "答复待签发",
                Some("draft") => "答复已退回",
                _ => "",
            },
            days_left: r
                .clock
                .days_left
                .map(|d| format!("{d} 个工作日"))
                .unwrap_or_else(|| "—".into()),
            urgent: r.clock.status == ClockStatus::Overdue
                || r.clock
                    .days_left
                    .is_some_and(|d| d <= settings.reminder_last_days),
        })
        .collect();
    let mut units: Vec<(String, usize, usize, usize)> = Vec::new();
    for r in &desk.open {
        let i = match units.iter().position(|u| u.0 == r.org) {
            Some(i) => i,
            None => {
                units.push((r.org.clone(), 0, 0, 0));
                units.len() - 1
            }
        };
        units[i].1 += 1;
        if matches("soon", r, settings.reminder_first_days, staff.id) {
            units[i].2 += 1;
        }
        if matches("overdue", r, settings.reminder_first_days, staff.id) {
            units[i].3 += 1;
        }
    }
    units.sort_by(|a, b| b.3.cmp(&a.3).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    RequestsPage {
        layout,
        units,
        waiting: desk.waiting,
        open,
        filter: q.filter,
        filters,
        today: gongkai_domain::format_date_iso(s.app().today()),
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/request.html")]
pub struct RequestPage {
    layout: Layout,
    tracking: String,
    status: &'static str,
    registered: bool,
    closed: bool,
    applicant_type: String,
    applicant: Vec<(&'static str, String)>,
    description: String,
    purpose: String,
    wanted: String,
    submitted_at: String,
    received: String,
    due: String,
    provisional: String,
    steps: Vec<(String, String)>,
    warnings: Vec<String>,
    today: String,
    /// The legal bases grouped under their outcome (the report row), for the reply.
    basis_groups: Vec<(String, Vec<(&'static str, &'static str)>)>,
    letters: Vec<gongkai_app::letters::LetterRow>,
    /// The id the next consultation takes, and those awaiting an answer (id, label).
    next_consult: String,
    open_consults: Vec<(String, String)>,
    reply: Option<ReplyPanel>,
    /// What this person may do with the reply.
    can_draft: bool,
    can_review: bool,
    can_sign: bool,
    /// A 补正 is awaited: the only reply now is 逾期不补正 (Art. 30).
    awaiting_correction: bool,
    /// The applicant's answers to 补正告知书: (text, when).
    corrections: Vec<(String, String)>,
    /// The unit's 计费方式, and for 按件 the fee this request would cost.
    fee_rule: &'static str,
    fee_by_volume: bool,
    fee_quote: String,
    /// 承办: the unit's 经办人 and who has it.
    handlers: Vec<(i64, String)>,
    assigned: Option<i64>,
    assignee: String,
    can_handle: bool,
    archived: String,
    reviews: Vec<ReviewLine>,
    review_kinds: Vec<(&'static str, &'static str)>,
    review_results: Vec<(&'static str, &'static str)>,
    done: Option<&'static str>,
}

impl RequestPage {
    fn is_assigned(&self, id: &i64) -> bool {
        self.assigned == Some(*id)
    }
}

/// A 行政复议 or 行政诉讼 case of the request.
struct ReviewLine {
    position: usize,
    kind: String,
    filed: String,
    result: String,
    decided: String,
}

/// The reply being signed, as the page shows it.
struct ReplyPanel {
    stage: &'static str,
    stage_code: &'static str,
    basis_code: &'static str,
    basis: &'static str,
    outcome: String,
    content: String,
    handled_by: String,
    reviewed_by: String,
    returned_reason: String,
    preview: gongkai_domain::letter::Letter,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// `GET /staff/requests/{tracking}`: the request for its unit's staff (404 for others).
pub async fn show(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let q: DoneQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let view = match gongkai_app::intake::for_staff(s.app(), Actor::Staff(&staff), &tracking).await
    {
        Ok(v) => v,
        Err(e) => return WebError(e).into_response(),
    };
    layout.staff_name = Some(staff.display_name.clone());
    let applicant_json = view
        .intake
        .as_ref()
        .map(|i| i.applicant.clone())
        .or_else(|| view.request.as_ref().map(|r| r.applicant.clone()))
        .unwrap_or_default();
    let details: serde_json::Value = serde_json::from_str(&applicant_json).unwrap_or_default();
    let applicant = [
        ("姓名或名称", "name"),
        ("身份证明", "id_number"),
        ("联系电话", "phone"),
        ("电子邮箱", "email"),
        ("通信地址", "address"),
    ]
    .into_iter()
    .filter_map(|(label, key)| {
        details
            .get(key)
            .and_then(|v| v.as_str())
            .map(|v| (label, v.to_owned()))
    })
    .collect();
    let type_code = view
        .intake
        .as_ref()
        .map(|i| i.applicant_type.clone())
        .or_else(|| view.request.as_ref().map(|r| r.applicant_type.clone()))
        .unwrap_or_default();
    let applicant_type = gongkai_domain::ApplicantType::from_code(&type_code)
        .map(|t| t.label().to_owned())
        .unwrap_or(type_code);
    let wanted = view
        .intake
        .as_ref()
        .map(|i| {
            let form = i
                .form
                .as_deref()
                .and_then(|f| gongkai_domain::application::InfoForm::from_code(f).ok())
                .map(|f| f.label());
            let delivery = i
                .delivery
                .as_deref()
                .and_then(|d| gongkai_domain::application::Delivery::from_code(d).ok())
                .map(|d| d.label());
            [form, delivery]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("，")
        })
        .unwrap_or_default();
    let clock = view.clock.as_ref();
    let org_id = view
        .request
        .as_ref()
        .map(|r| r.org_id)
        .or_else(|| view.intake.as_ref().map(|i| i.org_id))
        .unwrap_or_default();
    // Consultations sent, and those not answered yet.
    let events: Vec<serde_json::Value> = view
        .request
        .as_ref()
        .and_then(|r| serde_json::from_str(&r.events).ok())
        .unwrap_or_default();
    let id_of = |e: &serde_json::Value, kind: &str| {
        (e.get("kind").and_then(|k| k.as_str()) == Some(kind))
            .then(|| e.get("id").and_then(|i| i.as_str()).map(str::to_owned))
            .flatten()
    };
    let consults: Vec<(String, String)> = events
        .iter()
        .filter_map(|e| {
            id_of(e, "consultation_sent").map(|id| {
                let date = e.get("date").and_then(|d| d.as_str()).unwrap_or_default();
                (id.clone(), format!("第 {id} 号征求（{date} 发出）"))
            })
        })
        .collect();
    let answered: Vec<String> = events
        .iter()
        .filter_map(|e| id_of(e, "consultation_answered"))
        .collect();
    let open_consults = consults
        .iter()
        .filter(|(id, _)| !answered.contains(id))
        .cloned()
        .collect();
    let reply = match (&view.request, clock) {
        (Some(r), Some(c)) => match gongkai_app::replies::view(s.app(), r, c).await {
            Ok(v) => v.map(|v| ReplyPanel {
                stage: v.stage.label(),
                stage_code: v.stage.code(),
                basis_code: v.basis.code(),
                basis: v.basis.label(),
                outcome: v.basis.outcome().row_label(),
                content: v.written.get("答复内容").cloned().unwrap_or_default(),
                handled_by: v.handled_by.unwrap_or_default(),
                reviewed_by: v.reviewed_by.unwrap_or_default(),
                returned_reason: v.returned_reason.unwrap_or_default(),
                preview: v.preview,
            }),
            Err(e) => return WebError(e).into_response(),
        },
        _ => None,
    };
    let can_handle = staff.holds(org_id, Role::Clerk) || staff.holds(org_id, Role::Office);
    let rule = match gongkai_app::fees::rule_of(s.app(), org_id).await {
        Ok(r) => r,
        Err(e) => return WebError(e).into_response(),
    };
    let fee_quote = match (rule, &view.request) {
        (gongkai_domain::FeeRule::ByCount, Some(_)) => {
            match gongkai_app::fees::quote_for(s.app(), Actor::Staff(&staff), &tracking, None).await
            {
                Ok((_, q)) => q.explanation,
                Err(e) => e.to_string(),
            }
        }
        _ => String::new(),
    };
    let handlers = match gongkai_app::handling::handlers(s.app(), org_id).await {
        Ok(h) => h.into_iter().map(|h| (h.id, h.name)).collect::<Vec<_>>(),
        Err(e) => return WebError(e).into_response(),
    };
    let (handling, cases) = match &view.request {
        Some(r) => {
            let h = gongkai_app::handling::of(s.app(), r.id).await;
            let c = gongkai_app::handling::reviews(s.app(), r.id).await;
            match (h, c) {
                (Ok(h), Ok(c)) => (h, c),
                (Err(e), _) | (_, Err(e)) => return WebError(e).into_response(),
            }
        }
        None => (None, Vec::new()),
    };
    let assigned = handling.as_ref().and_then(|h| h.assigned_to);
    let assignee = assigned
        .and_then(|id| handlers.iter().find(|h| h.0 == id).map(|h| h.1.clone()))
        .unwrap_or_default();
    let archived = handling
        .as_ref()
        .and_then(|h| h.archived_on)
        .map(gongkai_domain::format_date_iso)
        .unwrap_or_default();
    let reviews = cases
        .iter()
        .enumerate()
        .map(|(i, c)| ReviewLine {
            position: i,
            kind: gongkai_domain::request::ReviewKind::from_code(&c.kind)
                .map(|k| k.label().to_owned())
                .unwrap_or_else(|_| c.kind.clone()),
            filed: gongkai_domain::format_date_iso(c.filed_date),
            result: c
                .result
                .as_deref()
                .and_then(|r| gongkai_domain::request::ReviewResult::from_code(r).ok())
                .map(|r| r.label().to_owned())
                .unwrap_or_default(),
            decided: c
                .decided_date
                .map(gongkai_domain::format_date_iso)
                .unwrap_or_default(),
        })
        .collect();
    let corrections =
        match gongkai_app::intake::corrections(s.app(), Actor::Staff(&staff), &tracking).await {
            Ok(c) => c,
            Err(e) => return WebError(e).into_response(),
        };
    RequestPage {
        layout,
        corrections,
        fee_rule: rule.label(),
        fee_by_volume: rule == gongkai_domain::FeeRule::ByVolume,
        fee_quote,
        handlers,
        assigned,
        assignee,
        can_handle,
        archived,
        reviews,
        review_kinds: gongkai_domain::request::ReviewKind::all()
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        review_results: gongkai_domain::request::ReviewResult::all()
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        tracking: tracking.trim().to_owned(),
        status: clock.map_or("待受理（尚未登记）", |c| c.status.label()),
        registered: view.request.is_some(),
        closed: clock
            .is_some_and(|c| matches!(c.status, ClockStatus::Replied | ClockStatus::Withdrawn)),
        applicant_type,
        applicant,
        description: view
            .intake
            .as_ref()
            .map(|i| i.description.clone())
            .or_else(|| view.request.as_ref().and_then(|r| r.description.clone()))
            .unwrap_or_default(),
        purpose: view
            .intake
            .as_ref()
            .and_then(|i| i.purpose.clone())
            .unwrap_or_default(),
        wanted,
        submitted_at: view
            .intake
            .as_ref()
            .map(|i| gongkai_app::format_china_time(i.submitted_at))
            .unwrap_or_else(|| "（迁移的历史记录）".into()),
        received: view
            .request
            .as_ref()
            .map(|r| gongkai_domain::format_date_iso(r.received_date))
            .unwrap_or_default(),
        due: clock
            .and_then(|c| c.due)
            .map(gongkai_domain::format_date_iso)
            .unwrap_or_default(),
        provisional: clock
            .and_then(|c| c.provisional_reason())
            .unwrap_or_default(),
        steps: clock
            .map(|c| {
                c.steps
                    .iter()
                    .map(|s| (gongkai_domain::format_date_iso(s.date), s.effect.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        warnings: clock.map(|c| c.warnings.clone()).unwrap_or_default(),
        today: gongkai_domain::format_date_iso(s.app().today()),
        basis_groups: Outcome::all()
            .iter()
            .map(|o| {
                (
                    o.row_label(),
                    o.legal_bases()
                        .iter()
                        .map(|b| (b.code(), b.label()))
                        .collect(),
                )
            })
            .collect(),
        letters: view.letters.clone(),
        next_consult: (consults.len() + 1).to_string(),
        open_consults,
        can_draft: staff.holds(org_id, Role::Clerk)
            && reply.as_ref().is_none_or(|r| r.stage_code == "draft"),
        can_review: staff.holds(org_id, Role::Reviewer)
            && reply.as_ref().is_some_and(|r| r.stage_code == "submitted"),
        can_sign: staff.holds(org_id, Role::Approver)
            && reply.as_ref().is_some_and(|r| r.stage_code == "reviewed"),
        reply,
        awaiting_correction: clock.is_some_and(|c| c.status == ClockStatus::AwaitingCorrection),
        done: match q.done.as_str() {
            "registered" => Some("已登记，答复期限自收到申请之日起计算；登记回执已生成。"),
            "event" => Some("已记录，答复期限已重新计算。"),
            "submitted" => Some("答复已提交审核。"),
            "review" => Some("已审核通过，待签发。"),
            "approve" => Some("已签发：答复已记录，答复告知书已生成，申请人可下载。"),
            "return" => Some("已退回经办人修改。"),
            "assigned" => Some("承办人已更新。"),
            "archived" => Some("已归档。"),
            "review_added" => Some("已记录复议诉讼案件，计入年度报告表四。"),
            "review_decided" => Some("已记录审结结果。"),
            _ => None,
        },
    }
    .into_response()
}

/// The registration form.
#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    received: String,
}

/// `POST /staff/requests/{tracking}/register`.
pub async fn register(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    form: Result<Form<RegisterForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(date) = gongkai_domain::parse_date(f.received.trim()) else {
        return ErrorPage::bad_request("收到申请之日：请按“年-月-日”填写，如 2026-12-01。")
            .into_response();
    };
    match gongkai_app::intake::register(s.app(), Actor::Staff(&staff), &tracking, date).await {
        Ok(_) => Redirect::to(&format!(
            "/staff/requests/{}?done=registered",
            tracking.trim()
        ))
        .into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// A clock event, or the reply, from the request's page.
#[derive(Deserialize, Default)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    outcome: String,
    /// Repeated field: one value per basis checked.
    #[serde(default)]
    basis: Vec<String>,
}

/// `POST /staff/requests/{tracking}/event`.
pub async fn event(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    axum::extract::RawForm(raw): axum::extract::RawForm,
) -> Response {
    // serde_urlencoded reads a repeated `basis` only through a list of pairs.
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&raw) else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let mut f = EventForm::default();
    let mut written = gongkai_app::intake::Written::default();
    let mut pages = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => f.kind = v,
            "date" => f.date = v,
            "id" => f.id = v,
            "working_days" => f.working_days = v,
            "outcome" => f.outcome = v,
            "basis" => f.basis.push(v),
            "to_agency" => written.to_agency = v == "1",
            "pages" => pages = v,
            _ => {
                if let Some(name) = k.strip_prefix("letter.")
                    && gongkai_domain::letter::WRITTEN.contains(&name)
                {
                    written.fields.insert(name.to_owned(), v.trim().to_owned());
                }
            }
        }
    }
    if f.kind == "replied" {
        return ErrorPage::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "答复须经审核、签发",
            "答复由经办人在“答复”栏拟写并提交审核，审核人审核、签发人签发后自动记录。请返回申请页面。",
        )
        .into_response();
    }
    if let Some(until) = written.fields.get("补正期限").cloned()
        && !until.is_empty()
    {
        match gongkai_domain::parse_date(&until) {
            Ok(d) if d >= s.app().today() => {
                written
                    .fields
                    .insert("补正期限".into(), gongkai_domain::format_date_cn(d));
            }
            _ => {
                return ErrorPage::bad_request("补正期限：请选择今天或以后的日期。")
                    .into_response();
            }
        }
    }
    if f.kind == "fee_notice" {
        let pages = match pages.trim() {
            "" => None,
            p => match p.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    return ErrorPage::bad_request("页数：请填写正整数。").into_response();
                }
            },
        };
        match gongkai_app::fees::quote_for(s.app(), Actor::Staff(&staff), &tracking, pages).await {
            Ok((_, q)) if q.amount == 0 => {
                return ErrorPage::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "按规定不收费",
                    &format!("{}。无需发收费通知。", q.explanation),
                )
                .into_response();
            }
            Ok((_, q)) => {
                written
                    .fields
                    .insert("费用金额".into(), q.amount.to_string());
                written.fields.insert("计费说明".into(), q.explanation);
            }
            Err(gongkai_app::Error::Invalid(m)) => {
                return ErrorPage::new(StatusCode::UNPROCESSABLE_ENTITY, "未能记录", &m)
                    .into_response();
            }
            Err(e) => return WebError(e).into_response(),
        }
    }
    let letter = matches!(
        f.kind.as_str(),
        "correction_requested" | "extension" | "consultation_sent" | "fee_notice"
    )
    .then_some(written);
    let mut event = json!({"kind": f.kind.trim(), "date": f.date.trim()});
    if matches!(
        f.kind.as_str(),
        "consultation_sent" | "consultation_answered"
    ) {
        event["id"] = json!(f.id.trim());
    }
    if f.kind == "extension" {
        let Ok(days) = f.working_days.trim().parse::<u32>() else {
            return ErrorPage::bad_request("延期工作日数：请填写 1 到 20 之间的整数。")
                .into_response();
        };
        event["working_days"] = json!(days);
    }
    let outcome = if f.kind == "replied" {
        let Ok(outcome) = Outcome::from_code(f.outcome.trim()) else {
            return ErrorPage::bad_request("办理结果：请选择答复的办理结果。").into_response();
        };
        let mut bases = Vec::new();
        for b in &f.basis {
            match LegalBasis::parse(b) {
                Ok(b) => bases.push(b),
                Err(e) => return ErrorPage::bad_request(&format!("答复依据：{e}")).into_response(),
            }
        }
        Some((outcome, bases))
    } else {
        None
    };
    let new = NewEvent {
        event,
        outcome,
        letter,
    };
    match gongkai_app::intake::add_event(s.app(), Actor::Staff(&staff), &tracking, &new).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/requests/{}?done=event", tracking.trim())).into_response()
        }
        Err(gongkai_app::Error::Invalid(m)) => ErrorPage::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "未能记录",
            &format!("{m}。请返回修改后再提交。"),
        )
        .into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /staff/requests/new`: registering a letter or a walk-in.
pub async fn new_form(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
) -> Response {
    layout.staff_name = Some(staff.display_name.clone());
    let mut form = crate::apply::ApplyForm::default();
    form.channel = "letter".into();
    form.received = gongkai_domain::format_date_iso(s.app().today());
    crate::apply::form_page(
        &s,
        layout,
        Some(&staff),
        form,
        std::collections::HashMap::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/requests/new`: registers it with its receipt date and shows the receipt
/// (查询码 and secret) to hand to the applicant.
pub async fn create(
    State(s): State<AppState>,
    mut layout: Layout,
    LoggedIn(staff): LoggedIn,
    form: Result<Form<crate::apply::ApplyForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    layout.staff_name = Some(staff.display_name.clone());
    let mut errors = std::collections::HashMap::new();
    let channel = match form.channel.as_str() {
        "walk_in" => gongkai_app::intake::Channel::WalkIn,
        _ => gongkai_app::intake::Channel::Letter,
    };
    let received = gongkai_domain::parse_date(form.received.trim());
    if received.is_err() {
        errors.insert("received", "请按“年-月-日”填写收到申请之日".to_owned());
    }
    let application = match gongkai_domain::application::validate_application(&form.to_json()) {
        Ok(a) => Some(a),
        Err(problems) => {
            for p in problems {
                errors
                    .entry(crate::apply::input_of(p.field))
                    .or_insert(p.message);
            }
            None
        }
    };
    let (Some(application), Ok(received)) = (application, received) else {
        return crate::apply::form_page(
            &s,
            layout,
            Some(&staff),
            form,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let done = gongkai_app::intake::register_offline(
        s.app(),
        Actor::Staff(&staff),
        &application,
        channel,
        received,
    )
    .await;
    match done {
        Ok((receipt, _)) => {
            let org = staff
                .grants
                .iter()
                .find(|g| g.org_code == application.org.as_str())
                .map(|g| g.org_name.clone())
                .unwrap_or_default();
            let mut r = crate::apply::AppliedPage {
                layout,
                tracking: receipt.tracking,
                secret: receipt.secret,
                org,
                staff: true,
            }
            .into_response();
            r.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            r
        }
        Err(gongkai_app::Error::Invalid(m)) => {
            let field = if m.starts_with("received") {
                "received"
            } else {
                "org"
            };
            errors.insert(field, m);
            crate::apply::form_page(
                &s,
                layout,
                Some(&staff),
                form,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// The reply form of the 经办人.
#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    basis: String,
    #[serde(default, rename = "letter.答复内容")]
    content: String,
}

/// `POST /staff/requests/{tracking}/reply`: the 经办人 writes the reply and submits it.
pub async fn reply(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    form: Result<Form<ReplyForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let Ok(basis) = LegalBasis::parse(f.basis.trim()) else {
        return ErrorPage::bad_request("答复依据：请选择答复所依据的条款。").into_response();
    };
    let mut written = std::collections::BTreeMap::new();
    written.insert("答复内容".to_owned(), f.content.trim().to_owned());
    done_or_error(
        gongkai_app::replies::submit(s.app(), Actor::Staff(&staff), &tracking, basis, written)
            .await,
        &tracking,
        "submitted",
    )
}

/// The reviewer's or approver's form.
#[derive(Deserialize, Default)]
pub struct ReplyActionForm {
    #[serde(default)]
    reason: String,
}

/// `POST /staff/requests/{tracking}/reply/{action}`: `review`, `approve` or `return`.
pub async fn reply_action(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404((tracking, action)): PathOr404<(String, String)>,
    form: Result<Form<ReplyActionForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let action = match action.as_str() {
        "review" => Action::Review,
        "approve" => Action::Approve,
        "return" => Action::Return { reason: f.reason },
        _ => return ErrorPage::not_found().into_response(),
    };
    let done = gongkai_app::replies::act(s.app(), Actor::Staff(&staff), &tracking, &action).await;
    done_or_error(done.map(|_| ()), &tracking, action.code())
}

/// The 承办人 form.
#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    assigned_to: String,
}

/// `POST /staff/requests/{tracking}/assign`.
pub async fn assign(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    form: Result<Form<AssignForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let to = match f.assigned_to.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return ErrorPage::bad_request("承办人：请从列表中选择。").into_response(),
        },
    };
    done_or_error(
        gongkai_app::handling::assign(s.app(), Actor::Staff(&staff), &tracking, to).await,
        &tracking,
        "assigned",
    )
}

/// `POST /staff/requests/{tracking}/archive`.
pub async fn archive(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
) -> Response {
    done_or_error(
        gongkai_app::handling::archive(s.app(), Actor::Staff(&staff), &tracking).await,
        &tracking,
        "archived",
    )
}

/// A 行政复议 or 行政诉讼 case, or its decision.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewForm {
    kind: String,
    filed_date: String,
    result: String,
    decided_date: String,
    position: String,
}

/// `POST /staff/requests/{tracking}/reviews`: a new case, or (with `position`) the decision
/// of a pending one.
pub async fn review(
    State(s): State<AppState>,
    LoggedIn(staff): LoggedIn,
    PathOr404(tracking): PathOr404<String>,
    form: Result<Form<ReviewForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    use gongkai_domain::request::{Review, ReviewKind, ReviewResult};
    let Ok(Form(f)) = form else {
        return ErrorPage::bad_request("表单内容不完整，请重新填写。").into_response();
    };
    let date = |v: &str, what: &str| {
        gongkai_domain::parse_date(v.trim()).map_err(|_| {
            ErrorPage::bad_request(&format!("{what}：请按“年-月-日”填写，如 2026-12-01。"))
        })
    };
    let result = match f.result.trim() {
        "" => None,
        r => match ReviewResult::from_code(r) {
            Ok(r) => Some(r),
            Err(_) => return ErrorPage::bad_request("结果：请从列表中选择。").into_response(),
        },
    };
    let decided = match (result, f.decided_date.trim()) {
        (None, "") => None,
        (Some(_), "") => {
            return ErrorPage::bad_request("审结日期：有结果时须填写审结日期。").into_response();
        }
        (None, _) => {
            return ErrorPage::bad_request("结果：有审结日期时须选择结果。").into_response();
        }
        (Some(_), d) => match date(d, "审结日期") {
            Ok(d) => Some(d),
            Err(e) => return e.into_response(),
        },
    };
    let done = if f.position.trim().is_empty() {
        let Ok(kind) = ReviewKind::from_code(f.kind.trim()) else {
            return ErrorPage::bad_request("类型：请选择行政复议或行政诉讼。").into_response();
        };
        let filed = match date(&f.filed_date, "立案日期") {
            Ok(d) => d,
            Err(e) => return e.into_response(),
        };
        let case = Review {
            kind,
            filed,
            decision: result.zip(decided),
        };
        gongkai_app::handling::add_review(s.app(), Actor::Staff(&staff), &tracking, &case)
            .await
            .map(|()| "review_added")
    } else {
        let Ok(position) = f.position.trim().parse::<i64>() else {
            return ErrorPage::not_found().into_response();
        };
        let (Some(result), Some(decided)) = (result, decided) else {
            return ErrorPage::bad_request("结果：请选择结果并填写审结日期。").into_response();
        };
        gongkai_app::handling::decide_review(
            s.app(),
            Actor::Staff(&staff),
            &tracking,
            position,
            result,
            decided,
        )
        .await
        .map(|()| "review_decided")
    };
    match done {
        Ok(what) => done_or_error(Ok(()), &tracking, what),
        Err(e) => done_or_error(Err(e), &tracking, ""),
    }
}

/// Back to the request's page with what was done, or the reason it was not.
fn done_or_error(r: gongkai_app::Result<()>, tracking: &str, what: &str) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/staff/requests/{}?done={what}", tracking.trim()))
            .into_response(),
        Err(gongkai_app::Error::Invalid(m)) => ErrorPage::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "未能完成",
            &format!("{m}。请返回修改后再提交。"),
        )
        .into_response(),
        Err(e) => WebError(e).into_response(),
    }
}
