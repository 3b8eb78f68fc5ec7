//! Filing and following an application (SPEC C4): the public files it (the form, `POST
//! /api/v1/requests`) and gets a 查询码 and a secret; staff of the unit asked register it,
//! which fixes the receipt date of 条例 Art. 31 and starts the clock; each clock event is
//! recorded and the due date recomputed. The applicant sees the status, the due date and how
//! it was worked out with the code and the secret, no account; staff of other units, and the
//! public, see nothing of the applicant.

use gongkai_domain::application::Application;
use std::collections::BTreeMap;

use gongkai_domain::ClockEventKind;
use gongkai_domain::deadline::Clock;
use gongkai_domain::letter::{LetterKind, TemplateKey};
use gongkai_domain::{ApplicantType, LegalBasis, Outcome, Role};
use gongkai_store::intake::{self, Intake, NewIntake};
use gongkai_store::orgs;
use gongkai_store::requests::{self, Request};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Date, Duration};

use crate::auth::Source;
use crate::documents::Actor;
use crate::throttle::Rule;
use crate::{App, Error, Result};

/// How an application came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The form or the API (receipt date: the day both sides confirm, Art. 31 (三)).
    Online,
    /// A letter (the day it is signed for, Art. 31 (二)).
    Letter,
    /// In person (the day it is handed in, Art. 31 (一)).
    WalkIn,
}

impl Channel {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Letter => "letter",
            Channel::WalkIn => "walk_in",
        }
    }
}

/// What the applicant keeps: the code to quote and the secret that opens it.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// 查询码.
    pub tracking: String,
    /// Shown once; only its hash is stored.
    pub secret: String,
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipt")
            .field("tracking", &self.tracking)
            .finish_non_exhaustive()
    }
}

/// Applications one source may file before it is slowed down (then 2 s, doubling, up to an
/// hour): a person files a few, a script thousands.
const FILINGS: Rule = Rule {
    free: 5,
    max_wait: Duration::hours(1),
};

/// Wrong secrets one source may try before it is slowed down.
const LOOKUPS: Rule = Rule {
    free: 10,
    max_wait: Duration::minutes(15),
};

/// Files an application from `source` (the client's address, never stored).
pub async fn submit(app: &App, application: &Application, source: Source<'_>) -> Result<Receipt> {
    app.throttle()
        .attempt(&[(format!("apply@{source}"), FILINGS)], app.now())
        .map_err(|wait| Error::Throttled {
            seconds: wait.whole_seconds().max(1),
        })?;
    store(app, Actor::System, application, Channel::Online).await
}

/// Stores an application with a new 查询码 and secret, audited without personal data.
async fn store(app: &App, actor: Actor<'_>, a: &Application, channel: Channel) -> Result<Receipt> {
    store_at(app, actor, a, channel, app.now()).await
}

/// [`store`] as filed at `at` (the demo's requests of the weeks before today).
pub(crate) async fn store_at(
    app: &App,
    actor: Actor<'_>,
    a: &Application,
    channel: Channel,
    at: time::OffsetDateTime,
) -> Result<Receipt> {
    let mut tx = app.db().begin().await?;
    let org = orgs::by_code(&mut tx, a.org.as_str())
        .await?
        .ok_or_else(|| Error::Invalid(format!("org：机构代码 {} 不存在", a.org)))?;
    let filed_on = at.to_offset(crate::china_offset()).date();
    let mut tracking = new_tracking(filed_on);
    while intake::tracking_taken(&mut tx, &tracking).await? {
        tracking = new_tracking(filed_on);
    }
    let secret = new_secret();
    let applicant = serde_json::to_string(&a.applicant)
        .map_err(|e| Error::internal(format!("applicant json: {e}")))?;
    let id = intake::insert(
        &mut tx,
        &NewIntake {
            org_id: org.id,
            tracking: &tracking,
            secret_hash: &hash(&secret),
            channel: channel.code(),
            applicant_type: a.applicant_type.code(),
            applicant: &applicant,
            description: &a.description,
            purpose: a.purpose.as_deref(),
            form: a.form.map(|f| f.code()),
            delivery: a.delivery.map(|d| d.code()),
        },
        at,
    )
    .await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.submit",
        "request_intake",
        Some(id),
        Some(org.id),
        serde_json::json!({"tracking": tracking, "channel": channel.code()}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(intake.id = id, org.id = org.id, "application filed");
    Ok(Receipt { tracking, secret })
}

/// Characters no one misreads (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn random_chars(n: usize) -> String {
    (0..n)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect()
}

