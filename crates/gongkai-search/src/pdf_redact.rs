//! Redaction of a PDF by flattening: every page becomes an image with black boxes painted
//! over the values, and the new PDF holds no text layer at all.
//!
//! Drawing a box over text leaves the text under it, and peers have leaked ID numbers
//! through PDFs "redacted" that way. Here the words and their boxes come from
//! `pdftotext -bbox`, the pages are rendered by `pdftoppm`, the boxes are painted into the
//! pixels, and the pages are written again as images only. A value is found across the words
//! of a page (a number broken over two lines is two words); its place inside a word is
//! estimated from the characters' widths (CJK full, others about half) and widened by half
//! a character on each side, so a box errs towards covering more.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use crate::extract::{ExtractError, MAX_PDF_PAGES};
use crate::pdf::{PDFTOTEXT, compatibility_ideographs, run_poppler};

/// The program that renders PDF pages.
pub const PDFTOPPM: &str = "pdftoppm";
/// Resolution of the page images: sharp enough to print and read small type.
pub const DPI: u32 = 150;
/// Largest page image accepted from `pdftoppm` (an A0 page at 150 dpi is about 100 MB).
const MAX_PAGE_BYTES: usize = 160 * 1024 * 1024;

/// A redacted PDF.
#[derive(Debug)]
pub struct RedactedPdf {
    /// The new file: one image per page, no text.
    pub bytes: Vec<u8>,
    /// Boxes painted.
    pub boxes: usize,
    /// Values asked for that were found on no page (nothing was painted for them).
    pub not_found: Vec<String>,
}

/// Paints over every occurrence of `values` and returns the flattened PDF.
pub fn redact(bytes: &[u8], values: &[String]) -> Result<RedactedPdf, ExtractError> {
    let pages_arg = MAX_PDF_PAGES.to_string();
    let layout = run_poppler(
        PDFTOTEXT,
        &["-bbox", "-enc", "UTF-8", "-l", &pages_arg, "-", "-"],
        bytes,
        crate::pdf::MAX_OUTPUT,
    )?;
    let layout = String::from_utf8_lossy(&layout);
    let pages = parse_bbox(&layout);
    if pages.is_empty() {
        return Err(ExtractError::Pdf {
            reason: "没有读到任何页面".to_owned(),
        });
    }
    let mut found = vec![false; values.len()];
    let mut boxes = 0;
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter().enumerate() {
        let rects = page.boxes_for(values, &mut found);
        boxes += rects.len();
        let number = (index + 1).to_string();
        let dpi = DPI.to_string();
        let ppm = run_poppler(
            PDFTOPPM,
            &["-r", &dpi, "-f", &number, "-l", &number, "-"],
            bytes,
            MAX_PAGE_BYTES,
        )?;
        let mut image = Pixmap::parse(&ppm).ok_or_else(|| ExtractError::Pdf {
            reason: format!("第 {number} 页无法转为图像"),
        })?;
        let scale_x = f64::from(image.width) / page.width;
        let scale_y = f64::from(image.height) / page.height;
        for r in &rects {
            image.fill(
                r.x0 * scale_x,
                r.y0 * scale_y,
                r.x1 * scale_x,
                r.y1 * scale_y,
            );
        }
        kids.push(add_page(&mut doc, pages_id, page, &image)?.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| ExtractError::Pdf {
        reason: format!("无法写出脱敏后的 PDF（{e}）"),
    })?;
    let not_found = values
        .iter()
        .zip(&found)
        .filter(|(_, f)| !**f)
        .map(|(v, _)| v.clone())
        .collect();
    Ok(RedactedPdf {
        bytes: out,
        boxes,
        not_found,
    })
}

/// A page with its image drawn over the whole of it.
fn add_page(
    doc: &mut Document,
    parent: lopdf::ObjectId,
    page: &Page,
    image: &Pixmap,
) -> Result<lopdf::ObjectId, ExtractError> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&image.rgb)
        .and_then(|()| z.flush())
        .map_err(|e| ExtractError::Pdf {
            reason: format!("页面图像压缩失败（{e}）"),
        })?;
    let compressed = z.finish().map_err(|e| ExtractError::Pdf {
        reason: format!("页面图像压缩失败（{e}）"),
    })?;
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(image.width),
            "Height" => i64::from(image.height),
            "ColorSpace" => "DeviceRGB",
            "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        },
        compressed,
    ));
    let (w, h) = (page.width as f32, page.height as f32);
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![w.into(), 0.into(), 0.into(), h.into(), 0.into(), 0.into()],
            ),
            Operation::new("Do", vec!["Im0".into()]),
            Operation::new("Q", vec![]),
        ],
    };
    let encoded = content.encode().map_err(|e| ExtractError::Pdf {
        reason: format!("无法写出页面（{e}）"),
    })?;
    let content_id = doc.add_object(Stream::new(dictionary! {}, encoded));
    Ok(doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => parent,
        "MediaBox" => vec![0.into(), 0.into(), w.into(), h.into()],
        "Contents" => content_id,
        "Resources" => dictionary! {
            "XObject" => dictionary! { "Im0" => image_id },
        },
    }))
}

