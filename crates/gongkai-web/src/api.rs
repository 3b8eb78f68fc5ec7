//! The HTTP API for documents (SPEC "HTTP API"): the machine twin of the desk, for the OA
//! systems that push approved drafts and for scripts. Every call acts as the account of its
//! bearer token, through the same use cases as the pages, so the same checks apply.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::auth::Staff;
use gongkai_app::documents::Actor;
use gongkai_domain::workflow::Action;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::public::PathOr404;

/// An API error: `{"error": CODE, "message": "…"}` with its status.
pub struct ApiError(StatusCode, &'static str, String);

impl ApiError {
    /// An error with its status, code and Chinese message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError(status, code, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.0,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({"error": self.1, "message": self.2})),
        )
            .into_response()
    }
}

impl From<gongkai_app::Error> for ApiError {
    fn from(e: gongkai_app::Error) -> Self {
        use gongkai_app::Error as E;
        let msg = e.to_string();
        match &e {
            E::Unauthenticated | E::BadCredentials => {
                ApiError(StatusCode::UNAUTHORIZED, "unauthorized", msg)
            }
            E::Forbidden => ApiError(StatusCode::FORBIDDEN, "forbidden", msg),
            E::NotFound(_) => ApiError(StatusCode::NOT_FOUND, "not_found", msg),
            E::Throttled { .. } => ApiError(StatusCode::TOO_MANY_REQUESTS, "throttled", msg),
            E::Invalid(_) => ApiError(StatusCode::BAD_REQUEST, "bad_request", msg),
            E::Conflict(_) => ApiError(StatusCode::CONFLICT, "conflict", msg),
            E::Refused(r) => {
                use gongkai_domain::workflow::Refusal as R;
                let code = match r {
                    R::WrongStage { .. } | R::NotDue | R::NotProactive { .. } => "wrong_state",
                    R::MissingRole { .. } | R::SystemOnly => "forbidden",
                    R::SameSigner { .. } => "same_signer",
                    R::ReasonRequired { .. } => "reason_required",
                    R::UnresolvedFindings { .. } => "unresolved_findings",
                };
                ApiError(crate::error::refusal_status(r), code, msg)
            }
            E::Unavailable(detail) => {
                tracing::error!(error = %detail, "database unavailable");
                ApiError(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "数据库暂时无法连接，请稍后再试".into(),
                )
            }
            E::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "服务暂时出现问题，请稍后再试".into(),
                )
            }
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, "bad_request", msg.into())
}

/// The account of the call's bearer token.
pub struct Bearer(pub Staff);

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Self::Rejection> {
        Bearer::from_headers(s, &parts.headers).await.map(Bearer)
    }
}

impl Bearer {
    /// The account of the `Authorization: Bearer` token in these headers.
    pub async fn from_headers(
        s: &AppState,
        headers: &axum::http::HeaderMap,
    ) -> Result<Staff, ApiError> {
        let unauthorized = |m: &str| ApiError(StatusCode::UNAUTHORIZED, "unauthorized", m.into());
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "缺少令牌：请在请求头中提供 Authorization: Bearer <令牌>",
            ));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        match gongkai_app::auth::token_staff(s.app(), token).await {
            Ok(Some(staff)) => Ok(staff),
            Ok(None) => Err(unauthorized("令牌无效或已撤销")),
            Err(e) => Err(e.into()),
        }
    }
}

/// A JSON body, or a 400 naming what is wrong with it.
pub struct Body(pub Value);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, s: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, s)
            .await
            .map_err(|_| bad("请求体过大或无法读取"))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Value::Object(serde_json::Map::new())));
        }
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| bad(format!("请求体不是有效的 JSON：{e}")))
    }
}

fn parse_id(id: &str) -> ApiResult<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, "not_found", "文件不存在".into()))
}

/// The record as the API shows it: its fields, workflow status, scan findings and history.
async fn record(s: &AppState, staff: &Staff, id: i64) -> ApiResult<Value> {
    let app = s.app();
    let tree = gongkai_app::orgs::OrgTree::current(app).await?;
    let found = gongkai_app::staff::document(app, staff, &tree, id).await?;
    let review = gongkai_app::review::for_document(app, &found.doc).await?;
    let history = gongkai_app::audit::of_document(app, id).await?;
    let d = &found.doc;
    let date = |d: Option<time::Date>| d.map(gongkai_domain::format_date_iso);
    let findings: Vec<Value> = review
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            json!({
                "n": i + 1,
                "source": f.source,
                "where": f.source_label,
                "kind": f.kind.code(),
                "masked": f.masked,
                "line": f.line,
                "resolution": f.kept.as_ref().map(|_| "keep"),
                "reason": f.kept,
            })
        })
        .collect();
    let unread: Vec<Value> = review
        .unread
        .iter()
        .map(|u| json!({"attachment": u.id, "file_name": u.file_name, "problem": u.problem, "checked": u.checked}))
        .collect();
    let history: Vec<Value> = history
        .iter()
        .map(|e| {
            json!({
                "at": e.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "actor": e.actor_name,
                "action": e.action,
                "detail": serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
            })
        })
        .collect();
    Ok(json!({
        "id": d.id,
        "org": d.org_code,
        "status": d.stage.code(),
        "index_number": d.index_number,
        "title": d.title,
        "doc_number": d.doc_number,
        "issuer": d.issuer,
        "topic": d.topic,
        "kind": d.kind.code(),
        "written_date": gongkai_domain::format_date_iso(d.written_date),
        "published_date": date(d.published_date),
        "validity": d.validity.code(),
        "column": d.column_path,
        "body_html": d.body_html,
        "url": d.status.is_public().then(|| format!("{}/doc/{}", s.config().base_url.trim_end_matches('/'), d.id)),
        "returned_reason": d.returned_reason,
        "withdrawn_reason": d.withdrawn_reason,
        "scheduled_at": d.scheduled_at.map(|t| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()),
        "signatures": {"handled_by": d.handled_by, "reviewed_by": d.reviewed_by, "approved_by": d.approved_by},
        "unresolved_findings": review.unresolved(),
        "findings": findings,
        "unread_attachments": unread,
        "history": history,
    }))
}

