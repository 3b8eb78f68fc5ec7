//! The public side of 依申请公开 (SPEC C4): the application form of 条例 Art. 29, working
//! without JavaScript, and the tracking page opened by 查询码 and secret, no account.
//!
//! Spam is held off without any outside service: one address filing in bulk is slowed down
//! (`app::intake`), a field hidden from people must stay empty, and a form must have been on
//! screen a few seconds, its token paired with a cookie of this browser (a script posting
//! from elsewhere has neither).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::intake::Tracked;
use gongkai_domain::ApplicantType;
use gongkai_domain::application::{Delivery, InfoForm, validate_application};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::AppState;
use crate::layout::Layout;
use crate::staff::ClientAddress;

/// The cookie pairing a form with its browser, holding a random token.
const COOKIE: &str = "gk_apply";
/// Fewer seconds than this between showing the form and sending it is a script.
const MIN_SECONDS: i64 = 3;
/// A form older than this is sent again.
const MAX_SECONDS: i64 = 4 * 3600;

/// A choice of a select or radio group.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(options: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

/// The form as sent (every field text; blanks are absent).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    org: String,
    applicant_type: String,
    name: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    description: String,
    purpose: String,
    form: String,
    delivery: String,
    /// Hidden from people; a bot fills it in.
    website: String,
    /// `token:unix-time` of when the form was shown.
    #[serde(rename = "_t")]
    shown: String,
    /// Staff registration only: `letter` or `walk_in`.
    pub(crate) channel: String,
    /// Staff registration only: the receipt date of Art. 31.
    pub(crate) received: String,
}