/// A 查询码: the day and eight characters.
fn new_tracking(today: Date) -> String {
    format!(
        "YS{:04}{:02}{:02}-{}",
        today.year(),
        u8::from(today.month()),
        today.day(),
        random_chars(8)
    )
}

/// A secret a person can copy by hand: twelve characters in groups of four (about 59 bits;
/// wrong guesses are slowed down per address).
fn new_secret() -> String {
    format!(
        "{}-{}-{}",
        random_chars(4),
        random_chars(4),
        random_chars(4)
    )
}

/// The secret's hash, whatever case and separators it was typed with.
fn hash(secret: &str) -> String {
    let normal: String = secret
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// What the applicant sees of their request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tracked {
    /// 查询码.
    pub tracking: String,
    /// The organization asked.
    pub org: String,
    /// `submitted` until registered, then the clock's status code.
    pub status: &'static str,
    /// The status in Chinese.
    pub status_label: &'static str,
    /// When it was filed (Beijing time, `YYYY-MM-DD HH:MM`).
    pub submitted_at: String,
    /// 收到申请之日 (Art. 31), once registered.
    pub received_date: Option<String>,
    /// The reply is due on or before this day.
    pub due: Option<String>,
    /// Working days left, while open.
    pub days_left: Option<u32>,
    /// Why the due date is provisional, if it is.
    pub provisional: Option<String>,
    /// How the due date was worked out, step by step, in Chinese.
    pub steps: Vec<TrackedStep>,
    /// Letters addressed to the applicant, in the order issued.
    pub letters: Vec<crate::letters::LetterRow>,
}

/// One step of the explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrackedStep {
    /// The day.
    pub date: String,
    /// What happened.
    pub effect: String,
}

/// The application behind a 查询码 and its secret; a wrong pair is "not found", and wrong
/// secrets from one source are slowed down.
async fn by_secret(
    h: &mut impl gongkai_store::Handle,
    app: &App,
    tracking: &str,
    secret: &str,
    source: Source<'_>,
) -> Result<Intake> {
    let reservation = app
        .throttle()
        .attempt(&[(format!("track@{source}"), LOOKUPS)], app.now())
        .map_err(|wait| Error::Throttled {
            seconds: wait.whole_seconds().max(1),
        })?;
    let found = intake::by_tracking(h, tracking.trim()).await?;
    let Some(found) = found.filter(|f| f.secret_hash == hash(secret)) else {
        return Err(Error::NotFound("申请（查询码或密码不对）"));
    };
    app.throttle().succeeded(reservation);
    Ok(found)
}

