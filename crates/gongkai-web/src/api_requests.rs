//! The HTTP API for requests (SPEC "HTTP API"): the public form's twin (`POST
//! /api/v1/requests`, no token), the applicant's view by 查询码 and secret, and the handling
//! unit's view and clock events by token. Applicant details go only to the unit's staff.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::documents::Actor;
use gongkai_app::intake::{NewEvent, StaffView, Written};
use gongkai_domain::application::validate_application;
use gongkai_domain::letter;
use gongkai_domain::workflow::Action;
use gongkai_domain::{LegalBasis, Outcome};
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{ApiError, Bearer, Body};
use crate::public::PathOr404;
use crate::staff::ClientAddress;

type ApiResult<T> = Result<T, ApiError>;

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_request", msg)
}

/// `POST /api/v1/requests`: files an application → 201 `{"tracking", "secret"}`; a bad one
/// is a 400 naming every field, in `problems` too.
pub async fn create(
    State(s): State<AppState>,
    ClientAddress(source): ClientAddress,
    Body(body): Body,
) -> ApiResult<Response> {
    let application = match validate_application(&body) {
        Ok(a) => a,
        Err(problems) => {
            let message: Vec<String> = problems
                .iter()
                .map(|p| format!("{}：{}", p.field, p.message))
                .collect();
            let list: Vec<Value> = problems
                .iter()
                .map(|p| json!({"field": p.field, "message": p.message}))
                .collect();
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::CACHE_CONTROL, "no-store")],
                Json(json!({"error": "bad_request", "message": message.join("；"), "problems": list})),
            )
                .into_response());
        }
    };
    let receipt = gongkai_app::intake::submit(s.app(), &application, &source).await?;
    Ok((
        StatusCode::CREATED,
        [
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::LOCATION,
                format!("/api/v1/requests/{}", receipt.tracking),
            ),
        ],
        Json(json!({"tracking": receipt.tracking, "secret": receipt.secret})),
    )
        .into_response())
}

/// `GET /api/v1/requests/{tracking}`: with `X-Tracking-Secret`, what the applicant sees;
/// with a staff token, the whole record for the handling unit (404 for anyone else).
pub async fn get(
    State(s): State<AppState>,
    ClientAddress(source): ClientAddress,
    headers: HeaderMap,
    PathOr404(tracking): PathOr404<String>,
) -> ApiResult<Response> {
    if headers.contains_key(header::AUTHORIZATION) {
        let staff = Bearer::from_headers(&s, &headers).await?;
        let view = gongkai_app::intake::for_staff(s.app(), Actor::Staff(&staff), &tracking).await?;
        return Ok(no_store(Json(staff_json(&view))));
    }
    let secret = tracking_secret(&headers)?;
    let tracked = gongkai_app::intake::track(s.app(), &tracking, secret, &source).await?;
    Ok(no_store(Json(tracked)))
}

/// The `letter` of an event: the fill-ins of DOMAIN's letter templates by name
/// (`{"补正事项": "…", "补正期限": "…"}`), and `"to_agency": true` for a consultation of
/// another agency.
fn written(v: Option<Value>) -> ApiResult<Option<Written>> {
    let map = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(bad(
                "letter：须为对象，如 {\"补正事项\": \"…\", \"补正期限\": \"…\"}",
            ));
        }
    };
    let mut out = Written::default();
    for (k, v) in map {
        if k == "to_agency" {
            out.to_agency = v
                .as_bool()
                .ok_or_else(|| bad("letter.to_agency：须为 true 或 false"))?;
            continue;
        }
        if !letter::WRITTEN.contains(&k.as_str()) {
            return Err(bad(format!(
                "letter.{k}：不认识的填写项，可用的有：{}、to_agency",
                letter::WRITTEN.join("、")
            )));
        }
        let Value::String(text) = v else {
            return Err(bad(format!("letter.{k}：须为字符串")));
        };
        out.fields.insert(k, text);
    }
    Ok(Some(out))
}

