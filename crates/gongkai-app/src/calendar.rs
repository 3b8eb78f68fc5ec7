//! The working-day calendar in force: the years shipped in the binary (2019–2026), overlaid
//! with the notices an administrator loaded (`gongkai calendar load`), newest version of a
//! year first. Loading a notice recomputes the due date of every open request and records each
//! date it moved (DOMAIN A9; alaveteli#5101 is the bug this prevents).

use gongkai_domain::{Calendar, ClockInput, YearNotice, deadline};
use gongkai_store::{Handle, calendar as store, requests};
use serde::Serialize;
use time::Date;

use crate::{App, Error, Result};

/// What loading a notice did.
#[derive(Clone, Debug, Serialize)]
pub struct LoadReport {
    /// The notice's year.
    pub year: i32,
    /// Its version in the database (1 for the first load of that year).
    pub version: i64,
    /// Special days in the notice.
    pub days: usize,
    /// Open requests whose due date was recomputed.
    pub open_requests: usize,
    /// The due dates that moved.
    pub changes: Vec<DueChange>,
}

/// A due date moved by a calendar change.
#[derive(Clone, Debug, Serialize)]
pub struct DueChange {
    /// The request's 查询码.
    pub tracking: String,
    /// Due date before (`None`: could not be computed).
    pub old_due: Option<Date>,
    /// Due date after.
    pub new_due: Option<Date>,
}

/// The calendar of the shipped years overlaid with the notices stored in `h`.
pub async fn stored(h: &mut impl Handle) -> Result<Calendar> {
    let mut calendar = Calendar::shipped();
    for n in store::current(h).await? {
        let notice = YearNotice::from_json(&n.notice).map_err(|e| {
            Error::internal(format!(
                "stored calendar notice {} v{} no longer parses: {e}",
                n.year, n.version
            ))
        })?;
        calendar.insert(notice);
    }
    Ok(calendar)
}

/// Reads the stored notices again into the application's calendar.
pub async fn reload(app: &App) -> Result<()> {
    let mut c = app.db().conn().await?;
    let calendar = stored(&mut c).await?;
    app.set_calendar(calendar);
    Ok(())
}

/// Loads a year's notice (validated by the domain), stores it as that year's newest version
/// and recomputes the due date of every open request, in one transaction.
pub async fn load(app: &App, json: &str) -> Result<LoadReport> {
    load_as(app, crate::documents::Actor::System, json).await
}

/// [`load`] by a person: only a platform administrator.
pub async fn load_as(
    app: &App,
    actor: crate::documents::Actor<'_>,
    json: &str,
) -> Result<LoadReport> {
    if let crate::documents::Actor::Staff(s) = actor
        && !s.is_admin()
    {
        return Err(Error::Forbidden);
    }
    let notice = YearNotice::from_json(json).map_err(|e| Error::Invalid(e.to_string()))?;
    let year = notice.year();
    let days = notice.days().len();
    let now = app.now();
    let today = app.today();
    let mut tx = app.db().begin().await?;
    let before = stored(&mut tx).await?;
    let mut after = before.clone();
    after.insert(notice.clone());
    let version = store::insert(&mut tx, year, &notice.to_json(), now).await?;
    let open = requests::open(&mut tx).await?;
    let mut changes = Vec::new();
    for r in &open {
        let old = due_date(&before, app, r.received_date, &r.events, today);
        let new = due_date(&after, app, r.received_date, &r.events, today);
        if old.0 == new.0 && old.1 == new.1 && r.due_date == new.0 {
            continue;
        }
        requests::set_due(&mut tx, r.id, new.0, new.1.as_deref(), now).await?;
        if old.0 != new.0 || r.due_date != new.0 {
            let previous = r.due_date.or(old.0);
            requests::log_due_change(&mut tx, r.id, previous, new.0, year, version, now).await?;
            changes.push(DueChange {
                tracking: r.tracking.clone(),
                old_due: previous,
                new_due: new.0,
            });
        }
    }
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "calendar.load",
        "calendar",
        Some(i64::from(year)),
        None,
        serde_json::json!({"year": year, "version": version, "due_dates_changed": changes.len()}),
    )
    .await?;
    tx.commit().await?;
    app.set_calendar(after);
    tracing::info!(
        calendar.year = year,
        calendar.version = version,
        requests.open = open.len(),
        "calendar notice loaded"
    );
    Ok(LoadReport {
        year,
        version,
        days,
        open_requests: open.len(),
        changes,
    })
}

/// The due date of a request from its receipt and stored events (a JSON array in the format
/// of DOMAIN A6.1), and why it is missing (a calendar gap) or provisional (a year whose
/// notice is not out). No date and no reason: a 补正 is awaited.
pub fn due_date(
    calendar: &Calendar,
    app: &App,
    received: Date,
    events_json: &str,
    today: Date,
) -> (Option<Date>, Option<String>) {
    match clock_input(received, events_json) {
        Ok(input) => match deadline::compute(&input, calendar, &app.settings().clock, today) {
            Ok(clock) => {
                let reason = clock.provisional_reason();
                (clock.due, reason)
            }
            Err(e) => (None, Some(e.to_string())),
        },
        Err(e) => (None, Some(e.to_string())),
    }
}

/// The clock's input for a request.
pub fn clock_input(
    received: Date,
    events_json: &str,
) -> Result<ClockInput, gongkai_domain::ClockError> {
    let events: serde_json::Value =
        serde_json::from_str(events_json).unwrap_or(serde_json::Value::Array(Vec::new()));
    let input = serde_json::json!({
        "received": gongkai_domain::format_date_iso(received),
        "events": events,
    });
    ClockInput::from_json(&input.to_string())
}
