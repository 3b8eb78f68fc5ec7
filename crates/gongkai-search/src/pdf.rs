//! PDF text through poppler's `pdftotext` (Debian `poppler-utils` with `poppler-data`).
//!
//! No crate reads the Chinese PDFs offices meet as well: lopdf returns nothing for Type 3
//! fonts (Chromium's print-to-PDF) and embedded CMaps (fpdf2 with Noto CJK), which
//! `pdftotext` reads (DEPENDENCIES.md pitfall 7). The tool runs as a child process fed on
//! stdin, killed when it runs past [`TIMEOUT`] or writes more than [`MAX_OUTPUT`].
//!
//! `pdftotext` exits 0 on pages it could not read, so each page is judged on its own: a
//! page that draws something (text, an image, filled shapes) but yields no text is a
//! scan or outlined text, and a page whose text is mostly replacement, control or
//! private-use characters has a font that does not map to Unicode. Both are
//! [`UnreadPage`]s, reported beside the text of the other pages.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::extract::{ExtractError, Lines, MAX_PDF_PAGES};

/// The program that reads PDF text.
pub const PDFTOTEXT: &str = "pdftotext";
/// Where `poppler-data` puts the CMaps of Chinese fonts; without them `pdftotext`
/// reads nothing from PDFs that name a predefined CMap such as `UniGB-UCS2-H`.
pub const POPPLER_GB1_CMAPS: &str = "/usr/share/poppler/cMap/Adobe-GB1";
/// Longest a PDF may take to read.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// Most text one PDF may yield (64 MiB).
pub const MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// The most any stream of a PDF is inflated to in this process: a page without text whose
/// content is larger counts as drawing something.
pub const MAX_INFLATED: usize = 16 * 1024 * 1024;

/// A page whose text could not be read, so it was neither indexed nor scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnreadPage {
    /// 1-based page number.
    pub page: u32,
    /// Why.
    pub why: Unread,
}

/// Why a page's text could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// The page shows something but holds no text: a scanned image or text turned into
    /// outlines. Only OCR or a person can read it.
    NoText,
    /// The page's fonts do not map their glyphs to characters: the text came out as
    /// replacement, control or private-use characters.
    Garbled,
}

impl Unread {
    /// The reason, in Chinese, for staff.
    pub fn label(self) -> &'static str {
        match self {
            Unread::NoText => "页面没有文字层（扫描图像或文字已转为曲线）",
            Unread::Garbled => "字体无法解码为文字",
        }
    }
}

/// Whether this machine can read Chinese PDFs: `pdftotext` runs and the CMaps of
/// `poppler-data` are installed. The message says what to install.
pub fn check_support() -> Result<(), String> {
    let version = Command::new(PDFTOTEXT)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if version.is_err() {
        return Err(missing_tool());
    }
    if !Path::new(POPPLER_GB1_CMAPS).is_dir() {
        return Err(format!(
            "缺少 {POPPLER_GB1_CMAPS}：请安装 Debian 软件包 poppler-data（scripts/setup 会安装），否则使用预定义 CMap 的中文 PDF 读不出文字"
        ));
    }
    Ok(())
}

fn missing_tool() -> String {
    format!(
        "找不到 {PDFTOTEXT}：请安装 Debian 软件包 poppler-utils 和 poppler-data（scripts/setup 会安装），否则无法读取 PDF 文字"
    )
}

/// The text of a PDF, one line per text line, and the pages that could not be read.
pub(crate) fn text(bytes: &[u8]) -> Result<(String, Vec<UnreadPage>), ExtractError> {
    let output = run_pdftotext(bytes)?;
    let output = compatibility_ideographs(&output);
    // pdftotext ends every page with a form feed.
    let mut pages: Vec<&str> = output.split('\u{c}').collect();
    if pages.last().is_some_and(|last| last.trim().is_empty()) {
        pages.pop();
    }
    let mut lines = Lines::default();
    let mut empty = Vec::new();
    let mut unread = Vec::new();
    for (index, page_text) in pages.iter().enumerate() {
        let page = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if page_text.trim().is_empty() {
            empty.push(page);
            continue;
        }
        if garbled(page_text) {
            unread.push(UnreadPage {
                page,
                why: Unread::Garbled,
            });
            continue;
        }
        for line in page_text.lines() {
            lines.line.push_str(line);
            lines.end_line();
        }
    }
    if !empty.is_empty() {
        let drawn = pages_that_draw(bytes, &empty);
        unread.extend(
            empty
                .iter()
                .zip(drawn)
                .filter(|(_, draws)| *draws)
                .map(|(&page, _)| UnreadPage {
                    page,
                    why: Unread::NoText,
                }),
        );
        unread.sort_by_key(|u| u.page);
    }
    Ok((lines.finish(), unread))
}

