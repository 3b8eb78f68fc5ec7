//! The statutory reply clock of a request for disclosure (依申请公开), DOMAIN.md A6.1.
//!
//! 《政府信息公开条例》 Art. 33: "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以
//! 答复；需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长
//! 不得超过20个工作日。行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内。"
//! Art. 30: "答复期限自行政机关收到补正的申请之日起计算。" 国办函〔2020〕109号: "申请人应当在
//! 收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请".
//!
//! With `W(D, n)` the n-th working day after D ([`Calendar::add_workdays`]): the reply is due
//! on `W(R, 20 + extension + paused)`, R the receipt (or the corrected request), `paused` the
//! working days of consultations (each capped at 15 working days) and, by default, of fee
//! notices (capped at 20), each day counted once; a pause no event has ended counts to its
//! limit, so the due date depends on the recorded events alone. While a 补正 is awaited there
//! is no due date: the period starts again from the corrected request. [`compute`] is pure:
//! "today" is an argument.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::calendar::{Calendar, CalendarError};
use crate::error::vocabulary;
use crate::text::{format_date_cn, parse_date};

vocabulary! {
    /// What happened to a request that moves its reply clock (DOMAIN.md A6.1).
    pub enum ClockEventKind: "时限事件" {
        /// 补正告知 (Art. 30): the applicant is asked to correct the request.
        CorrectionRequested = ("correction_requested", "补正告知"),
        /// 收到补正 (Art. 30): the corrected request arrived; the clock restarts.
        CorrectionReceived = ("correction_received", "收到补正"),
        /// 征求意见 (Art. 32, 34): a letter to a third party or another agency, with an id.
        ConsultationSent = ("consultation_sent", "征求意见"),
        /// 收到意见: the answer to the consultation with the same id.
        ConsultationAnswered = ("consultation_answered", "收到意见"),
        /// 延期 (Art. 33): an approved extension, with its working days.
        Extension = ("extension", "延期"),
        /// 收费通知 (国办函〔2020〕109号): the fee notice.
        FeeNotice = ("fee_notice", "收费通知"),
        /// 缴费: the applicant paid.
        FeePaid = ("fee_paid", "缴费"),
        /// 答复 (Art. 36): the reply was made.
        Replied = ("replied", "答复"),
        /// 撤回: the applicant withdrew the request.
        Withdrawn = ("withdrawn", "撤回"),
    }
}

vocabulary! {
    /// Where a request's clock stands on a given day.
    pub enum ClockStatus: "时限状态" {
        /// Running, the due date not passed.
        Open = ("open", "办理中"),
        /// Stopped by an open consultation or fee notice.
        Paused = ("paused", "暂停计时"),
        /// 补正 requested and the corrected request not yet received: the period will start
        /// again from it, so there is no due date (Art. 30).
        AwaitingCorrection = ("awaiting_correction", "待补正"),
        /// Past the due date without a reply.
        Overdue = ("overdue", "已逾期"),
        /// Replied.
        Replied = ("replied", "已答复"),
        /// Withdrawn by the applicant.
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

/// One event of a request's clock, as stored (`{"kind", "date", "id"?, "working_days"?}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockEvent {
    /// What happened.
    pub kind: ClockEventKind,
    /// The day it happened.
    #[serde(with = "crate::iso_date")]
    pub date: Date,
    /// Pairs `consultation_sent` with `consultation_answered`; only on those two.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The extension's working days; only on `extension`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
}

impl ClockEvent {
    /// An event without id or working days.
    pub fn new(kind: ClockEventKind, date: Date) -> ClockEvent {
        ClockEvent {
            kind,
            date,
            id: None,
            working_days: None,
        }
    }

    /// The same event with the consultation id.
    pub fn with_id(mut self, id: impl Into<String>) -> ClockEvent {
        self.id = Some(id.into());
        self
    }

    /// The same event with the extension's working days.
    pub fn with_working_days(mut self, days: u32) -> ClockEvent {
        self.working_days = Some(days);
        self
    }
}

/// The input of the clock: the receipt date (Art. 31) and the events in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value")]
pub struct ClockInput {
    /// 收到申请之日 (Art. 31).
    #[serde(with = "crate::iso_date")]
    pub received: Date,
    /// The events, in date order.
    pub events: Vec<ClockEvent>,
}

/// The numbers of the clock; the defaults are the law's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockSettings {
    /// Whether the fee notice pauses the clock until payment. 109号 is commonly read so, but
    /// the sentence was not seen (DOMAIN.md B §2 [U]); default true.
    pub fee_pauses: bool,
    /// The reply period, Art. 33: 20 working days.
    pub period: u32,
    /// The 补正 notice period, Art. 30: 7 working days.
    pub correction_notice_days: u32,
    /// The consultation period, Art. 32 and 34: 15 working days.
    pub consultation_days: u32,
    /// The fee payment period, 109号: 20 working days.
    pub fee_payment_days: u32,
    /// The longest extension, Art. 33: 20 working days.
    pub max_extension: u32,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings {
            fee_pauses: true,
            period: 20,
            correction_notice_days: 7,
            consultation_days: 15,
            fee_payment_days: 20,
            max_extension: 20,
        }
    }
}