/// The request behind a 查询码 and its secret (see [`by_secret`]).
pub async fn track(app: &App, tracking: &str, secret: &str, source: Source<'_>) -> Result<Tracked> {
    let mut c = app.db().conn().await?;
    let found = by_secret(&mut c, app, tracking, secret, source).await?;
    let org = orgs::by_id(&mut c, found.org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let request = match found.request_id {
        Some(id) => requests::by_id(&mut c, id).await?,
        None => None,
    };
    let letters = match &request {
        Some(r) => crate::letters::for_applicant(&mut c, r.id).await?,
        None => Vec::new(),
    };
    drop(c);
    let submitted_at = crate::format_china_time(found.submitted_at);
    let Some(request) = request else {
        return Ok(Tracked {
            tracking: found.tracking,
            org,
            status: "submitted",
            status_label: "已提交，待受理确认",
            submitted_at,
            received_date: None,
            due: None,
            days_left: None,
            provisional: None,
            steps: Vec::new(),
            letters: Vec::new(),
        });
    };
    let clock = clock_of(app, &request)?;
    Ok(Tracked {
        tracking: found.tracking,
        org,
        status: clock.status.code(),
        status_label: clock.status.label(),
        submitted_at,
        received_date: Some(gongkai_domain::format_date_iso(request.received_date)),
        due: clock.due.map(gongkai_domain::format_date_iso),
        days_left: clock.days_left,
        provisional: clock.provisional_reason(),
        steps: clock
            .steps
            .iter()
            .map(|s| TrackedStep {
                date: gongkai_domain::format_date_iso(s.date),
                effect: s.effect.clone(),
            })
            .collect(),
        letters,
    })
}

/// The longest answer to a 补正告知书, in characters.
const MAX_CORRECTION: usize = 2000;

/// The applicant answers a 补正告知书 (Art. 30) with the 查询码 and secret: the answer is kept
/// for the unit and its arrival today restarts the clock. Returns the clock after it.
pub async fn correct(
    app: &App,
    tracking: &str,
    secret: &str,
    text: &str,
    source: Source<'_>,
) -> Result<Clock> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::Invalid("text：请写明补正的内容".into()));
    }
    let chars = text.chars().count();
    if chars > MAX_CORRECTION {
        return Err(Error::Invalid(format!(
            "text：补正内容 {chars} 字，请控制在 {MAX_CORRECTION} 字以内"
        )));
    }
    let mut tx = app.db().begin().await?;
    let found = by_secret(&mut tx, app, tracking, secret, source).await?;
    let request = match found.request_id {
        Some(id) => requests::by_id(&mut tx, id).await?,
        None => None,
    }
    .ok_or_else(|| Error::Conflict("该申请没有待补正的事项".into()))?;
    if clock_of(app, &request)?.status != gongkai_domain::deadline::ClockStatus::AwaitingCorrection
    {
        return Err(Error::Conflict("该申请没有待补正的事项".into()));
    }
    intake::add_correction(&mut tx, request.id, text, app.now()).await?;
    let event = NewEvent {
        event: serde_json::json!({"kind": "correction_received", "date": gongkai_domain::format_date_iso(app.today())}),
        outcome: None,
        letter: None,
    };
    let clock = add_event_in(&mut tx, app, Actor::System, &request, &event).await?;
    crate::audit::record_as(
        &mut tx,
        app,
        None,
        "applicant",
        "request.correction",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "chars": chars}),
    )
    .await?;
    tx.commit().await?;
    Ok(clock)
}

/// What the applicant sent in answer to 补正告知书, for the unit's staff: (text, when).
pub async fn corrections(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
) -> Result<Vec<(String, String)>> {
    let view = for_staff(app, actor, tracking).await?;
    let Some(r) = view.request else {
        return Ok(Vec::new());
    };
    let mut c = app.db().conn().await?;
    Ok(intake::corrections(&mut c, r.id)
        .await?
        .into_iter()
        .map(|(t, at)| (t, crate::format_china_time(at)))
        .collect())
}

/// A letter addressed to the applicant, opened with the 查询码 and secret (wrong secrets
/// slowed down as on the tracking page).
pub async fn applicant_letter(
    app: &App,
    tracking: &str,
    secret: &str,
    id: i64,
    source: Source<'_>,
) -> Result<gongkai_domain::letter::Letter> {
    let mut c = app.db().conn().await?;
    let found = by_secret(&mut c, app, tracking, secret, source).await?;
    let request_id = found.request_id.ok_or(Error::NotFound("告知书"))?;
    crate::letters::one(&mut c, request_id, id, true).await
}