impl ApplyForm {
    pub(crate) fn to_json(&self) -> Value {
        let text = |s: &str| {
            let s = s.trim();
            if s.is_empty() {
                Value::Null
            } else {
                Value::String(s.to_owned())
            }
        };
        let mut applicant = Map::new();
        for (k, v) in [
            ("name", &self.name),
            ("id_number", &self.id_number),
            ("phone", &self.phone),
            ("email", &self.email),
            ("address", &self.address),
        ] {
            applicant.insert(k.to_owned(), text(v));
        }
        let mut top = Map::new();
        for (k, v) in [
            ("org", &self.org),
            ("applicant_type", &self.applicant_type),
            ("description", &self.description),
            ("purpose", &self.purpose),
            ("form", &self.form),
            ("delivery", &self.delivery),
        ] {
            top.insert(k.to_owned(), text(v));
        }
        top.insert("applicant".to_owned(), Value::Object(applicant));
        Value::Object(top)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/apply.html")]
pub struct ApplyPage {
    layout: Layout,
    /// A 经办人 registering a letter or a walk-in, not the public.
    staff: bool,
    today: String,
    form: ApplyForm,
    errors: HashMap<&'static str, String>,
    general: Option<String>,
    orgs: Vec<Choice>,
    types: Vec<Choice>,
    forms: Vec<Choice>,
    deliveries: Vec<Choice>,
    token: String,
}

impl ApplyPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    /// The problems above the form, in the order of the fields.
    fn summary(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .iter()
            .filter_map(|(f, label)| Some((*f, format!("{label}：{}", self.errors.get(f)?))))
            .collect()
    }
}

/// The form's fields with their labels, in order; the key is the input's name.
const FIELDS: &[(&str, &str)] = &[
    ("org", "受理机关"),
    ("applicant_type", "申请人类型"),
    ("name", "姓名或名称"),
    ("id_number", "身份证明"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
    ("address", "通信地址"),
    ("description", "所需信息"),
    ("purpose", "用途"),
    ("form", "信息形式"),
    ("delivery", "获取方式"),
];

/// The input a problem of the domain's check concerns.
pub(crate) fn input_of(field: &str) -> &'static str {
    match field {
        "org" => "org",
        "applicant_type" => "applicant_type",
        "applicant.name" => "name",
        "applicant.id_number" => "id_number",
        "applicant.email" => "email",
        "applicant.address" => "address",
        "applicant.phone" | "applicant" => "phone",
        "purpose" => "purpose",
        "form" => "form",
        "delivery" => "delivery",
        _ => "description",
    }
}

async fn page(
    s: &AppState,
    layout: Layout,
    form: ApplyForm,
    errors: HashMap<&'static str, String>,
    general: Option<String>,
    status: StatusCode,
) -> Response {
    form_page(s, layout, None, form, errors, general, status).await
}

/// The form for the public, or for a 经办人 registering a letter or a walk-in (`staff`: the
/// person, whose clerk units are the choices).
pub(crate) async fn form_page(
    s: &AppState,
    layout: Layout,
    staff: Option<&gongkai_app::auth::Staff>,
    form: ApplyForm,
    errors: HashMap<&'static str, String>,
    general: Option<String>,
    status: StatusCode,
) -> Response {
    let orgs = match gongkai_app::orgs::OrgTree::load(s.app()).await {
        Ok(tree) => tree
            .all()
            .iter()
            .filter(|o| staff.is_none_or(|p| p.holds(o.id, gongkai_domain::Role::Clerk)))
            .map(|o| (o.code.clone(), o.name.clone()))
            .collect::<Vec<_>>(),
        Err(e) => return crate::error::WebError(e).into_response(),
    };
    let mut org_choices = vec![Choice {
        value: String::new(),
        label: "请选择".into(),
        selected: form.org.is_empty(),
    }];
    org_choices.extend(choices(orgs, &form.org));
    let types = choices(
        ApplicantType::all()
            .iter()
            .map(|t| (t.code().to_owned(), type_label(*t).to_owned())),
        if form.applicant_type.is_empty() {
            "natural_person"
        } else {
            &form.applicant_type
        },
    );
    let forms = choices(
        InfoForm::all()
            .iter()
            .map(|f| (f.code().to_owned(), f.label().to_owned())),
        &form.form,
    );
    let deliveries = choices(
        Delivery::all()
            .iter()
            .map(|d| (d.code().to_owned(), d.label().to_owned())),
        &form.delivery,
    );
    let token = gongkai_app::auth::random_token();
    let now = s.app().now().unix_timestamp();
    let cookie = format!("{COOKIE}={token}; Path=/apply; HttpOnly; SameSite=Strict");
    let mut r = (
        status,
        ApplyPage {
            layout,
            staff: staff.is_some(),
            today: gongkai_domain::format_date_iso(s.app().today()),
            form,
            errors,
            general,
            orgs: org_choices,
            types,
            forms,
            deliveries,
            token: format!("{token}:{now}"),
        },
    )
        .into_response();
    if staff.is_none()
        && let Ok(v) = HeaderValue::from_str(&cookie)
    {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn type_label(t: ApplicantType) -> &'static str {
    match t {
        ApplicantType::NaturalPerson => "自然人",
        ApplicantType::Commercial => "法人或其他组织：商业企业",
        ApplicantType::Research => "法人或其他组织：科研机构",
        ApplicantType::PublicInterest => "法人或其他组织：社会公益组织",
        ApplicantType::LegalServices => "法人或其他组织：法律服务机构",
        ApplicantType::OtherLegal => "法人或其他组织：其他",
    }
}

/// `GET /apply`: the form (`?org=CODE` chooses the office).
pub async fn form(
    State(s): State<AppState>,
    layout: Layout,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    #[derive(Deserialize, Default)]
    struct Q {
        #[serde(default)]
        org: String,
    }
    let q: Q = serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let form = ApplyForm {
        org: q.org,
        ..ApplyForm::default()
    };
    page(&s, layout, form, HashMap::new(), None, StatusCode::OK).await
}

/// The token of this browser's form cookie.
pub struct ApplyCookie(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ApplyCookie {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApplyCookie(
            crate::layout::cookie(parts, COOKIE)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        ))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/applied.html")]
pub struct AppliedPage {
    pub(crate) layout: Layout,
    pub(crate) tracking: String,
    pub(crate) secret: String,
    pub(crate) org: String,
    /// Registered by staff: the receipt is printed for the applicant.
    pub(crate) staff: bool,
}

/// `POST /apply`: files the application, or shows the form again with each problem beside
/// its field.
pub async fn submit(
    State(s): State<AppState>,
    layout: Layout,
    ClientAddress(source): ClientAddress,
    ApplyCookie(cookie): ApplyCookie,
    Form(form): Form<ApplyForm>,
) -> Response {
    let now = s.app().now().unix_timestamp();
    let (token, shown) = form.shown.split_once(':').unwrap_or_default();
    let age = shown.parse::<i64>().map(|t| now - t).unwrap_or(i64::MAX);
    let paired = cookie
        .as_deref()
        .is_some_and(|c| !c.is_empty() && c == token);
    if !form.website.is_empty() {
        // Only a program fills a field people cannot see; it is told nothing useful.
        return page(
            &s,
            layout,
            form,
            HashMap::new(),
            Some("提交失败，请重新填写后提交".into()),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    if !paired || !(MIN_SECONDS..=MAX_SECONDS).contains(&age) {
        let why = if paired && age < MIN_SECONDS {
            "提交过快：请核对填写的内容，几秒钟后再提交"
        } else {
            "表单已过期或浏览器未保存本站的 Cookie：请核对内容后再次提交"
        };
        return page(
            &s,
            layout,
            form,
            HashMap::new(),
            Some(why.into()),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let application = match validate_application(&form.to_json()) {
        Ok(a) => a,
        Err(problems) => {
            let mut errors = HashMap::new();
            for p in problems {
                errors.entry(input_of(p.field)).or_insert(p.message);
            }
            return page(
                &s,
                layout,
                form,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match gongkai_app::intake::submit(s.app(), &application, &source).await {
        Ok(receipt) => {
            let org = gongkai_app::orgs::OrgTree::load(s.app())
                .await
                .ok()
                .and_then(|t| t.by_code(application.org.as_str()).map(|o| o.name.clone()))
                .unwrap_or_default();
            let mut r = AppliedPage {
                layout,
                tracking: receipt.tracking,
                secret: receipt.secret,
                org,
                staff: false,
            }
            .into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(gongkai_app::Error::Invalid(m)) => {
            let mut errors = HashMap::new();
            errors.insert("org", m);
            page(
                &s,
                layout,
                form,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ gongkai_app::Error::Throttled { .. }) => {
            page(
                &s,
                layout,
                form,
                HashMap::new(),
                Some(e.to_string()),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(e) => crate::error::WebError(e).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/track.html")]
pub struct TrackPage {
    layout: Layout,
    tracking: String,
    /// Posted back with a letter download, once the pair opened the request.
    secret: String,
    /// What was just done (a correction sent).
    notice: Option<String>,
    error: Option<String>,
    found: Option<Tracked>,
}

/// `GET /track`: the lookup form.
pub async fn track_form(layout: Layout) -> Response {
    TrackPage {
        layout,
        tracking: String::new(),
        secret: String::new(),
        notice: None,
        error: None,
        found: None,
    }
    .into_response()
}

/// The lookup (posted, so the secret stays out of addresses and logs).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackForm {
    tracking: String,
    secret: String,
}

/// `POST /track`: the request's status, due date and how it was worked out.
pub async fn track(
    State(s): State<AppState>,
    layout: Layout,
    ClientAddress(source): ClientAddress,
    Form(f): Form<TrackForm>,
) -> Response {
    let tracking = f.tracking.trim().to_owned();
    let result = gongkai_app::intake::track(s.app(), &tracking, &f.secret, &source).await;
    let (status, found, error) = match result {
        Ok(t) => (StatusCode::OK, Some(t), None),
        Err(gongkai_app::Error::NotFound(_)) => (
            StatusCode::NOT_FOUND,
            None,
            Some("查询码或密码不对，请核对后重试（密码在提交申请时显示，不区分大小写）".to_owned()),
        ),
        Err(e @ gongkai_app::Error::Throttled { .. }) => {
            (StatusCode::TOO_MANY_REQUESTS, None, Some(e.to_string()))
        }
        Err(e) => return crate::error::WebError(e).into_response(),
    };
    let mut r = (
        status,
        TrackPage {
            layout,
            tracking,
            secret: if found.is_some() {
                f.secret.clone()
            } else {
                String::new()
            },
            notice: None,
            error,
            found,
        },
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The applicant's answer to a 补正告知书.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CorrectForm {
    tracking: String,
    secret: String,
    text: String,
}

/// `POST /track/correct`: the applicant sends the corrected request; the page shows the
/// request again with the clock restarted, or why it was not taken.
pub async fn correct(
    State(s): State<AppState>,
    layout: Layout,
    ClientAddress(source): ClientAddress,
    Form(f): Form<CorrectForm>,
) -> Response {
    let tracking = f.tracking.trim().to_owned();
    let sent = gongkai_app::intake::correct(s.app(), &tracking, &f.secret, &f.text, &source).await;
    let (status, notice, error) = match sent {
        Ok(_) => (
            StatusCode::OK,
            Some("补正已提交，答复期限自今日起重新计算。".to_owned()),
            None,
        ),
        Err(gongkai_app::Error::Invalid(m)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(m.split_once('：').map_or(m.clone(), |(_, r)| r.to_owned())),
        ),
        Err(gongkai_app::Error::Conflict(m)) => (StatusCode::CONFLICT, None, Some(m)),
        Err(gongkai_app::Error::NotFound(_)) => (
            StatusCode::NOT_FOUND,
            None,
            Some("查询码或密码不对，请核对后重试".to_owned()),
        ),
        Err(e @ gongkai_app::Error::Throttled { .. }) => {
            (StatusCode::TOO_MANY_REQUESTS, None, Some(e.to_string()))
        }
        Err(e) => return crate::error::WebError(e).into_response(),
    };
    let found = if status == StatusCode::NOT_FOUND || status == StatusCode::TOO_MANY_REQUESTS {
        None
    } else {
        gongkai_app::intake::track(s.app(), &tracking, &f.secret, &source)
            .await
            .ok()
    };
    let mut r = (
        status,
        TrackPage {
            layout,
            secret: if found.is_some() {
                f.secret.clone()
            } else {
                String::new()
            },
            tracking,
            notice,
            error,
            found,
        },
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