/// One line of the clock's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The day of the event.
    #[serde(with = "crate::iso_date")]
    pub date: Date,
    /// `received` or the event's kind code.
    pub event: String,
    /// What it did to the clock, in Chinese, with the date it produced and its legal source.
    pub effect: String,
}

/// The clock on a given day; serializes as DOMAIN.md A6.1's output object, with
/// `provisional` added only when a year's notice was missing (A9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The reply is due on or before this day; none while a 补正 is awaited.
    #[serde(with = "crate::iso_date::option")]
    pub due: Option<Date>,
    /// The extension's working days, 0 if none.
    pub extension: u32,
    /// The paused working days after the (last) receipt, each counted once.
    pub paused: u32,
    /// Where the clock stands.
    pub status: ClockStatus,
    /// The working days after today up to the due date; only when open.
    pub days_left: Option<u32>,
    /// The explanation, the receipt first.
    pub steps: Vec<Step>,
    /// Irregularities that do not stop the clock, in Chinese.
    pub warnings: Vec<String>,
    /// Years the period runs into whose 放假调休 notice is not loaded, counted with weekends
    /// only: the due date is provisional (暂定) until the notice is loaded (DOMAIN.md A9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional: Vec<i32>,
}

impl Clock {
    /// Why the due date is provisional, in Chinese; `None` when it is not.
    pub fn provisional_reason(&self) -> Option<String> {
        if self.provisional.is_empty() {
            return None;
        }
        let years: Vec<String> = self.provisional.iter().map(|y| format!("{y}年")).collect();
        Some(format!(
            "暂定：{}放假调休安排尚未载入，该年只按周末计算，载入后自动重算",
            years.join("、")
        ))
    }
}