/// The clock of a stored request today.
fn clock_of(app: &App, r: &Request) -> Result<Clock> {
    let input = crate::calendar::clock_input(r.received_date, &r.events)
        .map_err(|e| Error::internal(format!("stored events of request {}: {e}", r.id)))?;
    gongkai_domain::deadline::compute(&input, &app.calendar(), &app.settings().clock, app.today())
        .map_err(|e| Error::Invalid(e.to_string()))
}

/// The application and its request as the handling unit's staff see them.
#[derive(Clone, Debug)]
pub struct StaffView {
    /// The application as filed (with the applicant's details).
    pub intake: Option<Intake>,
    /// The request once registered.
    pub request: Option<Request>,
    /// Its clock today.
    pub clock: Option<Clock>,
    /// Its letters, in the order issued.
    pub letters: Vec<crate::letters::LetterRow>,
}

/// The roles that may see a unit's requests.
const STAFF: &[Role] = &[Role::Clerk, Role::Reviewer, Role::Approver, Role::Office];

/// A 经办人 of the organization may act; other staff of it are refused, and anyone else is
/// told the request does not exist.
fn clerk_of(actor: Actor<'_>, org_id: i64) -> Result<()> {
    if actor.require_in_unit(org_id, STAFF).is_err() {
        return Err(Error::NotFound("申请"));
    }
    actor.require_in_unit(org_id, &[Role::Clerk])
}

/// Loads an application by 查询码 for `actor`, who must hold a role in its organization:
/// anyone else is told it does not exist.
pub async fn for_staff(app: &App, actor: Actor<'_>, tracking: &str) -> Result<StaffView> {
    let mut c = app.db().conn().await?;
    let found = intake::by_tracking(&mut c, tracking.trim()).await?;
    let request = match &found {
        Some(i) => match i.request_id {
            Some(id) => requests::by_id(&mut c, id).await?,
            None => None,
        },
        None => requests::by_tracking(&mut c, tracking.trim()).await?,
    };
    drop(c);
    let org_id = match (&found, &request) {
        (Some(i), _) => i.org_id,
        (None, Some(r)) => r.org_id,
        (None, None) => return Err(Error::NotFound("申请")),
    };
    if actor.require_in_unit(org_id, STAFF).is_err() {
        return Err(Error::NotFound("申请"));
    }
    let clock = request.as_ref().map(|r| clock_of(app, r)).transpose()?;
    let letters = match &request {
        Some(r) => {
            let mut c = app.db().conn().await?;
            crate::letters::rows(&mut c, r.id).await?
        }
        None => Vec::new(),
    };
    Ok(StaffView {
        intake: found,
        request,
        clock,
        letters,
    })
}

