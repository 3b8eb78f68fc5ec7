//! Settings an administrator changes on the admin page. They are stored in the database
//! and override the configuration file's from the next start of each node and at once on
//! the node that saved them; each change goes to the audit chain.

use gongkai_store::settings as store;

use crate::documents::Actor;
use crate::{App, Error, Result, Settings};

/// A setting the admin page edits: its key, its label, its bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Editable {
    /// Stored key.
    pub key: &'static str,
    /// Label on the page.
    pub label: &'static str,
    /// Smallest value.
    pub min: i64,
    /// Largest value.
    pub max: i64,
}

/// Every setting the admin page edits.
pub const EDITABLE: &[Editable] = &[
    Editable {
        key: "lockout_failures",
        label: "同一账号同一来源免等待的失败次数",
        min: 3,
        max: 20,
    },
    Editable {
        key: "lockout_minutes",
        label: "失败后最长等待（分钟）",
        min: 1,
        max: 1440,
    },
    Editable {
        key: "session_hours",
        label: "登录有效期（小时）",
        min: 1,
        max: 72,
    },
    Editable {
        key: "withheld_review_months",
        label: "不予公开信息复查间隔（月，条例第十八条）",
        min: 1,
        max: 36,
    },
    Editable {
        key: "repost_hours",
        label: "新发布信息推送各渠道的时限（小时）",
        min: 1,
        max: 168,
    },
    Editable {
        key: "reminder_first_days",
        label: "依申请公开：答复期限前第一次提醒（工作日）",
        min: 1,
        max: 20,
    },
    Editable {
        key: "reminder_last_days",
        label: "依申请公开：答复期限前最后一次提醒（工作日）",
        min: 0,
        max: 19,
    },
    Editable {
        key: "import_max_line_kb",
        label: "导入文件单行上限（KB）",
        min: 64,
        max: 262_144,
    },
    Editable {
        key: "max_body_kb",
        label: "导入信息正文上限（KB）",
        min: 64,
        max: 131_072,
    },
];

/// The value of an editable setting in `s`.
pub fn value(s: &Settings, key: &str) -> Option<i64> {
    Some(match key {
        "lockout_failures" => i64::from(s.lockout_failures),
        "lockout_minutes" => s.lockout_minutes,
        "session_hours" => s.session_hours,
        "withheld_review_months" => i64::from(s.withheld_review_months),
        "repost_hours" => i64::from(s.repost_hours),
        "reminder_first_days" => i64::from(s.reminder_first_days),
        "reminder_last_days" => i64::from(s.reminder_last_days),
        "import_max_line_kb" => i64::from(s.import_max_line_kb),
        "max_body_kb" => i64::from(s.max_body_kb),
        _ => return None,
    })
}

fn with(mut s: Settings, key: &str, v: i64) -> Settings {
    match key {
        "lockout_failures" => s.lockout_failures = u32::try_from(v).unwrap_or(s.lockout_failures),
        "lockout_minutes" => s.lockout_minutes = v,
        "session_hours" => s.session_hours = v,
        "withheld_review_months" => {
            s.withheld_review_months = u8::try_from(v).unwrap_or(s.withheld_review_months);
        }
        "repost_hours" => s.repost_hours = u32::try_from(v).unwrap_or(s.repost_hours),
        "reminder_first_days" => {
            s.reminder_first_days = u32::try_from(v).unwrap_or(s.reminder_first_days);
        }
        "reminder_last_days" => {
            s.reminder_last_days = u32::try_from(v).unwrap_or(s.reminder_last_days);
        }
        "import_max_line_kb" => {
            s.import_max_line_kb = u32::try_from(v).unwrap_or(s.import_max_line_kb);
        }
        "max_body_kb" => s.max_body_kb = u32::try_from(v).unwrap_or(s.max_body_kb),
        _ => {}
    }
    s
}

/// Applies the stored settings over the configuration's (at start).
pub async fn load(app: &App) -> Result<()> {
    let mut c = app.db().conn().await?;
    let mut s = app.settings();
    for e in EDITABLE {
        if let Some(v) = store::get(&mut c, e.key).await?
            && let Ok(v) = v.parse::<i64>()
            && (e.min..=e.max).contains(&v)
        {
            s = with(s, e.key, v);
        }
    }
    app.set_settings(s);
    Ok(())
}

/// Changes one setting (a platform administrator only), audited with its old and new value.
pub async fn change(app: &App, actor: Actor<'_>, key: &str, input: &str) -> Result<()> {
    if let Actor::Staff(s) = actor
        && !s.is_admin()
    {
        return Err(Error::Forbidden);
    }
    let e = EDITABLE
        .iter()
        .find(|e| e.key == key)
        .ok_or(Error::NotFound("设置项"))?;
    let v: i64 = input
        .trim()
        .parse()
        .ok()
        .filter(|v| (e.min..=e.max).contains(v))
        .ok_or_else(|| {
            Error::Invalid(format!(
                "{}：须为 {} 到 {} 之间的整数",
                e.label, e.min, e.max
            ))
        })?;
    let before = app.settings();
    let old = value(&before, key);
    let mut tx = app.db().begin().await?;
    store::set(&mut tx, key, &v.to_string()).await?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "setting.change",
        "setting",
        None,
        None,
        serde_json::json!({"key": key, "from": old, "to": v}),
    )
    .await?;
    tx.commit().await?;
    app.set_settings(with(before, key, v));
    Ok(())
}