/// An impossible event sequence or input. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The text is not JSON.
    #[error("时限事件记录不是有效的 JSON：{reason}")]
    Json {
        /// The parser's message.
        reason: String,
    },
    /// A field is missing, unknown or of the wrong form.
    #[error("{}", field_message(*.event, .field, .reason))]
    Field {
        /// 1-based position of the event, or none for the top level.
        event: Option<usize>,
        /// The field's name.
        field: String,
        /// What is expected, in Chinese.
        reason: String,
    },
    /// An event before the receipt of the request.
    #[error("第{position}个事件（{kind}，{date}）早于收到申请之日{received}：请核对日期")]
    BeforeReceipt {
        /// 1-based position.
        position: usize,
        /// Its kind.
        kind: ClockEventKind,
        /// Its date.
        date: Date,
        /// The receipt date.
        received: Date,
    },
    /// An event dated before the one listed before it.
    #[error(
        "第{position}个事件（{kind}，{date}）早于前一个事件的日期{previous}：事件须按日期先后排列"
    )]
    OutOfOrder {
        /// 1-based position.
        position: usize,
        /// Its kind.
        kind: ClockEventKind,
        /// Its date.
        date: Date,
        /// The date of the event before it.
        previous: Date,
    },
    /// A corrected request without a pending 补正 notice.
    #[error("第{position}个事件：{date}收到补正，但此前没有尚待补正的补正告知（第三十条）")]
    CorrectionNotRequested {
        /// 1-based position.
        position: usize,
        /// Its date.
        date: Date,
    },
    /// An answer to a consultation that was not sent, or was already answered.
    #[error(
        "第{position}个事件：{date}收到编号为“{id}”的意见，但此前没有发出该编号且尚未收到答复的征求意见书"
    )]
    ConsultationNotSent {
        /// 1-based position.
        position: usize,
        /// Its date.
        date: Date,
        /// The consultation id.
        id: String,
    },
    /// A consultation id reused while the earlier letter is unanswered.
    #[error(
        "第{position}个事件：编号为“{id}”的征求意见书已于{sent}发出且尚未答复，不能再用这个编号；请另编号"
    )]
    ConsultationStillOpen {
        /// 1-based position.
        position: usize,
        /// The consultation id.
        id: String,
        /// When the open letter was sent.
        sent: Date,
    },
    /// A second extension.
    #[error("第{position}个事件：答复期限已于{first}延长过一次，依第三十三条只能延长一次")]
    SecondExtension {
        /// 1-based position.
        position: usize,
        /// The date of the first extension.
        first: Date,
    },
    /// An extension of 0 or more than the maximum working days.
    #[error("第{position}个事件：不能延期{days}个工作日，依第三十三条延长的期限为1至{max}个工作日")]
    ExtensionDays {
        /// 1-based position.
        position: usize,
        /// The working days asked for.
        days: u32,
        /// The maximum.
        max: u32,
    },
    /// An extension approved after the due date in force.
    #[error(
        "第{position}个事件：{date}批准延期时答复期限（{due}）已经届满，延期须在答复期限届满之日或之前批准（第三十三条）"
    )]
    ExtensionTooLate {
        /// 1-based position.
        position: usize,
        /// The approval date.
        date: Date,
        /// The due date in force on that day.
        due: Date,
    },
    /// A payment without an unpaid fee notice.
    #[error("第{position}个事件：{date}缴费，但此前没有尚未缴费的收费通知")]
    FeeNotNoticed {
        /// 1-based position.
        position: usize,
        /// Its date.
        date: Date,
    },
    /// A fee notice while an earlier one is unpaid.
    #[error("第{position}个事件：收费通知已于{notice}发出且尚未缴费，不能再发收费通知")]
    FeeNoticeOpen {
        /// 1-based position.
        position: usize,
        /// The date of the unpaid notice.
        notice: Date,
    },
    /// An event after the reply or the withdrawal.
    #[error(
        "第{position}个事件（{kind}，{date}）在{closed_on}{closed}之后：申请办结后不能再有事件"
    )]
    AfterClosed {
        /// 1-based position.
        position: usize,
        /// Its kind.
        kind: ClockEventKind,
        /// Its date.
        date: Date,
        /// Replied or withdrawn.
        closed: ClockEventKind,
        /// When.
        closed_on: Date,
    },
    /// Both a reply and a withdrawal.
    #[error("第{position}个事件：申请已于{closed_on}{closed}，不能既答复又撤回")]
    RepliedAndWithdrawn {
        /// 1-based position.
        position: usize,
        /// The first of the two.
        closed: ClockEventKind,
        /// When.
        closed_on: Date,
    },
    /// A day the clock must examine is in a year whose calendar is not loaded.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

fn field_message(event: Option<usize>, field: &str, reason: &str) -> String {
    match event {
        Some(position) => format!("第{position}个事件的“{field}”有误：{reason}"),
        None => format!("时限事件记录的“{field}”有误：{reason}"),
    }
}

fn field_error(event: Option<usize>, field: &str, reason: impl Into<String>) -> ClockError {
    ClockError::Field {
        event,
        field: field.to_owned(),
        reason: reason.into(),
    }
}

impl ClockInput {
    /// Reads the A6.1 input `{"received": "YYYY-MM-DD", "events": [...]}`. A consultation id
    /// may be a string or a number; it is kept as a string.
    pub fn from_json(text: &str) -> Result<ClockInput, ClockError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ClockError::Json {
            reason: e.to_string(),
        })?;
        ClockInput::try_from(value)
    }
}

impl TryFrom<Value> for ClockInput {
    type Error = ClockError;

    fn try_from(value: Value) -> Result<ClockInput, ClockError> {
        let Value::Object(top) = value else {
            return Err(field_error(
                None,
                "整体结构",
                "须为 JSON 对象 {\"received\": \"YYYY-MM-DD\", \"events\": […]}",
            ));
        };
        if let Some(key) = top
            .keys()
            .find(|k| !matches!(k.as_str(), "received" | "events"))
        {
            return Err(field_error(
                None,
                key,
                "不是可识别的字段（只有 received、events）",
            ));
        }
        let received = read_date(&top, None, "received")?;
        let events = match top.get("events") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| read_event(item, i + 1))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(field_error(None, "events", "须为事件的数组")),
        };
        Ok(ClockInput { received, events })
    }
}