/// A page of `pdftotext -bbox`: its size in points and its words in reading order.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) words: Vec<Word>,
}

/// A word with its box in points from the page's top left corner.
#[derive(Debug, PartialEq)]
pub(crate) struct Word {
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
    pub(crate) text: Vec<char>,
}

/// A box to paint, in points from the top left corner.
#[derive(Debug, PartialEq)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Page {
    /// The boxes covering every occurrence of the values on this page; marks the values
    /// found.
    fn boxes_for(&self, values: &[String], found: &mut [bool]) -> Vec<Rect> {
        // The page's text with the word and position of each character.
        let mut text: Vec<char> = Vec::new();
        let mut at: Vec<(usize, usize)> = Vec::new();
        for (w, word) in self.words.iter().enumerate() {
            for (i, c) in word.text.iter().enumerate() {
                text.push(*c);
                at.push((w, i));
            }
        }
        let mut rects = Vec::new();
        for (v, value) in values.iter().enumerate() {
            let needle: Vec<char> = value.chars().filter(|c| !c.is_whitespace()).collect();
            if needle.is_empty() || needle.len() > text.len() {
                continue;
            }
            let mut start = 0;
            while start + needle.len() <= text.len() {
                if text[start..start + needle.len()] != needle[..] {
                    start += 1;
                    continue;
                }
                found[v] = true;
                // One box per word the occurrence touches.
                let mut i = start;
                let end = start + needle.len();
                while i < end {
                    let (w, first) = at[i];
                    let mut last = first;
                    while i + 1 < end && at[i + 1].0 == w {
                        i += 1;
                        last = at[i].1;
                    }
                    rects.push(self.words[w].span(first, last));
                    i += 1;
                }
                start = end;
            }
        }
        rects
    }
}

impl Word {
    /// The box of characters `first..=last`, widened by half a character each side.
    fn span(&self, first: usize, last: usize) -> Rect {
        let weights: Vec<f64> = self.text.iter().map(|c| width_of(*c)).collect();
        let total: f64 = weights.iter().sum::<f64>().max(f64::EPSILON);
        let unit = (self.x1 - self.x0) / total;
        let before: f64 = weights[..first].iter().sum();
        let through: f64 = weights[..=last].iter().sum();
        let pad = unit * 0.5;
        Rect {
            x0: (self.x0 + before * unit - pad).max(self.x0 - pad),
            y0: self.y0 - 1.0,
            x1: (self.x0 + through * unit + pad).min(self.x1 + pad),
            y1: self.y1 + 1.0,
        }
    }
}

/// A character's width in ems, as most fonts set it: ideographs and full-width forms
/// full, the rest about half.
fn width_of(c: char) -> f64 {
    if matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{20000}'..='\u{3FFFF}')
    {
        1.0
    } else {
        0.55
    }
}

/// The pages of `pdftotext -bbox` XHTML (a fixed shape: one `<page>` element per page,
/// one `<word>` element per line).
pub(crate) fn parse_bbox(xhtml: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut current: Option<Page> = None;
    for line in xhtml.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("<page ") {
            let attrs = attributes(rest);
            current = Some(Page {
                width: attrs.get("width").copied().unwrap_or(0.0),
                height: attrs.get("height").copied().unwrap_or(0.0),
                words: Vec::new(),
            });
        } else if line.starts_with("</page>") {
            if let Some(page) = current.take().filter(|p| p.width > 0.0 && p.height > 0.0) {
                pages.push(page);
            }
        } else if let Some(rest) = line.strip_prefix("<word ")
            && let (Some(page), Some((head, tail))) = (current.as_mut(), rest.split_once('>'))
        {
            let attrs = attributes(head);
            let text = unescape(tail.strip_suffix("</word>").unwrap_or(tail));
            let text = compatibility_ideographs(&text);
            if let (Some(x0), Some(y0), Some(x1), Some(y1)) = (
                attrs.get("xMin"),
                attrs.get("yMin"),
                attrs.get("xMax"),
                attrs.get("yMax"),
            ) {
                page.words.push(Word {
                    x0: *x0,
                    y0: *y0,
                    x1: *x1,
                    y1: *y1,
                    text: text.chars().collect(),
                });
            }
        }
    }
    pages
}

