//! Document bodies: sanitized HTML for pages, plain text for search and the scan.

use std::collections::HashSet;

/// Sanitizes rich text: only structural and inline formatting tags survive; scripts,
/// styles, event handlers and `javascript:` links are removed, and so is the address of an
/// image on another site (reading the page must not tell that site who reads it).
pub fn sanitize_html(html: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sub",
        "sup",
        "blockquote",
        "a",
        "span",
        "div",
        "img",
        "hr",
        "pre",
        "code",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !is_own(value) {
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

/// Whether an address points into this site: a relative address, not `//host/…` (browsers
/// read `\` as `/`) nor `scheme:…`.
fn is_own(url: &str) -> bool {
    let url = url.trim();
    let head: String = url
        .chars()
        .take(2)
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if head.starts_with("//") || url.starts_with('\\') {
        return false;
    }
    let before_path = url.split(['/', '?', '#']).next().unwrap_or("");
    !before_path.contains(':')
}

/// Removes control characters other than tab and line breaks (PostgreSQL refuses NUL in
/// text; none of them belongs in a published page).
pub fn strip_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Turns plain text (one paragraph per line) into HTML paragraphs, escaped.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for p in gongkai_domain::text::text_to_paragraphs(text) {
        out.push_str("<p>");
        escape_into(p, &mut out);
        out.push_str("</p>\n");
    }
    out
}

/// A table as HTML, the first row as its header, every cell escaped.
pub fn table_to_html(rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n");
    for (i, row) in rows.iter().enumerate() {
        let tag = if i == 0 { "th" } else { "td" };
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<{tag}>"));
            escape_into(cell, &mut out);
            out.push_str(&format!("</{tag}>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

pub(crate) fn escape_into(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The text of (sanitized) HTML: tags dropped, block ends become line breaks, entities
/// decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '&']) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('<') {
            // An unclosed `<` is text, not a tag.
            let Some(gt) = rest.find('>') else {
                out.push_str(rest);
                rest = "";
                break;
            };
            let end = gt + 1;
            let tag = rest[1..gt].trim_start_matches('/').to_ascii_lowercase();
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if matches!(
                name.as_str(),
                "p" | "br"
                    | "div"
                    | "li"
                    | "tr"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "table"
                    | "blockquote"
                    | "pre"
            ) && !out.ends_with('\n')
                && !out.is_empty()
            {
                out.push('\n');
            }
            rest = &rest[end..];
        } else {
            let end = rest.find(';').filter(|&i| i <= 10);
            match end.and_then(|i| decode_entity(&rest[1..i]).map(|c| (i, c))) {
                Some((i, c)) => {
                    out.push(c);
                    rest = &rest[i + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_from_other_sites_lose_their_address() {
        for remote in [
            "http://tracker.example/p.gif",
            "https://x.example/a.png",
            "//x.example/a.png",
            "/\\x.example/a.png",
            "\\\\x.example/a.png",
            " HTTP://x.example/a.png",
            "data:image/png;base64,AAAA",
        ] {
            let html = format!(r#"<p><img src="{remote}" alt="图"></p>"#);
            let clean = sanitize_html(&html);
            assert!(!clean.contains("src"), "{remote}: {clean}");
            assert!(clean.contains(r#"alt="图""#), "{clean}");
        }
        for own in ["/doc/1/files/2", "files/a.png", "a.png?x=1:2"] {
            let clean = sanitize_html(&format!(r#"<img src="{own}">"#));
            assert!(clean.contains("src="), "{own}: {clean}");
        }
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(clean.contains("正文"));
    }

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_to_html("一、总体要求\n\n  a<b & c  \n"),
            "<p>一、总体要求</p>\n<p>a&lt;b &amp; c</p>\n"
        );
    }

    #[test]
    fn html_gives_back_its_text() {
        assert_eq!(
            html_to_text("<p>第一段</p><p>a &lt; b &amp; c&#x4E00;</p>"),
            "第一段\na < b & c一"
        );
        assert_eq!(html_to_text("x & y"), "x & y");
        assert_eq!(
            html_to_text("a <中文"),
            "a <中文",
            "an unclosed tag is text, sliced on char boundaries"
        );
        assert_eq!(html_to_text("&#xFFFFFFFF; &中;"), "&#xFFFFFFFF; &中;");
    }
}