fn read_date(
    map: &Map<String, Value>,
    event: Option<usize>,
    key: &str,
) -> Result<Date, ClockError> {
    let text = map
        .get(key)
        .ok_or_else(|| field_error(event, key, "缺少该字段，须写日期 YYYY-MM-DD"))?
        .as_str()
        .ok_or_else(|| field_error(event, key, "须为 YYYY-MM-DD 形式的字符串"))?;
    parse_date(text).map_err(|e| field_error(event, key, e.to_string()))
}

fn read_event(item: &Value, position: usize) -> Result<ClockEvent, ClockError> {
    let at = Some(position);
    let Value::Object(map) = item else {
        return Err(field_error(
            at,
            "整体结构",
            "须为对象，如 {\"kind\": \"replied\", \"date\": \"2024-10-08\"}",
        ));
    };
    let kind = map
        .get("kind")
        .ok_or_else(|| field_error(at, "kind", "缺少该字段"))?
        .as_str()
        .ok_or_else(|| field_error(at, "kind", "须为字符串"))?;
    let kind =
        ClockEventKind::from_code(kind).map_err(|e| field_error(at, "kind", e.to_string()))?;
    let date = read_date(map, at, "date")?;
    let takes_id = matches!(
        kind,
        ClockEventKind::ConsultationSent | ClockEventKind::ConsultationAnswered
    );
    let takes_days = kind == ClockEventKind::Extension;
    if let Some(key) = map.keys().find(|k| match k.as_str() {
        "kind" | "date" => false,
        "id" => !takes_id,
        "working_days" => !takes_days,
        _ => true,
    }) {
        let reason = match key.as_str() {
            "id" => "只有 consultation_sent 和 consultation_answered 带编号".to_owned(),
            "working_days" => "只有 extension 带延期的工作日数".to_owned(),
            _ => format!(
                "不是可识别的字段（{} 事件的字段为 kind、date{}）",
                kind.code(),
                if takes_id {
                    "、id"
                } else if takes_days {
                    "、working_days"
                } else {
                    ""
                }
            ),
        };
        return Err(field_error(at, key, reason));
    }
    let id = if takes_id {
        let id = match map.get("id") {
            None => {
                return Err(field_error(
                    at,
                    "id",
                    "缺少该字段：征求意见须有编号，用来配对发出与答复",
                ));
            }
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(field_error(at, "id", "须为字符串或数字")),
        };
        if id.is_empty() {
            return Err(field_error(at, "id", "编号为空"));
        }
        Some(id)
    } else {
        None
    };
    let working_days = if takes_days {
        let days = map
            .get("working_days")
            .ok_or_else(|| field_error(at, "working_days", "缺少该字段：须写延期的工作日数"))?
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| field_error(at, "working_days", "须为非负整数"))?;
        Some(days)
    } else {
        None
    };
    Ok(ClockEvent {
        kind,
        date,
        id,
        working_days,
    })
}

/// The clock of one request on `today`, or why its events are impossible.
///
/// The due date depends on the events alone (an open pause counts to its limit); only the
/// status and the days left depend on `today`. Events dated after `today` are validated but
/// do not count. When the period runs into a year after the last one loaded, that year is
/// counted with weekends only and the clock says it is provisional (DOMAIN.md A9); a year
/// missing before a loaded one stays an error.
pub fn compute(
    input: &ClockInput,
    calendar: &Calendar,
    settings: &ClockSettings,
    today: Date,
) -> Result<Clock, ClockError> {
    let mut provisional = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(calendar);
    loop {
        match compute_on(input, &current, settings, today) {
            Err(ClockError::Calendar(CalendarError::NotLoaded { year }))
                if provisional.len() < 2 =>
            {
                let Some(next) = current.with_provisional_year(year) else {
                    return Err(CalendarError::NotLoaded { year }.into());
                };
                provisional.push(year);
                current = std::borrow::Cow::Owned(next);
            }
            Ok(mut clock) => {
                clock.provisional = provisional;
                if let Some(reason) = clock.provisional_reason() {
                    clock.warnings.push(reason);
                }
                return Ok(clock);
            }
            Err(e) => return Err(e),
        }
    }
}