/// Registers an application (a 经办人 of its organization): `received` is the receipt date
/// of Art. 31, no later than today and no earlier than the filing day. The request's clock
/// starts from it.
pub async fn register(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    received: Date,
) -> Result<Clock> {
    let mut tx = app.db().begin().await?;
    let found = intake::by_tracking(&mut tx, tracking.trim())
        .await?
        .ok_or(Error::NotFound("申请"))?;
    clerk_of(actor, found.org_id)?;
    if found.request_id.is_some() {
        return Err(Error::Conflict("该申请已登记".into()));
    }
    let filed = found.submitted_at.to_offset(crate::china_offset()).date();
    if received > app.today() || received < filed {
        return Err(Error::Invalid(format!(
            "received_date：收到申请之日须在提交之日（{}）与今天之间",
            gongkai_domain::format_date_iso(filed)
        )));
    }
    let applicant_type = ApplicantType::from_code(&found.applicant_type)
        .map_err(|e| Error::internal(format!("stored applicant type: {e}")))?;
    let (due, due_problem) =
        crate::calendar::due_date(&app.calendar(), app, received, "[]", app.today());
    let row = requests::NewRequest {
        org_id: found.org_id,
        tracking: found.tracking.clone(),
        applicant_type: applicant_type.code(),
        received_date: received,
        outcome: None,
        replied_date: None,
        bases: "[]".to_owned(),
        applicant: found.applicant.clone(),
        description: Some(found.description.clone()),
        events: "[]".to_owned(),
        due_date: due,
        due_problem,
        reviews: Vec::new(),
    };
    requests::insert_many(&mut tx, std::slice::from_ref(&row), app.now()).await?;
    let request = requests::by_tracking(&mut tx, &found.tracking)
        .await?
        .ok_or_else(|| Error::internal("registered request vanished"))?;
    if !intake::set_registered(&mut tx, found.id, request.id, actor.user_id()).await? {
        return Err(Error::Conflict("该申请已登记".into()));
    }
    let clock = clock_of(app, &request)?;
    crate::letters::issue_in(
        &mut tx,
        app,
        actor,
        &request,
        &clock,
        &crate::letters::Issue {
            key: TemplateKey::of(LetterKind::Receipt),
            date: app.today(),
            written: BTreeMap::new(),
            strict: true,
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "request.register",
        "request",
        Some(request.id),
        Some(found.org_id),
        serde_json::json!({"tracking": found.tracking, "received_date": gongkai_domain::format_date_iso(received)}),
    )
    .await?;
    tx.commit().await?;
    Ok(clock)
}

/// A clock event recorded by staff, or the reply with its outcome and legal bases.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// The event as DOMAIN A6.1 writes it (`{"kind", "date", "id"?, "working_days"?}`).
    pub event: serde_json::Value,
    /// With `replied`: the outcome and its bases.
    pub outcome: Option<(Outcome, Vec<LegalBasis>)>,
    /// The letter the event announces, with what the clerk wrote for it: the 补正告知书 of
    /// `correction_requested`, the 延期告知书 of `extension`, the 征求意见函 of
    /// `consultation_sent`, the 收费通知 of `fee_notice`. The 答复告知书 of `replied` is
    /// issued in any case (its fill-ins checked only when they are given).
    pub letter: Option<Written>,
}

/// What the clerk wrote for an event's letter.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Fill-ins by name (补正事项, 答复内容, …).
    pub fields: BTreeMap<String, String>,
    /// With `consultation_sent`: another agency (Art. 34) rather than a third party (Art. 32).
    pub to_agency: bool,
}

/// The letter an event of this kind announces, if any.
fn letter_key(
    kind: ClockEventKind,
    letter: &Written,
    outcome: Option<&(Outcome, Vec<LegalBasis>)>,
) -> Option<TemplateKey> {
    Some(match kind {
        ClockEventKind::CorrectionRequested => TemplateKey::of(LetterKind::Correction),
        ClockEventKind::Extension => TemplateKey::of(LetterKind::Extension),
        ClockEventKind::ConsultationSent if letter.to_agency => {
            TemplateKey::of(LetterKind::ConsultAgency)
        }
        ClockEventKind::ConsultationSent => TemplateKey::of(LetterKind::ConsultThirdParty),
        ClockEventKind::FeeNotice => TemplateKey::of(LetterKind::FeeNotice),
        ClockEventKind::Replied => {
            let (o, bases) = outcome?;
            crate::letters::reply_key(bases, *o)
        }
        _ => return None,
    })
}

/// Records an event on a registered request (a 经办人 of its organization), checked against
/// the clock: an impossible event changes nothing and says why. Returns the clock after it.
pub async fn add_event(
    app: &App,
    actor: Actor<'_>,
    tracking: &str,
    new: &NewEvent,
) -> Result<Clock> {
    let mut tx = app.db().begin().await?;
    let request = requests::by_tracking(&mut tx, tracking.trim())
        .await?
        .ok_or(Error::NotFound("申请"))?;
    clerk_of(actor, request.org_id)?;
    let replying = new.event.get("kind").and_then(|k| k.as_str()) == Some("replied");
    if replying
        && let Some(r) = gongkai_store::letters::reply(&mut tx, request.id).await?
        && r.stage != "draft"
    {
        return Err(Error::Conflict(
            "该申请的答复正在审核、签发中，签发后自动记录答复".into(),
        ));
    }
    let clock = add_event_in(&mut tx, app, actor, &request, new).await?;
    tx.commit().await?;
    Ok(clock)
}

