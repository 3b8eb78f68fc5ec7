//! Information request records: the clock events are checked against the statutory clock,
//! a 查询码 may not be taken, and the due date is computed on the calendar in force and
//! stored. Applicant details are personal information and never logged.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::sync::Arc;

use gongkai_domain::{CalendarError, ClockError, LineProblem, ValidRequest, validate_request_line};
use gongkai_store::Tx;
use gongkai_store::orgs::Org;
use gongkai_store::requests;

use super::{
    Checker, ImportOptions, ImportProgress, ImportReport, Kind, Pending, Refusal, Valid, org,
};
use crate::{App, Result};

/// Imports requests from JSON Lines, telling `progress` how far it got. A request whose
/// 查询码 is there already was imported before: it is skipped.
pub async fn import_requests<R: BufRead>(
    app: &App,
    reader: R,
    opts: ImportOptions,
    progress: impl FnMut(ImportProgress),
) -> Result<ImportReport> {
    let kind = Requests {
        app: app.clone(),
        seen: HashMap::new(),
    };
    super::run(app, kind, reader, opts, progress).await
}

/// A request line with its due date (none when the calendar of its year is not loaded).
pub(crate) struct Line {
    request: ValidRequest,
    due: Option<time::Date>,
    due_problem: Option<String>,
}

struct Requests {
    app: App,
    /// The line of each 查询码 in the file.
    seen: HashMap<String, usize>,
}

impl Kind for Requests {
    type Item = Box<Line>;
    const NAME: &'static str = "requests";
    const BATCH: usize = 1000;

    fn checker(&self) -> Checker<Self::Item> {
        let calendar = self.app.calendar();
        let clock = self.app.settings().clock;
        let today = self.app.today();
        Arc::new(move |raw| {
            let (request, mut warnings) = validate_request_line(raw)?;
            let events = serde_json::Value::Array(request.events.clone()).to_string();
            let computed =
                crate::calendar::clock_input(request.received, &events).and_then(|input| {
                    gongkai_domain::deadline::compute(&input, &calendar, &clock, today)
                });
            let (due, due_problem) = match computed {
                Ok(clock) => {
                    let reason = clock.provisional_reason();
                    if let Some(reason) = &reason
                        && request.closed.is_none()
                    {
                        warnings.insert(
                            0,
                            LineProblem {
                                field: "received_date",
                                message: format!("答复期限{reason}"),
                            },
                        );
                    }
                    (clock.due, reason)
                }
                Err(ClockError::Calendar(e @ CalendarError::NotLoaded { .. })) => {
                    if request.closed.is_none() {
                        warnings.insert(
                            0,
                            LineProblem {
                                field: "received_date",
                                message: format!("无法计算答复期限：{e}"),
                            },
                        );
                    }
                    (None, Some(e.to_string()))
                }
                Err(e) => {
                    return Err(vec![LineProblem {
                        field: "events",
                        message: e.to_string(),
                    }]);
                }
            };
            Ok(Valid::new(
                Box::new(Line {
                    request,
                    due,
                    due_problem,
                }),
                warnings,
            ))
        })
    }

    fn org_code(item: &Self::Item) -> &str {
        item.request.org.as_str()
    }

    fn accept(&mut self, line: usize, item: &Self::Item) -> Result<(), Refusal> {
        let tracking = item.request.tracking.as_str();
        if let Some(first) = self.seen.get(tracking) {
            return Err(Refusal::Error(LineProblem {
                field: "tracking",
                message: format!("查询码 {tracking} 与第 {first} 行重复"),
            }));
        }
        self.seen.insert(tracking.to_owned(), line);
        Ok(())
    }

    async fn screen(
        &mut self,
        tx: &mut Tx,
        _orgs: &HashMap<String, Org>,
        batch: &[Pending<Self::Item>],
    ) -> Result<Vec<(usize, Refusal)>> {
        let trackings: Vec<String> = batch
            .iter()
            .map(|p| p.item.request.tracking.as_str().to_owned())
            .collect();
        let taken: HashSet<String> = requests::existing_trackings(tx, &trackings)
            .await?
            .into_iter()
            .collect();
        Ok(batch
            .iter()
            .enumerate()
            .filter(|(_, p)| taken.contains(p.item.request.tracking.as_str()))
            .map(|(i, p)| {
                let why = format!("查询码 {} 已导入过，跳过", p.item.request.tracking);
                (i, Refusal::Skip(why))
            })
            .collect())
    }

    async fn write(
        &mut self,
        app: &App,
        tx: &mut Tx,
        orgs: &HashMap<String, Org>,
        batch: &[Pending<Self::Item>],
    ) -> Result<()> {
        let mut rows = Vec::with_capacity(batch.len());
        for p in batch {
            let l = &p.item;
            let org_id = org(orgs, l.request.org.as_str())?.id;
            rows.push(crate::requests::new_row(
                &l.request,
                org_id,
                l.due,
                l.due_problem.clone(),
            ));
        }
        requests::insert_many(tx, &rows, app.now()).await?;
        Ok(())
    }
}