fn compute_on(
    input: &ClockInput,
    calendar: &Calendar,
    settings: &ClockSettings,
    today: Date,
) -> Result<Clock, ClockError> {
    let mut engine = Engine::new(input.received, calendar, settings);
    if input.received > today {
        engine.warnings.push(format!(
            "收到申请之日（{}）晚于今天（{}），请核对日期",
            format_date_cn(input.received),
            format_date_cn(today)
        ));
    }
    let mut snapshot = None;
    let mut future = Vec::new();
    let mut previous = input.received;
    for (i, event) in input.events.iter().enumerate() {
        let position = i + 1;
        if event.date < input.received {
            return Err(ClockError::BeforeReceipt {
                position,
                kind: event.kind,
                date: event.date,
                received: input.received,
            });
        }
        if event.date < previous {
            return Err(ClockError::OutOfOrder {
                position,
                kind: event.kind,
                date: event.date,
                previous,
            });
        }
        previous = event.date;
        if event.date > today {
            if snapshot.is_none() {
                snapshot = Some(engine.finish(today)?);
            }
            future.push(format!(
                "第{position}个事件（{}，{}）晚于今天（{}），未计入状态和答复期限",
                event.kind.label(),
                format_date_cn(event.date),
                format_date_cn(today)
            ));
        }
        engine.apply(position, event)?;
    }
    let mut clock = match snapshot {
        Some(clock) => clock,
        None => engine.finish(today)?,
    };
    clock.warnings.extend(future);
    Ok(clock)
}

/// The state of the clock after the events so far.
struct Engine<'a> {
    calendar: &'a Calendar,
    settings: &'a ClockSettings,
    /// The (last) start: the receipt or the corrected request.
    start: Date,
    /// The 补正 notice awaiting the corrected request, and its step.
    pending_correction: Option<(Date, usize)>,
    corrections_received: usize,
    /// Finished pauses, each the working days in (from, to].
    pauses: Vec<(Date, Date)>,
    /// Unanswered consultations by id, with the day sent.
    consultations: BTreeMap<String, Date>,
    /// The unpaid fee notice.
    fee_notice: Option<Date>,
    /// The extension: approval day and working days.
    extension: Option<(Date, u32)>,
    /// The reply or withdrawal.
    closed: Option<(ClockEventKind, Date)>,
    steps: Vec<Step>,
    warnings: Vec<String>,
}

impl<'a> Engine<'a> {
    fn new(received: Date, calendar: &'a Calendar, settings: &'a ClockSettings) -> Self {
        let mut engine = Engine {
            calendar,
            settings,
            start: received,
            pending_correction: None,
            corrections_received: 0,
            pauses: Vec::new(),
            consultations: BTreeMap::new(),
            fee_notice: None,
            extension: None,
            closed: None,
            steps: Vec::new(),
            warnings: Vec::new(),
        };
        let due = calendar.add_workdays(received, settings.period);
        engine.step(
            received,
            "received",
            format!(
                "收到申请（《政府信息公开条例》第三十一条），自次日起算{}个工作日，答复期限至{}（第三十三条第一款）",
                settings.period,
                date_text(due)
            ),
        );
        engine
    }

    fn step(&mut self, date: Date, event: &str, effect: String) {
        self.steps.push(Step {
            date,
            event: event.to_owned(),
            effect,
        });
    }

    /// The end of a pause begun on `from` with a cap of `cap` working days, as of `as_of`:
    /// `min(as_of, W(from, cap))`, without examining days after `as_of`.
    fn pause_end(&self, from: Date, cap: u32, as_of: Date) -> Result<Date, CalendarError> {
        if as_of <= from {
            return Ok(from);
        }
        if self.calendar.workdays_between(from, as_of)? >= cap {
            self.calendar.add_workdays(from, cap)
        } else {
            Ok(as_of)
        }
    }

    /// Whether `day` is after `W(from, cap)`, without examining days after `day`.
    fn past_cap(&self, from: Date, cap: u32, day: Date) -> Result<bool, CalendarError> {
        let count = self.calendar.workdays_between(from, day)?;
        Ok(count > cap || (count == cap && day > from && !self.calendar.is_workday(day)?))
    }

    /// The end of a pause begun on `from` that no event has ended: its limit `W(from, cap)`
    /// (DOMAIN.md A6.1), or the day the request closed when that came first.
    fn open_pause_end(
        &self,
        from: Date,
        cap: u32,
        closed: Option<Date>,
    ) -> Result<Date, CalendarError> {
        match closed {
            Some(on) => self.pause_end(from, cap, on),
            None => self.calendar.add_workdays(from, cap),
        }
    }