/// The numeric attributes `name="value"` of an element's start tag.
fn attributes(tag: &str) -> BTreeMap<&str, f64> {
    let mut out = BTreeMap::new();
    let mut rest = tag;
    while let Some((name, tail)) = rest.split_once("=\"") {
        let Some((value, tail)) = tail.split_once('"') else {
            break;
        };
        if let Ok(v) = value.parse::<f64>() {
            out.insert(name.trim(), v);
        }
        rest = tail;
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A binary PPM (P6) image, 8 bits per channel.
struct Pixmap {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Pixmap {
    fn parse(ppm: &[u8]) -> Option<Pixmap> {
        // Header: P6, width, height, maxval, each separated by whitespace, then one byte.
        let mut fields = Vec::with_capacity(4);
        let mut pos = 0;
        while fields.len() < 4 {
            while ppm.get(pos)?.is_ascii_whitespace() {
                pos += 1;
            }
            let start = pos;
            while !ppm.get(pos)?.is_ascii_whitespace() {
                pos += 1;
            }
            fields.push(std::str::from_utf8(&ppm[start..pos]).ok()?);
        }
        pos += 1;
        if fields[0] != "P6" || fields[3] != "255" {
            return None;
        }
        let width: u32 = fields[1].parse().ok()?;
        let height: u32 = fields[2].parse().ok()?;
        let len = (width as usize)
            .checked_mul(height as usize)?
            .checked_mul(3)?;
        let rgb = ppm.get(pos..pos.checked_add(len)?)?.to_vec();
        Some(Pixmap { width, height, rgb })
    }

    /// Paints a box black, clipped to the image.
    fn fill(&mut self, x0: f64, y0: f64, x1: f64, y1: f64) {
        let clip = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as usize;
        let (x0, x1) = (clip(x0.floor(), self.width), clip(x1.ceil(), self.width));
        let (y0, y1) = (clip(y0.floor(), self.height), clip(y1.ceil(), self.height));
        let stride = self.width as usize * 3;
        for y in y0..y1 {
            let row = &mut self.rgb[y * stride..(y + 1) * stride];
            row[x0 * 3..x1 * 3].fill(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BBOX: &str = r#"<doc>
  <page width="595.303937" height="841.889764">
    <word xMin="56.800000" yMin="202.400764" xMax="210.800000" yMax="220.600764">联系人：张三，身份证号</word>
    <word xMin="213.600000" yMin="202.400764" xMax="392.400000" yMax="220.600764">350102199003071234，手机</word>
    <word xMin="395.200000" yMin="202.400764" xMax="548.700000" yMax="220.600764">1390591</word>
    <word xMin="56.800000" yMin="222.500764" xMax="240.800000" yMax="240.700764">2345&amp;co</word>
  </page>
</doc>"#;

    #[test]
    fn words_and_their_boxes_are_read() {
        let pages = parse_bbox(BBOX);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].words.len(), 4);
        assert_eq!(pages[0].words[3].text.iter().collect::<String>(), "2345&co");
        assert!((pages[0].width - 595.303937).abs() < 1e-6);
    }

    #[test]
    fn a_value_inside_a_word_gets_a_box_over_its_part() {
        let pages = parse_bbox(BBOX);
        let mut found = [false];
        let rects = pages[0].boxes_for(&["350102199003071234".to_owned()], &mut found);
        assert!(found[0]);
        assert_eq!(rects.len(), 1);
        let r = &rects[0];
        // The digits lead the word; the box starts at the word and stops before 手机.
        assert!(r.x0 <= 213.6 && r.x0 > 205.0, "{r:?}");
        assert!(r.x1 < 392.4 - 20.0 && r.x1 > 330.0, "{r:?}");
    }

    #[test]
    fn a_value_broken_over_two_lines_gets_a_box_on_each() {
        let pages = parse_bbox(BBOX);
        let mut found = [false, false];
        let rects = pages[0].boxes_for(
            &["13905912345".to_owned(), "13800000000".to_owned()],
            &mut found,
        );
        assert_eq!(found, [true, false]);
        assert_eq!(rects.len(), 2);
        assert!(rects[0].y0 < 210.0 && rects[1].y0 > 220.0);
    }

    #[test]
    fn a_pixmap_is_painted_within_its_bounds() {
        let mut ppm = b"P6\n4 2\n255\n".to_vec();
        ppm.extend(std::iter::repeat_n(255u8, 4 * 2 * 3));
        let mut p = Pixmap::parse(&ppm).expect("ppm");
        p.fill(1.0, -5.0, 2.5, 1.0);
        assert_eq!(
            &p.rgb[..12],
            &[255, 255, 255, 0, 0, 0, 0, 0, 0, 255, 255, 255]
        );
        assert!(p.rgb[12..].iter().all(|b| *b == 255));
        assert!(Pixmap::parse(b"P6\n4 2\n255\nshort").is_none());
    }
}