fn run_pdftotext(bytes: &[u8]) -> Result<String, ExtractError> {
    let pages = MAX_PDF_PAGES.to_string();
    let out = run_poppler(
        PDFTOTEXT,
        &["-enc", "UTF-8", "-l", &pages, "-", "-"],
        bytes,
        MAX_OUTPUT,
    )?;
    String::from_utf8(out).map_err(|_| ExtractError::Pdf {
        reason: format!("{PDFTOTEXT} 的输出不是 UTF-8"),
    })
}

/// Runs a poppler tool on a PDF fed on stdin and returns what it writes to stdout, at most
/// `max_output` bytes, within [`TIMEOUT`].
pub(crate) fn run_poppler(
    program: &str,
    args: &[&str],
    bytes: &[u8],
    max_output: usize,
) -> Result<Vec<u8>, ExtractError> {
    let pdf = |reason: String| ExtractError::Pdf { reason };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => pdf(missing_tool()),
            _ => pdf(format!("无法启动 {program}（{e}）")),
        })?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        return Err(pdf(format!("无法连接 {program}")));
    };
    let (status, out, err) = std::thread::scope(|scope| {
        // The tool may stop reading early (a broken file): a failed write is not an error.
        scope.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        let out = scope.spawn(move || {
            let mut out = Vec::new();
            let read = stdout.take(max_output as u64 + 1).read_to_end(&mut out);
            read.map(|_| out)
        });
        let err = scope.spawn(move || {
            let mut err = Vec::new();
            let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err);
            err
        });
        let status = child.wait_timeout(TIMEOUT);
        let finished = matches!(status, Ok(Some(_)));
        if !finished {
            let _ = child.kill();
            let _ = child.wait();
        }
        let out = out.join().unwrap_or_else(|_| Ok(Vec::new()));
        let err = err.join().unwrap_or_default();
        match status {
            Ok(Some(status)) => Ok((status, out, err)),
            Ok(None) => Err(pdf(format!(
                "读取超过 {} 秒，已停止，请人工核查",
                TIMEOUT.as_secs()
            ))),
            Err(e) => Err(pdf(format!("等待 {program} 失败（{e}）"))),
        }
    })?;
    let out = out.map_err(|e| pdf(format!("读取 {program} 输出失败（{e}）")))?;
    if out.len() > max_output {
        return Err(pdf(format!(
            "输出超过 {} MB，已停止，请人工核查",
            max_output / 1024 / 1024
        )));
    }
    if !status.success() {
        return Err(pdf(poppler_reason(&String::from_utf8_lossy(&err))));
    }
    Ok(out)
}

/// A Chinese reason for a failed `pdftotext`, from its error output.
fn poppler_reason(stderr: &str) -> String {
    let first = stderr
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    if stderr.contains("Incorrect password") || stderr.contains("encrypted") {
        "文件已加密，无法读取文字".to_owned()
    } else if first.is_empty() {
        "文件结构已损坏或不是有效的 PDF".to_owned()
    } else {
        format!("文件结构已损坏或不是有效的 PDF（{first}）")
    }
}

/// Kangxi radicals and compatibility ideographs as the unified ideographs they stand for:
/// some fonts map 政 to the radical ⽀'s neighbours, which no reader would type.
pub(crate) fn compatibility_ideographs(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let odd = |c: char| matches!(c, '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}');
    if !text.chars().any(odd) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if odd(c) {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
    out
}

/// More than one in ten visible characters is one a Chinese document does not use: a
/// replacement, control or private-use character, or one of another script. A font
/// without a Unicode map gives its glyph numbers as characters, which land all over
/// the code space (Hangul, CJK extension A, Tifinagh…); real text keeps to the blocks
/// below, with at most a rare character outside them.
fn garbled(page: &str) -> bool {
    let mut visible = 0usize;
    let mut odd = 0usize;
    for c in page.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if !usual_in_chinese_text(c) {
            odd += 1;
        }
    }
    odd >= 2 && odd * 10 > visible
}

fn usual_in_chinese_text(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}'          // ASCII
        | '\u{A0}'..='\u{24F}'       // Latin-1 and Latin extended (é, ü, ×, ÷)
        | '\u{370}'..='\u{3FF}'      // Greek (formulas)
        | '\u{2000}'..='\u{23FF}'    // punctuation, super/subscripts, ℃ №, Ⅰ Ⅱ, arrows, math
        | '\u{2460}'..='\u{27BF}'    // ① ⑴ ⒈, box drawing, ■ ● ◆, ★, ✓ ❶
        | '\u{3000}'..='\u{30FF}'    // CJK punctuation 、。〔〕《》, kana (・)
        | '\u{3200}'..='\u{33FF}'    // ㈠ ㈡, ㎡ ㎏
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{FE30}'..='\u{FE4F}'    // CJK compatibility forms
        | '\u{FF01}'..='\u{FFEF}'    // full-width forms
    )
}