    /// The paused working days after the start, each day once; `closed` ends the pauses
    /// still open.
    fn paused(&self, closed: Option<Date>) -> Result<u32, CalendarError> {
        let floor = self.start;
        let mut spans = self.pauses.clone();
        for &sent in self.consultations.values() {
            spans.push((
                sent,
                self.open_pause_end(sent, self.settings.consultation_days, closed)?,
            ));
        }
        if let (Some(notice), true) = (self.fee_notice, self.settings.fee_pauses) {
            spans.push((
                notice,
                self.open_pause_end(notice, self.settings.fee_payment_days, closed)?,
            ));
        }
        let mut spans: Vec<(Date, Date)> = spans
            .into_iter()
            .map(|(from, to)| (from.max(floor), to))
            .filter(|(from, to)| to > from)
            .collect();
        spans.sort();
        let mut total = 0;
        let mut current: Option<(Date, Date)> = None;
        for (from, to) in spans {
            current = match current {
                Some((cur_from, cur_to)) if from <= cur_to => Some((cur_from, cur_to.max(to))),
                Some((cur_from, cur_to)) => {
                    total += self.calendar.workdays_between(cur_from, cur_to)?;
                    Some((from, to))
                }
                None => Some((from, to)),
            };
        }
        if let Some((from, to)) = current {
            total += self.calendar.workdays_between(from, to)?;
        }
        Ok(total)
    }

    /// The due date after the events so far (none while a correction is awaited), and the
    /// paused days it includes; `closed` ends the pauses still open.
    fn due(&self, closed: Option<Date>) -> Result<(Option<Date>, u32), CalendarError> {
        let paused = self.paused(closed)?;
        if self.pending_correction.is_some() {
            return Ok((None, paused));
        }
        let extension = self.extension.map_or(0, |(_, days)| days);
        let days = self.settings.period + extension + paused;
        Ok((Some(self.calendar.add_workdays(self.start, days)?), paused))
    }

    fn due_text(&self) -> String {
        match self.due(None) {
            Ok((None, _)) => "收到补正后的申请之日起重新计算".to_owned(),
            Ok((Some(due), _)) => format_date_cn(due),
            Err(e) => date_text(Err(e)),
        }
    }

