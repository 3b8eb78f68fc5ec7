//! 信息处理费 (information processing fee): how much a request costs, by count or by volume.
//!
//! 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, DOMAIN.md A7 and B §2). Art. 3:
//! "信息处理费可以按件计收，也可以按量计收，均按照超额累进方式计算收费金额。" Each tier's price
//! applies only to the part inside that tier (超额累进, marginal).
//!
//! Art. 4, 按件计收 (per request, one applicant, one calendar month, cumulative):
//! - "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费。"
//! - "…累计申请11—30件（含30件）的部分：100元/件。"
//! - "…累计申请31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件。"
//!
//! Art. 5, 按量计收 (per page of one request):
//! - "30页以下（含30页）的，不收费"
//! - "31—100页（含100页）的部分：10元/页"
//! - "101—200页（含200页）的部分：20元/页"
//! - "201页以上的部分：40元/页"
//!
//! Amounts are whole yuan. Which standard applies to a request, and how electronic data is
//! counted in pages, are the agency's choice (Art. 3; DOMAIN.md B §2 marks the page conversion
//! unverified) and are decided by the caller.

use crate::error::vocabulary;

vocabulary! {
    /// How an agency charges (Art. 3: 按件 or 按量, its choice).
    pub enum FeeRule: "计费方式" {
        /// 按件计收 (Art. 4): by the number of requests of one applicant in a calendar month.
        ByCount = ("by_count", "按件计收"),
        /// 按量计收 (Art. 5): by the pages of the one request.
        ByVolume = ("by_volume", "按量计收"),
    }
}

/// A fee worked out for one request: the amount and the sentence a fee notice quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Whole yuan.
    pub amount: u64,
    /// e.g. `按件计收：同一申请人本自然月第12件申请，100元/件`.
    pub explanation: String,
}

/// The fee of the `nth` request of one applicant in a calendar month (按件), or of a request of
/// `n` pages (按量), with its explanation. A request that costs nothing is `amount` 0.
pub fn quote(rule: FeeRule, n: u32) -> Result<Quote, FeeError> {
    Ok(match rule {
        FeeRule::ByCount => {
            let amount = fee_by_count(n)?;
            Quote {
                amount,
                explanation: format!(
                    "按件计收：同一申请人本自然月第{n}件申请，{}",
                    if amount == 0 {
                        "10件以内不收费".to_owned()
                    } else {
                        format!("{amount}元/件")
                    }
                ),
            }
        }
        FeeRule::ByVolume => {
            let amount = fee_by_volume(n);
            Quote {
                amount,
                explanation: format!(
                    "按量计收：共{n}页，30页以内不收费，31—100页10元/页，101—200页20元/页，201页以上40元/页，合计{amount}元"
                ),
            }
        }
    })
}

/// The first and last day of the calendar month of `day` (Art. 4 counts "一个自然月内").
pub fn month_of(day: time::Date) -> (time::Date, time::Date) {
    let first = day.replace_day(1).unwrap_or(day);
    let last = first
        .replace_day(day.month().length(day.year()))
        .unwrap_or(day);
    (first, last)
}

/// Which request of its applicant `id` is among the requests one agency received in a month
/// (Art. 4, 1-based), given them in the order received with each applicant's identity (the ID
/// document number, else the name; see [`applicant_key`]). `None` when `id` is not there or
/// has no identity.
pub fn nth_of_month(month: &[(i64, Option<String>)], id: i64) -> Option<u32> {
    let me = month.iter().find(|r| r.0 == id)?.1.as_deref()?;
    let mut n = 0;
    for (other, who) in month {
        if who.as_deref() == Some(me) {
            n += 1;
        }
        if *other == id {
            return Some(n);
        }
    }
    None
}

/// Who an applicant is for counting (Art. 4 "同一申请人"): the ID document number in upper
/// case, or the name when there is no number.
pub fn applicant_key(id_number: Option<&str>, name: Option<&str>) -> Option<String> {
    let clean = |s: Option<&str>| s.map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    clean(id_number).or_else(|| clean(name))
}

/// Requests per applicant and calendar month that cost nothing (Art. 4).
pub const FREE_REQUESTS: u32 = 10;
/// Pages per request that cost nothing (Art. 5).
pub const FREE_PAGES: u32 = 30;
/// The smallest count whose total exceeds `u64::MAX` yuan; [`total_by_count`] saturates from here.
pub const SATURATING_COUNT: u32 = 1_920_767_782;

/// Why a fee cannot be computed. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// Requests are counted from 1: there is no 0th request.
    #[error("申请件次须从 1 开始计数")]
    ZerothRequest,
}

/// The fee in yuan for the `nth` request (1-based) of one applicant in one calendar month
/// (按件计收, Art. 4): 1–10 free, 11–30 100 元, 31–40 200 元, 41–50 300 元, and 100 元 more for
/// each further block of 10.
pub fn fee_by_count(nth: u32) -> Result<u64, FeeError> {
    Ok(match nth {
        0 => return Err(FeeError::ZerothRequest),
        1..=10 => 0,
        11..=30 => 100,
        // Block 0 (31–40) costs 200 元; each later block 100 元 more.
        _ => 100 * (2 + u64::from((nth - 31) / 10)),
    })
}

/// The total fee in yuan for `requests` requests of one applicant in one calendar month: the sum
/// of [`fee_by_count`] over 1..=`requests`.
///
/// Saturates at `u64::MAX`, first reached at 1 920 767 782 requests.
pub fn total_by_count(requests: u32) -> u64 {
    let n = u128::from(requests);
    let mut total = 100 * (n.min(30).saturating_sub(10));
    if n > 30 {
        // Requests beyond 30: `full` complete blocks of 10 and `rest` in the next block. Block k
        // (0-based) costs 10 × 100 × (2 + k); summed over k < full that is
        // 1000 × (2·full + full·(full − 1)/2).
        let beyond = n - 30;
        let (full, rest) = (beyond / 10, beyond % 10);
        total += 1000 * (2 * full + full * full.saturating_sub(1) / 2);
        total += rest * 100 * (2 + full);
    }
    u64::try_from(total).unwrap_or(u64::MAX)
}

/// The fee in yuan for one request of `pages` pages (按量计收, Art. 5), marginal: pages 1–30
/// free, 31–100 at 10 元, 101–200 at 20 元, from 201 on at 40 元. 250 pages cost
/// 70×10 + 100×20 + 50×40 = 4700 元.
pub fn fee_by_volume(pages: u32) -> u64 {
    let p = u64::from(pages);
    let tier = |from: u64, to: u64| p.min(to).saturating_sub(from);
    // Each term is at most 40 × u32::MAX, far below u64::MAX.
    10 * tier(30, 100) + 20 * tier(100, 200) + 40 * tier(200, u64::MAX)
}