/// `GET /api/v1/requests/{tracking}/letters/{id}?format=json|html|docx`: one letter, for the
/// handling unit (token) or, addressed to the applicant, with `X-Tracking-Secret`.
pub async fn letter(
    State(s): State<AppState>,
    ClientAddress(source): ClientAddress,
    headers: HeaderMap,
    PathOr404((tracking, id)): PathOr404<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<FormatQuery>,
) -> ApiResult<Response> {
    let found = if headers.contains_key(header::AUTHORIZATION) {
        let staff = Bearer::from_headers(&s, &headers).await?;
        gongkai_app::letters::staff_letter(s.app(), Actor::Staff(&staff), &tracking, id).await?
    } else {
        let secret = tracking_secret(&headers)?;
        gongkai_app::intake::applicant_letter(s.app(), &tracking, secret, id, &source).await?
    };
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(no_store(Json(found))),
        "html" => Ok(no_store(crate::letters::page(found))),
        "docx" => Ok(crate::letters::docx_response(&tracking, &found)),
        other => Err(bad(format!(
            "format：只支持 json、html、docx，收到“{other}”"
        ))),
    }
}

/// `?format=`.
#[derive(serde::Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

/// The applicant's secret from `X-Tracking-Secret`, or a 401 saying how to send it.
fn tracking_secret(headers: &HeaderMap) -> ApiResult<&str> {
    headers
        .get("x-tracking-secret")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "请在请求头 X-Tracking-Secret 中提供提交申请时得到的密码（工作人员用 Authorization: Bearer 令牌）",
            )
        })
}

fn no_store(body: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// The whole record for the handling unit.
fn staff_json(v: &StaffView) -> Value {
    let intake = v.intake.as_ref().map(|i| {
        json!({
            "tracking": i.tracking,
            "channel": i.channel,
            "applicant_type": i.applicant_type,
            "applicant": serde_json::from_str::<Value>(&i.applicant).unwrap_or(Value::Null),
            "description": i.description,
            "purpose": i.purpose,
            "form": i.form,
            "delivery": i.delivery,
            "submitted_at": gongkai_app::format_china_time(i.submitted_at),
        })
    });
    let request = v.request.as_ref().map(|r| {
        json!({
            "tracking": r.tracking,
            "org": r.org_code,
            "applicant_type": r.applicant_type,
            "applicant": serde_json::from_str::<Value>(&r.applicant).unwrap_or(Value::Null),
            "description": r.description,
            "received_date": gongkai_domain::format_date_iso(r.received_date),
            "events": serde_json::from_str::<Value>(&r.events).unwrap_or(Value::Null),
            "outcome": r.outcome,
            "basis": serde_json::from_str::<Value>(&r.bases).unwrap_or(Value::Null),
            "replied_date": r.replied_date.map(gongkai_domain::format_date_iso),
        })
    });
    json!({
        "status": v.clock.as_ref().map_or("submitted", |c| c.status.code()),
        "application": intake,
        "request": request,
        "clock": v.clock,
        "letters": v.letters,
    })
}

/// `POST /api/v1/requests/{tracking}/events`: one clock event of DOMAIN A6.1 (`replied` with
/// `outcome` and `basis`), or `{"kind": "received", "date"}` registering an application with
/// its receipt date (Art. 31) → 200 with the clock after it.
pub async fn event(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404(tracking): PathOr404<String>,
    Body(mut body): Body,
) -> ApiResult<Response> {
    let Some(map) = body.as_object_mut() else {
        return Err(bad(
            "请求体须为一个时限事件对象，如 {\"kind\": \"extension\", \"date\": \"2026-12-01\", \"working_days\": 10}",
        ));
    };
    let actor = Actor::Staff(&staff);
    if map.get("kind").and_then(Value::as_str) == Some("received") {
        let date = map
            .get("date")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("date：须写收到申请之日 YYYY-MM-DD"))?;
        let date = gongkai_domain::parse_date(date).map_err(|e| bad(format!("date：{e}")))?;
        let clock = gongkai_app::intake::register(s.app(), actor, &tracking, date).await?;
        return Ok(no_store(Json(clock)));
    }
    let mut letter = written(map.remove("letter"))?;
    let pages = map.remove("pages");
    if map.get("kind").and_then(Value::as_str) == Some("fee_notice")
        && let Some(w) = letter.as_mut()
        && !w.fields.contains_key("费用金额")
    {
        // The fee is the organization's rule applied on the server.
        let pages = match pages {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| bad("pages：须为正整数"))?,
            ),
        };
        let (_, q) =
            gongkai_app::fees::quote_for(s.app(), Actor::Staff(&staff), &tracking, pages).await?;
        if q.amount == 0 {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{}：按规定不收费，无需发收费通知", q.explanation),
            ));
        }
        w.fields.insert("费用金额".into(), q.amount.to_string());
        w.fields.insert("计费说明".into(), q.explanation);
    }
    let outcome = map.remove("outcome");
    let basis = map.remove("basis");
    let outcome = match outcome {
        None | Some(Value::Null) => None,
        Some(Value::String(code)) => {
            let outcome = Outcome::from_code(&code).map_err(|e| bad(format!("outcome：{e}")))?;
            let codes: Vec<String> = match basis {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::String(b)) => vec![b],
                Some(Value::Array(items)) => items
                    .into_iter()
                    .map(|i| match i {
                        Value::String(b) => Ok(b),
                        _ => Err(bad("basis：须为字符串或字符串数组")),
                    })
                    .collect::<ApiResult<_>>()?,
                Some(_) => return Err(bad("basis：须为字符串或字符串数组")),
            };
            let bases = codes
                .iter()
                .map(|c| LegalBasis::parse(c).map_err(|e| bad(format!("basis：{e}"))))
                .collect::<ApiResult<Vec<_>>>()?;
            Some((outcome, bases))
        }
        Some(_) => return Err(bad("outcome：须为办理结果代码（DOMAIN A2）")),
    };
    let new = NewEvent {
        event: body,
        outcome,
        letter,
    };
    let clock = gongkai_app::intake::add_event(s.app(), actor, &tracking, &new).await?;
    Ok(no_store(Json(clock)))
}