    fn apply(&mut self, position: usize, event: &ClockEvent) -> Result<(), ClockError> {
        let date = event.date;
        if let Some((closed, closed_on)) = self.closed {
            let closing = matches!(
                event.kind,
                ClockEventKind::Replied | ClockEventKind::Withdrawn
            );
            if closing && event.kind != closed {
                return Err(ClockError::RepliedAndWithdrawn {
                    position,
                    closed,
                    closed_on,
                });
            }
            return Err(ClockError::AfterClosed {
                position,
                kind: event.kind,
                date,
                closed,
                closed_on,
            });
        }
        let code = event.kind.code();
        match event.kind {
            ClockEventKind::CorrectionRequested => {
                let notice_days = self.settings.correction_notice_days;
                if self.past_cap(self.start, notice_days, date)? {
                    let by = self.calendar.add_workdays(self.start, notice_days);
                    self.warnings.push(format!(
                        "{}发出的补正告知晚于收到申请后{}个工作日（{}）：第三十条要求在{}个工作日内一次性告知",
                        format_date_cn(date),
                        notice_days,
                        date_text(by),
                        notice_days
                    ));
                }
                if self.pending_correction.is_some() || self.corrections_received > 0 {
                    self.warnings.push(format!(
                        "{}再次告知补正：第三十条要求一次性告知需要补正的全部事项",
                        format_date_cn(date)
                    ));
                }
                if self.pending_correction.is_none() {
                    self.pending_correction = Some((date, self.steps.len()));
                }
                self.step(
                    date,
                    code,
                    "告知申请人补正（第三十条），说明需要补正的事项和合理的补正期限；答复期限暂停，自收到补正后的申请之日起重新计算".to_owned(),
                );
            }
            ClockEventKind::CorrectionReceived => {
                if self.pending_correction.take().is_none() {
                    return Err(ClockError::CorrectionNotRequested { position, date });
                }
                self.corrections_received += 1;
                self.start = date;
                // Pauses before the corrected request no longer count (Art. 30).
                self.pauses.clear();
                let effect = format!(
                    "收到补正后的申请（第三十条），答复期限自此重新计算，此前暂停的时间不再计入，答复期限至{}",
                    self.due_text()
                );
                self.step(date, code, effect);
            }
            ClockEventKind::ConsultationSent => {
                let id = required_id(event, position)?;
                if let Some(&sent) = self.consultations.get(&id) {
                    return Err(ClockError::ConsultationStillOpen { position, id, sent });
                }
                self.consultations.insert(id.clone(), date);
                let days = self.settings.consultation_days;
                let effect = format!(
                    "发出征求意见书（编号{id}，第三十二条、第三十四条），被征求意见方应在{days}个工作日内（至{}）提出意见，其间不计入答复期限（第三十三条第二款）；未收到意见前按期满计，答复期限至{}",
                    date_text(self.calendar.add_workdays(date, days)),
                    self.due_text()
                );
                self.step(date, code, effect);
            }
            ClockEventKind::ConsultationAnswered => {
                let id = required_id(event, position)?;
                let Some(sent) = self.consultations.remove(&id) else {
                    return Err(ClockError::ConsultationNotSent { position, date, id });
                };
                let days = self.settings.consultation_days;
                let end = self.pause_end(sent, days, date)?;
                self.pauses.push((sent, end));
                let late = if end < date {
                    format!(
                        "，意见晚于{days}个工作日的期限，暂停只计至{}",
                        format_date_cn(end)
                    )
                } else {
                    String::new()
                };
                let effect = format!(
                    "收到编号{id}的意见（第三十二条、第三十四条），{}至{}的征求意见时间不计入答复期限{late}，答复期限至{}",
                    format_date_cn(sent),
                    format_date_cn(end),
                    self.due_text()
                );
                self.step(date, code, effect);
            }
            ClockEventKind::Extension => {
                let Some(days) = event.working_days else {
                    return Err(field_error(
                        Some(position),
                        "working_days",
                        "缺少该字段：须写延期的工作日数",
                    ));
                };
                if let Some((first, _)) = self.extension {
                    return Err(ClockError::SecondExtension { position, first });
                }
                let max = self.settings.max_extension;
                if days == 0 || days > max {
                    return Err(ClockError::ExtensionDays {
                        position,
                        days,
                        max,
                    });
                }
                if let (Some(due), _) = self.due(None)?
                    && date > due
                {
                    return Err(ClockError::ExtensionTooLate {
                        position,
                        date,
                        due,
                    });
                }
                self.extension = Some((date, days));
                let effect = format!(
                    "延期{days}个工作日（第三十三条第一款，经政府信息公开工作机构负责人同意并告知申请人），答复期限延至{}",
                    self.due_text()
                );
                self.step(date, code, effect);
            }
            ClockEventKind::FeeNotice => {
                if let Some(notice) = self.fee_notice {
                    return Err(ClockError::FeeNoticeOpen { position, notice });
                }
                self.fee_notice = Some(date);
                let days = self.settings.fee_payment_days;
                let by = date_text(self.calendar.add_workdays(date, days));
                let pause = if self.settings.fee_pauses {
                    format!(
                        "，其间不计入答复期限；缴费前按期满计，答复期限至{}",
                        self.due_text()
                    )
                } else {
                    "；按本机关设置，缴费期间照常计入答复期限".to_owned()
                };
                self.step(
                    date,
                    code,
                    format!(
                        "发出收费通知（《政府信息公开信息处理费管理办法》，国办函〔2020〕109号），申请人应在收到通知次日起{days}个工作日内（至{by}）缴费，逾期视为放弃申请{pause}"
                    ),
                );
            }
            ClockEventKind::FeePaid => {
                let Some(notice) = self.fee_notice.take() else {
                    return Err(ClockError::FeeNotNoticed { position, date });
                };
                let days = self.settings.fee_payment_days;
                let end = self.pause_end(notice, days, date)?;
                if end < date {
                    self.warnings.push(format!(
                        "{}缴费晚于收费通知后{days}个工作日（{}）：依国办函〔2020〕109号，逾期未缴纳的视为放弃申请",
                        format_date_cn(date),
                        format_date_cn(end)
                    ));
                }
                let effect = if self.settings.fee_pauses {
                    self.pauses.push((notice, end));
                    format!(
                        "申请人缴费（国办函〔2020〕109号），{}至{}的缴费时间不计入答复期限，答复期限至{}",
                        format_date_cn(notice),
                        format_date_cn(end),
                        self.due_text()
                    )
                } else {
                    format!(
                        "申请人缴费（国办函〔2020〕109号），答复期限仍至{}",
                        self.due_text()
                    )
                };
                self.step(date, code, effect);
            }
            ClockEventKind::Replied => {
                let effect = match self.due(Some(date)) {
                    Ok((Some(due), _)) if date > due => format!(
                        "作出答复（第三十三条、第三十六条），答复期限为{}，已超过答复期限",
                        format_date_cn(due)
                    ),
                    Ok((Some(due), _)) => format!(
                        "作出答复（第三十三条、第三十六条），答复期限为{}，在答复期限内",
                        format_date_cn(due)
                    ),
                    Ok((None, _)) => {
                        "作出答复（第三十三条、第三十六条），此时尚待申请人补正".to_owned()
                    }
                    Err(e) => format!(
                        "作出答复（第三十三条、第三十六条），答复期限为{}",
                        date_text(Err(e))
                    ),
                };
                self.closed = Some((event.kind, date));
                self.step(date, code, effect);
            }
            ClockEventKind::Withdrawn => {
                self.closed = Some((event.kind, date));
                self.step(date, code, "申请人撤回申请，办理终止".to_owned());
            }
        }
        Ok(())
    }

