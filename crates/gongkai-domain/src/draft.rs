//! What a clerk's uploaded document proposes for its record (GB/T 9704-2012 公文格式): the
//! 发文机关标志 (`…文件`) and 发文字号 of the 版头, the 标题 (`关于…的通知`), and the
//! 发文机关署名 and 成文日期 at the end. Proposals only: the clerk confirms each.

use time::Date;

/// The fields proposed from a document's lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    /// 标题.
    pub title: Option<String>,
    /// 发文字号, canonical.
    pub doc_number: Option<String>,
    /// 成文日期.
    pub written_date: Option<Date>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// How many leading lines are the 版头 and title, which the body leaves out.
    pub head_lines: usize,
}

/// The 公文种类 words a title ends with.
const TITLE_ENDINGS: &[&str] = &[
    "通知", "意见", "决定", "办法", "方案", "公告", "通告", "报告", "批复", "函", "规定", "细则",
    "规划", "要点", "决议", "命令", "公报", "通报", "请示", "纪要", "计划", "条例", "规则", "指南",
    "制度", "目录", "清单", "年报", "措施",
];

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | 'O' | '○' | 'Ｏ' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        d => d.to_digit(10).or_else(|| {
            // Full-width digits.
            let v = u32::from(d);
            (0xFF10..=0xFF19).contains(&v).then(|| v - 0xFF10)
        })?,
    })
}

/// A number written in digits (`12`, `１２`) or in Chinese numerals up to 99 (`十二`, `二十`,
/// `三十一`), or a year digit by digit (`二〇二六`).
fn number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some((tens, ones)) = s.split_once('十') {
        let t = if tens.is_empty() { 1 } else { number(tens)? };
        let o = if ones.is_empty() { 0 } else { number(ones)? };
        return (t < 10 && o < 10).then_some(t * 10 + o);
    }
    s.chars().try_fold(0u32, |acc, c| {
        acc.checked_mul(10)?.checked_add(chinese_digit(c)?)
    })
}

/// A date line such as `2026年12月1日` or `二〇二六年十二月一日`.
pub fn parse_cn_date(line: &str) -> Option<Date> {
    let line = line.trim().trim_end_matches(['。', '.']);
    let (y, rest) = line.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))?;
    let year = i32::try_from(number(y)?).ok()?;
    let month = time::Month::try_from(u8::try_from(number(m)?).ok()?).ok()?;
    let day = u8::try_from(number(d)?).ok()?;
    if !(1949..=2200).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, month, day).ok()
}

fn looks_like_title(line: &str) -> bool {
    let n = line.chars().count();
    (6..=120).contains(&n)
        && TITLE_ENDINGS.iter().any(|e| line.ends_with(e))
        && !line.ends_with('。')
}

/// A line without the spaces PDF generators put between Chinese and Latin text or digits
/// (`关于做好 2026 年`, `〔2026〕12 号`); spaces between two Latin words stay.
pub fn compact_spaces(line: &str) -> String {
    let wide = |c: char| matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}');
    let chars: Vec<char> = line.trim().chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_whitespace())
                .unwrap_or(chars.len());
            let before = out.chars().last();
            let after = chars.get(end).copied();
            if !(before.is_some_and(wide) || after.is_some_and(wide)) {
                out.push(' ');
            }
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Proposes the record's fields from the document's lines.
pub fn propose(lines: &[String]) -> Proposal {
    let lines: Vec<String> = lines.iter().map(|l| compact_spaces(l)).collect();
    let lines = lines.as_slice();
    let mut p = Proposal::default();
    let head = lines.len().min(12);
    let mut last_head = 0;
    for (i, line) in lines.iter().take(head).enumerate() {
        let line = line.trim();
        if p.doc_number.is_none()
            && line.chars().count() <= 40
            && let Ok(n) = crate::docno::normalize(line)
        {
            p.doc_number = Some(n.to_string());
            last_head = i + 1;
            continue;
        }
        if p.issuer.is_none() && line.ends_with("文件") && line.chars().count() <= 40 {
            let name = line.trim_end_matches("文件").trim();
            if !name.is_empty() {
                p.issuer = Some(name.to_owned());
                last_head = i + 1;
            }
            continue;
        }
        if p.title.is_none() && looks_like_title(line) {
            // A title may run over two lines; the first ends without a 公文种类 word.
            let joined = match i.checked_sub(1).and_then(|j| lines.get(j)) {
                Some(prev)
                    if prev.trim().contains("关于")
                        && !looks_like_title(prev.trim())
                        && crate::docno::normalize(prev.trim()).is_err() =>
                {
                    format!("{}{line}", prev.trim())
                }
                _ => line.to_owned(),
            };
            p.title = Some(joined);
            last_head = i + 1;
            // A letter may carry its 发文字号 on the line under the title.
            if p.doc_number.is_none()
                && let Some(next) = lines.get(i + 1)
                && next.chars().count() <= 40
                && let Ok(n) = crate::docno::normalize(next)
            {
                p.doc_number = Some(n.to_string());
                last_head = i + 2;
            }
            break;
        }
    }
    if p.title.is_none() {
        p.title = lines
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty() && crate::docno::normalize(l).is_err())
            .map(|l| l.chars().take(200).collect());
    }
    p.head_lines = last_head;
    // The 成文日期 is the last date line; the 署名 the line just before it.
    if let Some((i, date)) = lines
        .iter()
        .enumerate()
        .rev()
        .take(15)
        .find_map(|(i, l)| parse_cn_date(l).map(|d| (i, d)))
    {
        p.written_date = Some(date);
        if p.issuer.is_none()
            && let Some(prev) = i.checked_sub(1).and_then(|j| lines.get(j))
        {
            let prev = prev.trim();
            let n = prev.chars().count();
            if (2..=40).contains(&n) && !prev.ends_with('。') && !prev.ends_with('：') {
                p.issuer = Some(prev.to_owned());
            }
        }
    }
    p
}

/// The paragraphs of text read from a PDF, whose lines break where the page ran out: a line
/// nearly as wide as the widest, not ending a sentence or clause, runs on into the next one
/// unless that starts a numbered item (一、 （一） 1. 第一条). Headings and short lines stay.
pub fn join_wrapped_lines(lines: &[String]) -> Vec<String> {
    let width = |l: &str| -> usize { l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let widest = lines.iter().map(|l| width(l)).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if open && !starts_item(line) => last.push_str(line),
            _ => out.push(line.to_owned()),
        }
        let ends = line.ends_with([
            '。', '！', '？', '；', '：', '”', '」', '』', '）', ')', '.', ':', ';',
        ]);
        open = !ends && widest >= 20 && width(line) * 100 >= widest * 85;
    }
    out
}

/// Whether a line begins a numbered item or article.
fn starts_item(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    (numeral(first) && (second == '、' || numeral(second)))
        || first == '（'
        || first == '('
        || (first.is_ascii_digit() && matches!(second, '.' | '、' | '．'))
        || (first == '第' && line.contains('条'))
        || matches!(first, '①'..='⑳' | '•' | '·' | '-')
}