/// `POST /api/v1/requests/{tracking}/reply`: the 经办人's reply, submitted for review.
pub async fn reply(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404(tracking): PathOr404<String>,
    Body(mut body): Body,
) -> ApiResult<Response> {
    let Some(map) = body.as_object_mut() else {
        return Err(bad(
            "请求体须为对象，如 {\"basis\": \"art36.2\", \"letter\": {\"答复内容\": \"…\"}}",
        ));
    };
    let basis = map
        .get("basis")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("basis：须写答复依据代码，如 art36.2"))?;
    let basis = LegalBasis::parse(basis).map_err(|e| bad(format!("basis：{e}")))?;
    let fields = written(map.remove("letter"))?
        .map(|w| w.fields)
        .unwrap_or_default();
    gongkai_app::replies::submit(s.app(), Actor::Staff(&staff), &tracking, basis, fields).await?;
    Ok(no_store(Json(
        json!({"tracking": tracking, "reply": "submitted"}),
    )))
}

/// `POST /api/v1/requests/{tracking}/reply/actions/{action}`: `review`, `approve` (which
/// records the reply and issues its letter) or `return` with `{"reason"}`.
pub async fn reply_action(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404((tracking, action)): PathOr404<(String, String)>,
    Body(body): Body,
) -> ApiResult<Response> {
    let reason = body
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let action = match action.as_str() {
        "review" => Action::Review,
        "approve" => Action::Approve,
        "return" => Action::Return { reason },
        other => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("没有“{other}”这一操作：只有 review、approve、return"),
            ));
        }
    };
    let clock =
        gongkai_app::replies::act(s.app(), Actor::Staff(&staff), &tracking, &action).await?;
    let stage = match action {
        Action::Review => "reviewed",
        Action::Approve => "approved",
        _ => "draft",
    };
    Ok(no_store(Json(
        json!({"tracking": tracking, "reply": stage, "clock": clock}),
    )))
}

/// `POST /api/v1/requests/{tracking}/correction` with `X-Tracking-Secret`: the applicant's
/// answer to a 补正告知书, `{"text": "…"}` → 200 with the clock, restarted today.
pub async fn correction(
    State(s): State<AppState>,
    ClientAddress(source): ClientAddress,
    headers: HeaderMap,
    PathOr404(tracking): PathOr404<String>,
    Body(body): Body,
) -> ApiResult<Response> {
    let secret = tracking_secret(&headers)?;
    let text = body
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("text：须写补正的内容"))?;
    let clock = gongkai_app::intake::correct(s.app(), &tracking, secret, text, &source).await?;
    Ok(no_store(Json(clock)))
}