/// Whether a reply with this outcome may be written on the request as its events stand
/// ([`gongkai_domain::request::check_reply_events`]).
pub(crate) fn check_reply_on(request: &Request, outcome: Outcome) -> Result<()> {
    let input = crate::calendar::clock_input(request.received_date, &request.events)
        .map_err(|e| Error::internal(format!("stored events of request {}: {e}", request.id)))?;
    gongkai_domain::request::check_reply_events(outcome, &input.events)
        .map_err(|m| Error::Invalid(format!("basis：{m}")))
}

/// Records an event on a request inside a transaction (the caller has checked who acts).
pub(crate) async fn add_event_in(
    tx: &mut gongkai_store::Tx,
    app: &App,
    actor: Actor<'_>,
    request: &Request,
    new: &NewEvent,
) -> Result<Clock> {
    if request.replied_date.is_some() {
        return Err(Error::Conflict("该申请已答复，不能再记录时限事件".into()));
    }
    let mut events: Vec<serde_json::Value> = serde_json::from_str(&request.events)
        .map_err(|e| Error::internal(format!("stored events of request {}: {e}", request.id)))?;
    events.push(new.event.clone());
    let events_json = serde_json::Value::Array(events).to_string();
    let input = crate::calendar::clock_input(request.received_date, &events_json)
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let last = input.events.last().map(|e| (e.kind, e.date));
    if let Some((_, date)) = last
        && date > app.today()
    {
        return Err(Error::Invalid("date：事件日期不能晚于今天".into()));
    }
    let clock = gongkai_domain::deadline::compute(
        &input,
        &app.calendar(),
        &app.settings().clock,
        app.today(),
    )
    .map_err(|e| Error::Invalid(e.to_string()))?;
    let replied = last.filter(|(k, _)| *k == ClockEventKind::Replied);
    let closed = match (replied, &new.outcome) {
        (Some(_), None) => {
            return Err(Error::Invalid(
                "outcome：答复须写明办理结果（DOMAIN A2 的代码）及其法律依据".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(Error::Invalid(
                "outcome：只有答复（replied）带办理结果".into(),
            ));
        }
        (Some((_, date)), Some((outcome, bases))) => {
            let before = &input.events[..input.events.len().saturating_sub(1)];
            gongkai_domain::request::check_reply_events(*outcome, before)
                .map_err(|m| Error::Invalid(format!("outcome：{m}")))?;
            if let Some(b) = bases.iter().find(|b| !outcome.accepts_basis(**b)) {
                return Err(Error::Invalid(format!(
                    "basis：答复依据“{}”对应的办理结果是“{}”，与“{}”不符",
                    b.label(),
                    b.outcome().row_label(),
                    outcome.row_label()
                )));
            }
            if bases.is_empty() && !outcome.legal_bases().is_empty() {
                return Err(Error::Invalid(
                    "basis：请写明答复所依据的条款（如 art36_2）".into(),
                ));
            }
            let codes: Vec<&str> = bases.iter().map(|b| b.code()).collect();
            Some((
                outcome.code(),
                date,
                serde_json::to_string(&codes).unwrap_or_default(),
            ))
        }
        (None, None) => None,
    };
    if let Some((kind, date)) = last {
        let given = new.letter.clone();
        let written = given.clone().unwrap_or_default();
        match letter_key(kind, &written, new.outcome.as_ref()) {
            Some(key) if given.is_some() || kind == ClockEventKind::Replied => {
                crate::letters::issue_in(
                    &mut *tx,
                    app,
                    actor,
                    request,
                    &clock,
                    &crate::letters::Issue {
                        key,
                        date,
                        written: written.fields,
                        strict: given.is_some(),
                    },
                )
                .await?;
            }
            None if given.is_some() => {
                return Err(Error::Invalid(format!(
                    "letter：“{}”不发告知书",
                    kind.label()
                )));
            }
            _ => {}
        }
    }
    if !requests::set_clock(
        &mut *tx,
        request.id,
        &events_json,
        clock.due,
        clock.provisional_reason().as_deref(),
        closed.as_ref().map(|(o, d, b)| (*o, *d, b.as_str())),
        app.now(),
    )
    .await?
    {
        return Err(Error::Conflict("该申请刚被他人答复，请刷新页面".into()));
    }
    crate::audit::record(
        &mut *tx,
        app,
        actor,
        "request.event",
        "request",
        Some(request.id),
        Some(request.org_id),
        serde_json::json!({"tracking": request.tracking, "event": new.event, "outcome": closed.as_ref().map(|c| c.0)}),
    )
    .await?;
    Ok(clock)
}

/// An application waiting to be registered, as the queue shows it (no personal data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingRow {
    /// 查询码.
    pub tracking: String,
    /// The organization asked.
    pub org: String,
    /// How it came in, in Chinese.
    pub channel: &'static str,
    /// When it was filed (China time).
    pub submitted_at: String,
}

/// An open request on the desk.
#[derive(Clone, Debug)]
pub struct OpenRow {
    /// 查询码.
    pub tracking: String,
    /// The handling organization.
    pub org: String,
    /// 收到申请之日.
    pub received: Date,
    /// Its clock today.
    pub clock: Clock,
    /// A consultation is awaiting its answer.
    pub consulting: bool,
    /// A fee notice is awaiting payment.
    pub awaiting_fee: bool,
    /// Where its reply is (`draft`, `submitted`, `reviewed`), if one is being written.
    pub reply_stage: Option<String>,
    /// Its 承办人: (user id, display name).
    pub assignee: Option<(i64, String)>,
}

/// Whether a request's stored events leave a consultation unanswered, and a fee unpaid.
fn pending(events: &str) -> (bool, bool) {
    let events: Vec<serde_json::Value> = serde_json::from_str(events).unwrap_or_default();
    let kind = |e: &serde_json::Value| {
        e.get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let id = |e: &serde_json::Value| {
        e.get("id")
            .and_then(|k| k.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let mut open: Vec<String> = Vec::new();
    let mut fee = false;
    for e in &events {
        match kind(e).as_str() {
            "consultation_sent" => open.push(id(e)),
            "consultation_answered" => open.retain(|x| *x != id(e)),
            "fee_notice" => fee = true,
            "fee_paid" => fee = false,
            _ => {}
        }
    }
    (!open.is_empty(), fee)
}

/// What a person's units have to do about requests: applications to register and open
/// requests, the soonest due first.
#[derive(Clone, Debug, Default)]
pub struct Desk {
    /// Filed, not yet registered.
    pub waiting: Vec<WaitingRow>,
    /// Registered and not yet replied to or withdrawn.
    pub open: Vec<OpenRow>,
}

/// Rows a queue shows at most.
const QUEUE: i64 = 500;

/// The request desk of the organizations `staff` may see.
pub async fn desk(app: &App, staff: &crate::auth::Staff) -> Result<Desk> {
    let tree = crate::orgs::OrgTree::load(app).await?;
    let orgs = crate::staff::visible_orgs(staff, &tree);
    let name = |id: i64| tree.get(id).map(|o| o.name.clone()).unwrap_or_default();
    let mut c = app.db().conn().await?;
    let waiting = intake::waiting(&mut c, &orgs, QUEUE).await?;
    let open = requests::open_of(&mut c, &orgs, QUEUE).await?;
    let ids: Vec<i64> = open.iter().map(|r| r.id).collect();
    let stages = gongkai_store::letters::reply_stages(&mut c, &ids).await?;
    let handling = requests::handling_of(&mut c, &ids).await?;
    let mut names = std::collections::HashMap::new();
    for h in &handling {
        if let Some(u) = h.assigned_to
            && !names.contains_key(&u)
            && let Some(user) = gongkai_store::users::by_id(&mut c, u).await?
        {
            names.insert(u, user.display_name);
        }
    }
    drop(c);
    let mut desk = Desk {
        waiting: waiting
            .into_iter()
            .map(|i| WaitingRow {
                org: name(i.org_id),
                channel: match i.channel.as_str() {
                    "letter" => "信函",
                    "walk_in" => "当面",
                    _ => "网上",
                },
                submitted_at: crate::format_china_time(i.submitted_at),
                tracking: i.tracking,
            })
            .collect(),
        open: Vec::new(),
    };
    for r in open {
        // A request whose stored events no longer compute is left out and logged.
        match clock_of(app, &r) {
            Ok(clock) if clock.status != gongkai_domain::deadline::ClockStatus::Withdrawn => {
                let (consulting, awaiting_fee) = pending(&r.events);
                let assignee = handling
                    .iter()
                    .find(|h| h.request_id == r.id)
                    .and_then(|h| h.assigned_to)
                    .map(|u| (u, names.get(&u).cloned().unwrap_or_default()));
                desk.open.push(OpenRow {
                    org: name(r.org_id),
                    received: r.received_date,
                    clock,
                    consulting,
                    awaiting_fee,
                    reply_stage: stages
                        .iter()
                        .find(|(id, _)| *id == r.id)
                        .map(|(_, s)| s.clone()),
                    assignee,
                    tracking: r.tracking,
                });
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(request.id = r.id, error = %e, "request clock not computed"),
        }
    }
    Ok(desk)
}

/// The reminders of a desk (DOMAIN A6: before the deadline, at the settings' two distances).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reminders {
    /// Past the due date.
    pub overdue: usize,
    /// Due within the last reminder's working days.
    pub last: usize,
    /// Due within the first reminder's working days (the last ones included).
    pub first: usize,
    /// Filed and waiting to be registered.
    pub waiting: usize,
}

/// Counts what a desk should be reminded of.
pub fn reminders(desk: &Desk, settings: &crate::Settings) -> Reminders {
    use gongkai_domain::deadline::ClockStatus;
    let within = |days: u32| {
        desk.open
            .iter()
            .filter(|r| {
                r.clock.status == ClockStatus::Open && r.clock.days_left.is_some_and(|d| d <= days)
            })
            .count()
    };
    Reminders {
        overdue: desk
            .open
            .iter()
            .filter(|r| r.clock.status == ClockStatus::Overdue)
            .count(),
        last: within(settings.reminder_last_days),
        first: within(settings.reminder_first_days),
        waiting: desk.waiting.len(),
    }
}

/// Registers a letter or a walk-in application at once (a 经办人 of the organization asked):
/// `received` is the receipt date of Art. 31 (the day the letter was signed for, or handed
/// in), today or before. Returns the receipt to hand to the applicant and the clock.
pub async fn register_offline(
    app: &App,
    actor: Actor<'_>,
    a: &Application,
    channel: Channel,
    received: Date,
) -> Result<(Receipt, Clock)> {
    if channel == Channel::Online {
        return Err(Error::Invalid("channel：网上申请由申请人提交".into()));
    }
    let mut c = app.db().conn().await?;
    let org = orgs::by_code(&mut c, a.org.as_str())
        .await?
        .ok_or_else(|| Error::Invalid(format!("org：机构代码 {} 不存在", a.org)))?;
    drop(c);
    clerk_of(actor, org.id)?;
    if received > app.today() {
        return Err(Error::Invalid(
            "received_date：收到申请之日不能晚于今天".into(),
        ));
    }
    let at = received
        .with_hms(9, 0, 0)
        .map(|t| t.assume_offset(crate::china_offset()))
        .map_err(|e| Error::internal(e.to_string()))?;
    let receipt = store_at(app, actor, a, channel, at).await?;
    let clock = register(app, actor, &receipt.tracking, received).await?;
    Ok((receipt, clock))
}
