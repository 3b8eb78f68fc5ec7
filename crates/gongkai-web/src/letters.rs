//! A request's letters as people get them: the printable page (what the applicant reads and
//! an office prints from a browser) and the DOCX (what an office stamps). The applicant
//! opens theirs with the 查询码 and secret posted from the tracking page; the handling unit's
//! staff open every letter of their requests.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::documents::Actor;
use gongkai_domain::letter::Letter;
use serde::Deserialize;

use crate::AppState;
use crate::error::{ErrorPage, WebError};
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
    let disposition = format!(
        "attachment; filename=\"letter.docx\"; filename*=UTF-8''{}",
        percent(&name)
    );
    let mut r = (
        [(
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )],
        bytes,
    )
        .into_response();
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
