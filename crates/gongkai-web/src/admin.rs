//! Administration (SPEC C1): organizations, accounts and their roles, the working-day
//! calendar and the settings in force, for platform administrators. Every change goes
//! through a use case that checks the role again and writes the audit chain.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_app::auth::Staff;
use gongkai_app::documents::Actor;
use gongkai_app::orgs::{OrgInput, OrgTree};
use gongkai_domain::{OrgKind, Role};
use serde::Deserialize;

use crate::AppState;
use crate::error::{ErrorPage, WebError};
use crate::layout::Layout;
use crate::staff::LoggedIn;

/// An organization row.
pub struct OrgRow {
    indent: String,
    code: String,
    name: String,
    kind: &'static str,
}

/// An account row.
pub struct UserRow {
    username: String,
    display_name: String,
    roles: Vec<String>,
}

/// A special day of the calendar.
pub struct DayRow {
    date: String,
    name: String,
    off: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/admin.html")]
pub struct AdminPage {
    layout: Layout,
    message: Option<String>,
    error: Option<String>,
    orgs: Vec<OrgRow>,
    users: Vec<UserRow>,
    kinds: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    years: Vec<i32>,
    year: i32,
    workdays: Option<u32>,
    papers: String,
    days: Vec<DayRow>,
    settings: Vec<(&'static str, String)>,
    editable: Vec<(&'static str, &'static str, i64, i64, i64)>,
    moved: Vec<(String, String, String)>,
    channels: Vec<(String, String, String)>,
}

/// The refusal for anyone but a platform administrator.
fn refused(staff: &Staff) -> Option<Response> {
    (!staff.is_admin()).then(|| WebError(gongkai_app::Error::Forbidden).into_response())
}

async fn page(
    s: &AppState,
    mut layout: Layout,
    staff: &Staff,
    year: Option<i32>,
) -> Result<AdminPage, gongkai_app::Error> {
    let app = s.app();
    layout.staff_name = Some(staff.display_name.clone());
    let tree = OrgTree::load(app).await?;
    let orgs = tree
        .flatten()
        .into_iter()
        .map(|(depth, o)| OrgRow {
            indent: "　".repeat(depth * 2),
            code: o.code.clone(),
            name: o.name.clone(),
            kind: OrgKind::from_code(&o.kind).map_or("其他", |k| k.label()),
        })
        .collect();
    let users = gongkai_app::auth::list_users(app)
        .await?
        .into_iter()
        .map(|u| UserRow {
            username: u.username,
            display_name: u.display_name,
            roles: u
                .grants
                .iter()
                .map(|g| format!("{}（{}）", g.role.label(), g.org_name))
                .collect(),
        })
        .collect();
    let calendar = app.calendar();
    let mut years: Vec<i32> = calendar.years().collect();
    years.sort_unstable();
    let year = year
        .or_else(|| years.last().copied())
        .unwrap_or_else(|| app.today().year());
    let (papers, days) = match calendar.notice(year) {
        Some(n) => (
            n.papers().join("、"),
            n.days()
                .iter()
                .map(|d| DayRow {
                    date: gongkai_domain::format_date_iso(d.date),
                    name: d.name.clone(),
                    off: d.off,
                })
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let channels = gongkai_app::outbox::channels(app)
        .await?
        .into_iter()
        .map(|c| {
            let scope = c.org_id.and_then(|id| tree.get(id)).map_or_else(
                || "全部机构".to_owned(),
                |o| format!("{}及下属单位", o.name),
            );
            (c.name, c.url, scope)
        })
        .collect();
    let st = app.settings();
    Ok(AdminPage {
        channels,
        layout,
        message: None,
        error: None,
        orgs,
        users,
        kinds: OrgKind::all()
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        roles: Role::all().iter().map(|r| (r.code(), r.label())).collect(),
        workdays: calendar.workdays_in_year(year).ok(),
        years,
        year,
        papers,
        days,
        editable: gongkai_app::settings::EDITABLE
            .iter()
            .map(|e| {
                let v = gongkai_app::settings::value(&st, e.key).unwrap_or_default();
                (e.key, e.label, v, e.min, e.max)
            })
            .collect(),
        settings: vec![(
            "收费通知是否暂停答复期限（配置文件 [requests] fee_pauses_clock）",
            if st.clock.fee_pauses { "是" } else { "否" }.to_owned(),
        )],
        moved: Vec::new(),
    })
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    year: Option<String>,
}

/// `GET /staff/admin`.
pub async fn home(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let q: AdminQuery =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let year = match q.year.as_deref().filter(|y| !y.is_empty()) {
        None => None,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (1949..=2200).contains(&y) => Some(y),
            _ => return ErrorPage::bad_request("年份须为四位数字，如 2026。").into_response(),
        },
    };
    match page(&s, layout, &staff, year).await {
        Ok(p) => p.into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// After a change: the page with its outcome.
async fn outcome(
    s: &AppState,
    layout: Layout,
    staff: &Staff,
    result: gongkai_app::Result<String>,
) -> Response {
    let (status, message, error) = match result {
        Ok(m) => (StatusCode::OK, Some(m), None),
        Err(e @ (gongkai_app::Error::Invalid(_) | gongkai_app::Error::Conflict(_))) => {
            (StatusCode::BAD_REQUEST, None, Some(e.to_string()))
        }
        Err(e) => return WebError(e).into_response(),
    };
    match page(s, layout, staff, None).await {
        Ok(mut p) => {
            p.message = message;
            p.error = error;
            (status, p).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent: String,
}

/// `POST /staff/admin/orgs`.
pub async fn create_org(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<OrgForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let result = async {
        let kind = OrgKind::from_code(&f.kind)
            .map_err(|e| gongkai_app::Error::Invalid(format!("机构类型：{e}")))?;
        let input = OrgInput {
            code: f.code.trim().to_owned(),
            name: f.name.trim().to_owned(),
            short_name: Some(f.short_name.trim().to_owned()).filter(|v| !v.is_empty()),
            kind,
            parent: Some(f.parent.trim().to_owned()).filter(|v| !v.is_empty()),
            index_pattern: None,
        };
        if input.name.is_empty() {
            return Err(gongkai_app::Error::Invalid("机构名称：不能为空".into()));
        }
        let org = gongkai_app::orgs::create_as(s.app(), Actor::Staff(&staff), &input).await?;
        Ok(format!(
            "已创建机构 {}（{}），并建立统一的政府信息公开栏目。",
            org.name, org.code
        ))
    }
    .await;
    outcome(&s, layout, &staff, result).await
}

#[derive(Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    org: String,
}

fn role_of(code: &str) -> gongkai_app::Result<Role> {
    Role::from_code(code).map_err(|e| gongkai_app::Error::Invalid(format!("角色：{e}")))
}

/// `POST /staff/admin/users`: a new account with one role.
pub async fn create_user(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<UserForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let result = async {
        let role = role_of(&f.role)?;
        let name = if f.display_name.trim().is_empty() {
            f.username.trim()
        } else {
            f.display_name.trim()
        };
        let made = gongkai_app::auth::create_user_as(
            s.app(),
            Actor::Staff(&staff),
            &f.username,
            name,
            &f.password,
            &[(f.org.trim(), role)],
        )
        .await?;
        Ok(format!("已创建账号 {}。", made.username))
    }
    .await;
    outcome(&s, layout, &staff, result).await
}

/// `POST /staff/admin/grant`: one more role for an account.
pub async fn grant(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<UserForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let result = async {
        let role = role_of(&f.role)?;
        let u = gongkai_app::auth::grant_as(
            s.app(),
            Actor::Staff(&staff),
            &f.username,
            f.org.trim(),
            role,
        )
        .await?;
        Ok(format!("已授予 {} “{}”角色。", u.username, role.label()))
    }
    .await;
    outcome(&s, layout, &staff, result).await
}

/// `POST /staff/admin/unlock`: clears the login waits of an account.
pub async fn unlock(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<UserForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let result = gongkai_app::auth::unlock_as(s.app(), Actor::Staff(&staff), &f.username)
        .await
        .map(|()| format!("已解除 {} 的登录等待。", f.username.trim()));
    outcome(&s, layout, &staff, result).await
}

#[derive(Deserialize, Default)]
pub struct CalendarForm {
    #[serde(default)]
    notice: String,
}

/// `POST /staff/admin/calendar`: loads a year's 放假/调休 notice and shows the due dates
/// that moved.
pub async fn load_calendar(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<CalendarForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    match gongkai_app::calendar::load_as(s.app(), Actor::Staff(&staff), &f.notice).await {
        Ok(report) => match page(&s, layout, &staff, Some(report.year)).await {
            Ok(mut p) => {
                p.message = Some(format!(
                    "已载入{}年放假调休安排（第 {} 版，{} 个特殊日期）；重新计算了 {} 件在办申请的答复期限，{} 件的期限有变化。",
                    report.year,
                    report.version,
                    report.days,
                    report.open_requests,
                    report.changes.len()
                ));
                let date = |d: Option<time::Date>| {
                    d.map_or_else(|| "—".to_owned(), gongkai_domain::format_date_iso)
                };
                p.moved = report
                    .changes
                    .iter()
                    .map(|c| (c.tracking.clone(), date(c.old_due), date(c.new_due)))
                    .collect();
                p.into_response()
            }
            Err(e) => WebError(e).into_response(),
        },
        Err(e) => outcome(&s, layout, &staff, Err(e)).await,
    }
}

#[derive(Deserialize, Default)]
pub struct ChannelForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    org: String,
}

/// `POST /staff/admin/channels`: registers a channel (a webhook).
pub async fn add_channel(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<ChannelForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let org = Some(f.org.trim()).filter(|o| !o.is_empty());
    let result =
        gongkai_app::outbox::add_channel(s.app(), Actor::Staff(&staff), org, &f.name, &f.url)
            .await
            .map(|_| {
                format!(
                    "已添加推送渠道“{}”：此后发布的信息将推送到该渠道。",
                    f.name.trim()
                )
            });
    outcome(&s, layout, &staff, result).await
}

#[derive(Deserialize, Default)]
pub struct SettingForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

/// `POST /staff/admin/settings`: changes one setting.
pub async fn change_setting(
    State(s): State<AppState>,
    layout: Layout,
    LoggedIn(staff): LoggedIn,
    Form(f): Form<SettingForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let result = gongkai_app::settings::change(s.app(), Actor::Staff(&staff), &f.key, &f.value)
        .await
        .map(|()| "设置已保存，即时生效（其他节点在重启后生效）。".to_owned());
    outcome(&s, layout, &staff, result).await
}