/// For each page asked about, whether its content shows anything: text, an image or a
/// form, a shading or a filled shape. A page lopdf cannot read counts as showing
/// something, so that it is reported rather than passed as blank. The one place a PDF is
/// parsed in this process (lopdf); public for the fuzz target.
///
/// lopdf's conveniences trust the file: `get_pages` reserves room for the page count an inner
/// node of the page tree declares (a 2.7 KB file declaring 666,666,666,666,663 pages aborted
/// the process; found by fuzzing) and `get_and_decode_page_content` inflates without limit.
/// So pages are walked one by one, and every stream is inflated under [`MAX_INFLATED`].
pub fn pages_that_draw(bytes: &[u8], asked: &[u32]) -> Vec<bool> {
    let judged = std::panic::catch_unwind(|| {
        let options = lopdf::LoadOptions {
            max_decompressed_size: Some(MAX_INFLATED),
            ..lopdf::LoadOptions::default()
        };
        let document = lopdf::Document::load_mem_with_options(bytes, options).ok()?;
        let last = asked.iter().copied().max().unwrap_or(0);
        let mut pages = std::collections::HashMap::new();
        for (n, id) in (1..=last).zip(document.page_iter()) {
            pages.insert(n, id);
        }
        Some(
            asked
                .iter()
                .map(|page| {
                    let Some(&id) = pages.get(page) else {
                        return true;
                    };
                    let content = document
                        .get_page_content_with_limit(id, MAX_INFLATED)
                        .and_then(|data| lopdf::content::Content::decode(&data));
                    match content {
                        Ok(content) => content.operations.iter().any(|op| {
                            matches!(
                                op.operator.as_str(),
                                "Tj" | "TJ"
                                    | "'"
                                    | "\""
                                    | "Do"
                                    | "BI"
                                    | "sh"
                                    | "f"
                                    | "F"
                                    | "f*"
                                    | "B"
                                    | "B*"
                                    | "b"
                                    | "b*"
                            )
                        }),
                        Err(_) => true,
                    }
                })
                .collect(),
        )
    });
    match judged {
        Ok(Some(drawn)) => drawn,
        _ => vec![true; asked.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_text_is_mostly_unmapped_characters() {
        assert!(!garbled("关于做好政务公开工作的通知"));
        assert!(!garbled("   \n\t"));
        assert!(!garbled(
            "一、（一）①㈠ 2026年3月1日 面积120㎡，温度37℃，比例5‰ ★ ■ Ⅳ α×β÷γ “引号”—— ・ ＡＢＣ１２３"
        ));
        assert!(garbled("\u{1}\u{2}\u{3}\u{4}"));
        assert!(garbled("\u{FFFD}\u{FFFD}公开"));
        assert!(garbled("\u{E001}\u{E002}\u{E003}政务公开工作"));
        // Glyph numbers read as characters (pdftotext on a font without ToUnicode).
        assert!(garbled("焰䃸䄫령哥⵱☔妨䷓䈡ⱴ⪜㲜⪨◇⢢㞐䇗䷓ⱷ⪜䋯䄄⛼氳鵟湳"));
        // One rare character or stray mark in a page of text is not a broken font.
        assert!(!garbled(&format!("{}\u{FFFD}", "政务公开".repeat(10))));
        assert!(!garbled(&format!(
            "申请人王㛃、李𠀾{}",
            "政务公开".repeat(10)
        )));
    }

    #[test]
    fn kangxi_radicals_read_as_ideographs() {
        // U+2F8F KANGXI RADICAL MOVE is what some fonts give for 行.
        assert_eq!(compatibility_ideographs("\u{2F8F}政"), "行政");
        assert_eq!(compatibility_ideographs("１２３，公开"), "１２３，公开");
    }

    #[test]
    fn poppler_errors_read_in_chinese() {
        assert_eq!(
            poppler_reason("Syntax Error: Couldn't find trailer dictionary\n"),
            "文件结构已损坏或不是有效的 PDF（Syntax Error: Couldn't find trailer dictionary）"
        );
        assert_eq!(
            poppler_reason("Command Line Error: Incorrect password\n"),
            "文件已加密，无法读取文字"
        );
        assert_eq!(poppler_reason(""), "文件结构已损坏或不是有效的 PDF");
    }
}