/// `POST /api/v1/documents`: a draft from one document import line → 201.
pub async fn create(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    Body(mut line): Body,
) -> ApiResult<Response> {
    let Some(map) = line.as_object_mut() else {
        return Err(bad("请求体须为一个 JSON 对象（文件导入格式的一行）"));
    };
    // A draft has no publication date yet; the line's rule needs one not before 成文日期.
    if !map.contains_key("published_date")
        && let Some(w) = map.get("written_date").cloned()
    {
        map.insert("published_date".into(), w);
    }
    let valid = match gongkai_domain::validate_line(&line.to_string()) {
        Ok((v, _)) => v,
        Err(problems) => {
            let text: Vec<String> = problems
                .iter()
                .map(|p| format!("{}：{}", p.field, p.message))
                .collect();
            return Err(bad(text.join("；")));
        }
    };
    let id = gongkai_app::documents::create_draft(s.app(), Actor::Staff(&staff), &valid).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/documents/{id}"))],
        Json(json!({"id": id, "status": "draft"})),
    )
        .into_response())
}

/// `GET /api/v1/documents/{id}`.
pub async fn get(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404(id): PathOr404<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    Ok(Json(record(&s, &staff, id).await?))
}

#[derive(Deserialize, Default)]
struct ActBody {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    at: Option<String>,
}

/// `POST /api/v1/documents/{id}/actions/{action}` → 200 with the record.
pub async fn act(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404((id, action)): PathOr404<(String, String)>,
    Body(body): Body,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let b: ActBody =
        serde_json::from_value(body).map_err(|e| bad(format!("请求体字段有误：{e}")))?;
    let reason = b.reason.unwrap_or_default();
    let action = match action.as_str() {
        "submit" => Action::Submit,
        "review" => Action::Review,
        "approve" => Action::Approve,
        "publish" => Action::Publish {
            at: match b.at.as_deref() {
                None | Some("") => None,
                Some(t) => Some(
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                        .map_err(|_| {
                            bad(format!(
                                "at：“{t}”不是 RFC 3339 时间，如 2026-12-08T09:00:00+08:00"
                            ))
                        })?,
                ),
            },
        },
        "return" => Action::Return { reason },
        "withdraw" => Action::Withdraw { reason },
        other => {
            return Err(ApiError(
                StatusCode::NOT_FOUND,
                "not_found",
                format!(
                    "未知的操作“{other}”：可用 submit、review、approve、publish、return、withdraw"
                ),
            ));
        }
    };
    gongkai_app::workflow::act(s.app(), Actor::Staff(&staff), id, &action).await?;
    Ok(Json(record(&s, &staff, id).await?))
}

#[derive(Deserialize)]
struct FindingBody {
    resolution: String,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/documents/{id}/findings/{n}`: redact or keep finding `n` (1-based, as listed).
pub async fn finding(
    State(s): State<AppState>,
    Bearer(staff): Bearer,
    PathOr404((id, n)): PathOr404<(String, String)>,
    Body(body): Body,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let b: FindingBody = serde_json::from_value(body).map_err(|e| {
        bad(format!(
            "请求体字段有误（需要 resolution：redact 或 keep）：{e}"
        ))
    })?;
    let app = s.app();
    let tree = gongkai_app::orgs::OrgTree::current(app).await?;
    let found = gongkai_app::staff::document(app, &staff, &tree, id).await?;
    let review = gongkai_app::review::for_document(app, &found.doc).await?;
    let f = n
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| review.findings.get(i))
        .ok_or_else(|| {
            ApiError(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("扫描结果 {n} 不存在"),
            )
        })?;
    let actor = Actor::Staff(&staff);
    match b.resolution.as_str() {
        "redact" => {
            if f.source != gongkai_app::review::BODY {
                return Err(bad(
                    "附件中的结果请上传脱敏后的附件，或说明保留理由（keep）",
                ));
            }
            gongkai_app::review::redact_body(app, actor, id, Some(&f.value_hash)).await?;
        }
        "keep" => {
            gongkai_app::review::keep(app, actor, id, &f.source, &f.value_hash, &b.reason).await?;
        }
        other => {
            return Err(bad(format!(
                "resolution：“{other}”无效，须为 redact 或 keep"
            )));
        }
    }
    Ok(Json(record(&s, &staff, id).await?))
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi(State(s): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        Json(crate::openapi::document(&s.config().base_url)),
    )
        .into_response()
}