    /// The clock on `today`, from the events applied so far.
    fn finish(&self, today: Date) -> Result<Clock, ClockError> {
        let closed = self.closed.map(|(_, on)| on);
        let (due, paused) = self.due(closed)?;
        let as_of = closed.map_or(today, |on| on.min(today));
        let mut steps = self.steps.clone();
        let mut warnings = self.warnings.clone();
        if let Some((_, index)) = self.pending_correction
            && let Some(step) = steps.get_mut(index)
            && closed.is_none()
        {
            step.effect.push_str(&format!(
                "；截至{}尚未收到补正，答复期限待收到补正后的申请之日起重新计算",
                format_date_cn(today)
            ));
        }
        if let Some(notice) = self.fee_notice {
            let days = self.settings.fee_payment_days;
            if self.past_cap(notice, days, as_of)? {
                let by = self.calendar.add_workdays(notice, days)?;
                warnings.push(format!(
                    "{}发出的收费通知，申请人未在{days}个工作日内（至{}）缴费，视为放弃申请（国办函〔2020〕109号），可按“申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”办结（other.fee_unpaid）",
                    format_date_cn(notice),
                    format_date_cn(by)
                ));
            }
        }
        for (id, &sent) in &self.consultations {
            let days = self.settings.consultation_days;
            if self.past_cap(sent, days, as_of)? {
                warnings.push(format!(
                    "编号{id}的征求意见书于{}发出，{days}个工作日内未收到意见，暂停只计至期满之日；第三方不提出意见的，由行政机关依法决定（第三十二条），其他机关逾期未提出意见的视为同意公开（第三十四条）",
                    format_date_cn(sent)
                ));
            }
        }
        let (status, days_left) = match (self.closed, due) {
            (Some((ClockEventKind::Withdrawn, _)), _) => (ClockStatus::Withdrawn, None),
            (Some(_), _) => (ClockStatus::Replied, None),
            (None, None) => (ClockStatus::AwaitingCorrection, None),
            (None, Some(_)) if self.is_paused(today)? => (ClockStatus::Paused, None),
            (None, Some(due)) if today > due => (ClockStatus::Overdue, None),
            (None, Some(due)) => (
                ClockStatus::Open,
                Some(self.calendar.workdays_between(today, due)?),
            ),
        };
        Ok(Clock {
            due,
            extension: self.extension.map_or(0, |(_, days)| days),
            paused,
            status,
            days_left,
            steps,
            warnings,
            provisional: Vec::new(),
        })
    }

    /// Whether `today` is inside an open pause.
    fn is_paused(&self, today: Date) -> Result<bool, CalendarError> {
        for &sent in self.consultations.values() {
            if !self.past_cap(sent, self.settings.consultation_days, today)? {
                return Ok(true);
            }
        }
        if let (Some(notice), true) = (self.fee_notice, self.settings.fee_pauses)
            && !self.past_cap(notice, self.settings.fee_payment_days, today)?
        {
            return Ok(true);
        }
        Ok(false)
    }
}

fn required_id(event: &ClockEvent, position: usize) -> Result<String, ClockError> {
    event
        .id
        .clone()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            field_error(
                Some(position),
                "id",
                "缺少该字段：征求意见须有编号，用来配对发出与答复",
            )
        })
}

/// A date for a step's text; a date beyond the loaded calendar is said to be unknown.
fn date_text(date: Result<Date, CalendarError>) -> String {
    match date {
        Ok(date) => format_date_cn(date),
        Err(CalendarError::NotLoaded { year }) => {
            format!("（未载入{year}年放假调休安排，暂无法确定）")
        }
        Err(error) => format!("（{error}）"),
    }
}
