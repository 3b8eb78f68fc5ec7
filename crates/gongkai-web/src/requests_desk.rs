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
use gongkai_domain::{LegalBasis, Outcome};
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
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/requests.html")]
pub struct RequestsPage {
    layout: Layout,
    waiting: Vec<gongkai_app::intake::WaitingRow>,
    open: Vec<OpenRow>,
    filter: String,
    filters: Vec<(&'static str, &'static str, usize)>,
    today: String,
}

fn filters(desk: &Desk, soon: u32) -> Vec<(&'static str, &'static str, usize)> {
    let count = |f: &str| desk.open.iter().filter(|r| matches(f, r, soon)).count();
    [
        ("", "全部"),
        ("soon", "即将到期"),
        ("overdue", "已逾期"),
        ("correction", "待补正"),
        ("paused", "暂停计时"),
        ("extended", "已延期"),
    ]
    .into_iter()
    .map(|(code, label)| (code, label, count(code)))
    .collect()
}

/// Whether a row passes a filter; "soon" is within the first reminder's working days.
fn matches(filter: &str, r: &gongkai_app::intake::OpenRow, soon: u32) -> bool {
    let c = &r.clock;
    match filter {
        "soon" => c.status == ClockStatus::Open && c.days_left.is_some_and(|d| d <= soon),
        "overdue" => c.status == ClockStatus::Overdue,
        "correction" => c.status == ClockStatus::AwaitingCorrection,
        "paused" => c.status == ClockStatus::Paused,
        "extended" => c.extension > 0,
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
    let filters = filters(&desk, settings.reminder_first_days);
    let open = desk
        .open
        .iter()
        .filter(|r| matches(&q.filter, r, settings.reminder_first_days))
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
    RequestsPage {
        layout,
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
    outcomes: Vec<(&'static str, String)>,
    bases: Vec<(&'static str, &'static str)>,
    done: Option<&'static str>,
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
    RequestPage {
        layout,
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
        outcomes: Outcome::all()
            .iter()
            .map(|o| (o.code(), o.row_label()))
            .collect(),
        bases: LegalBasis::all()
            .iter()
            .map(|b| (b.code(), b.label()))
            .collect(),
        done: match q.done.as_str() {
            "registered" => Some("已登记，答复期限自收到申请之日起计算。"),
            "event" => Some("已记录，答复期限已重新计算。"),
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
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => f.kind = v,
            "date" => f.date = v,
            "id" => f.id = v,
            "working_days" => f.working_days = v,
            "outcome" => f.outcome = v,
            "basis" => f.basis.push(v),
            _ => {}
        }
    }
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
    let new = NewEvent { event, outcome };
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
