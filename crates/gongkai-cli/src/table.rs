//! Boxes and tables for the terminal. Chinese characters take two columns, so widths are
//! measured with `unicode-width`, not in chars.

use unicode_width::UnicodeWidthStr;

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn pad(s: &str, to: usize) -> String {
    format!("{s}{}", " ".repeat(to.saturating_sub(width(s))))
}

/// Lines in a rounded box.
pub fn boxed(lines: &[String]) -> String {
    let inner = lines.iter().map(|l| width(l)).max().unwrap_or(0);
    let mut out = format!("╭{}╮\n", "─".repeat(inner + 2));
    for l in lines {
        out.push_str(&format!("│ {} │\n", pad(l, inner)));
    }
    out.push_str(&format!("╰{}╯\n", "─".repeat(inner + 2)));
    out
}

/// Two columns, the first padded: `label  value`.
pub fn pairs(rows: &[(&str, String)]) -> Vec<String> {
    let left = rows.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    rows.iter()
        .map(|(l, v)| format!("{}  {v}", pad(l, left)))
        .collect()
}

/// A table with a header row.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
    let rule = |left: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(mid))
    };
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| format!(" {} ", pad(cells.get(i).copied().unwrap_or(""), *w)))
            .collect();
        format!("│{}│\n", parts.join("│"))
    };
    let mut out = rule("┌", "┬", "┐");
    out.push_str(&line(headers.to_vec()));
    out.push_str(&rule("├", "┼", "┤"));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out.push_str(&rule("└", "┴", "┘"));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn assert_aligned(text: &str) {
        let widths: Vec<usize> = text.lines().map(width).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn boxes_align_chinese_and_latin_text() {
        let text = boxed(&pairs(&[
            ("门户首页", "http://127.0.0.1:8080/".to_owned()),
            ("机构", "12 个".to_owned()),
        ]));
        assert_aligned(&text);
        assert!(text.contains("│ 机构      12 个"), "{text}");
    }

    #[test]
    fn tables_align_chinese_and_latin_text() {
        let text = table(
            &["用户名", "密码", "角色", "机构"],
            &[
                vec![
                    "admin".into(),
                    "demo-admin-1".into(),
                    "平台管理员".into(),
                    "福州市人民政府".into(),
                ],
                vec![
                    "gl-clerk".into(),
                    "x".into(),
                    "经办人".into(),
                    "鼓楼区".into(),
                ],
            ],
        );
        assert_aligned(&text);
        assert_eq!(text.lines().count(), 6);
    }
}
