//! The DOCX package docx-rs gets to read: checked parts only.
//!
//! docx-rs 0.4.22 trusts its input in ways an upload must not be trusted
//! (measured on a debug build, 2 MiB thread stack as tokio's `spawn_blocking`
//! gives):
//!
//! - its reader recurses once per nested element (table in cell in table…),
//!   and 60 nested tables, a 1.2 KB file, overflow the stack, which aborts the
//!   process; `catch_unwind` cannot stop that;
//! - it reads every part to its end whatever size the ZIP header declares, so
//!   1 MB of deflated spaces becomes 1 GiB of memory;
//! - it unwraps every part read (`read_zip.rs`), so a corrupt deflate stream or
//!   CRC panics;
//! - quick-xml, its tokenizer, reports a part cut short inside an element as a
//!   plain end of document, and docx-rs's element readers, waiting for their
//!   end tag, loop on it forever at full CPU (`spawn_blocking` threads cannot
//!   be cancelled, so a timeout does not help).
//!
//! So [`sanitize`] reads the package itself and hands docx-rs a new ZIP
//! (stored, so nothing is inflated twice) holding only the XML parts, names
//! ending in `.xml` or `.rels`, each of which inflated without error (CRC
//! checked) through a reader capped one byte past the limit, and tokenizes
//! exactly as quick-xml does under docx-rs's settings into well-formed XML
//! nested at most [`Limits::depth`] deep ([`XmlDepth`]). Media, embedded
//! objects and any other part are left out: the text does not need them, and
//! docx-rs reads whatever part a relationship names, whatever its name, so
//! leaving out what was not checked is what makes "docx-rs only parses checked
//! XML" true by construction.

use std::io::{Cursor, ErrorKind, Read, Write};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::extract::ExtractError;

/// How much of a DOCX package is read before it is refused.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Largest inflated XML part.
    pub part_bytes: u64,
    /// Largest sum of the inflated XML parts.
    pub total_bytes: u64,
    /// Deepest element nesting in an XML part; the root element is at 1.
    pub depth: usize,
}

impl Limits {
    /// 64 MiB per part and 256 MiB in all are far beyond any disclosed
    /// document's text. 64 levels hold 19 tables nested in one another (each
    /// takes three: table, row, cell) around a paragraph, run and text; a
    /// text box in a table cell, as Word writes it, is about 20 deep. Nested
    /// tables are the costliest nesting measured (against paragraphs, runs,
    /// cells, content controls, hyperlinks, tracked changes, drawings and
    /// text boxes): 64 levels of them take about 1.25 MiB of stack in a debug
    /// build, of the 2 MiB tokio's `spawn_blocking` gives
    /// (tests/it/hostile_docx.rs).
    pub(crate) const DOCX: Limits = Limits {
        part_bytes: 64 * 1024 * 1024,
        total_bytes: 256 * 1024 * 1024,
        depth: 64,
    };
}

/// Longest element name, and longest end tag content, accepted. Names in
/// WordprocessingML are a few dozen bytes; the cap bounds the memory the
/// open-element stack can take (at most `depth` names).
const MAX_NAME_BYTES: usize = 4096;

/// Bytes read from a part at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// The package rebuilt from its XML parts, checked against `limits`.
pub(crate) fn sanitize(bytes: &[u8], limits: Limits) -> Result<Vec<u8>, ExtractError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| docx(NOT_A_ZIP))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut chunk = vec![0; CHUNK_BYTES];
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Some(name) = archive.name_for_index(index) else {
            continue;
        };
        if !is_xml_part(name) {
            continue;
        }
        let name = name.to_owned();
        let file = archive
            .by_index(index)
            .map_err(|error| unreadable(&name, &error))?;
        out.start_file(name.as_str(), options)
            .map_err(|_| corrupt(&name, "部件名重复或无效"))?;
        let mut part = file.take(limits.part_bytes.saturating_add(1));
        let mut xml = XmlDepth::new(limits.depth);
        let mut size: u64 = 0;
        loop {
            let read = match part.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Err(corrupt(&name, "解压失败或校验和不符")),
            };
            // `read` is at most CHUNK_BYTES.
            size += read as u64;
            total += read as u64;
            if size > limits.part_bytes || total > limits.total_bytes {
                return Err(docx(TOO_LARGE));
            }
            let data = &chunk[..read];
            xml.feed(data)
                .map_err(|problem| xml_error(&name, problem))?;
            out.write_all(data)
                .map_err(|_| corrupt(&name, "无法重新打包"))?;
        }
        xml.finish().map_err(|problem| xml_error(&name, problem))?;
    }
    let rebuilt = out.finish().map_err(|_| docx(NOT_A_ZIP))?;
    Ok(rebuilt.into_inner())
}

/// Whether docx-rs gets to see the part: `*.xml` and `*.rels`, any case.
fn is_xml_part(name: &str) -> bool {
    let name = name.as_bytes();
    let ends_with = |suffix: &[u8]| {
        name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    ends_with(b".xml") || ends_with(b".rels")
}

const NOT_A_ZIP: &str = "不是有效的 ZIP 压缩包，文件可能已损坏或不完整";
const TOO_LARGE: &str = "DOCX 文件解压后过大（单个部件超过 64 MiB 或合计超过 256 MiB），可能是恶意构造的文件，请人工核查";

fn docx(reason: &str) -> ExtractError {
    ExtractError::Docx {
        reason: reason.to_owned(),
    }
}

/// Part names come from the upload: shown shortened, never whole.
fn part_name(name: &str) -> String {
    const SHOWN: usize = 80;
    if name.chars().count() <= SHOWN {
        name.to_owned()
    } else {
        name.chars().take(SHOWN).chain("…".chars()).collect()
    }
}

fn corrupt(name: &str, what: &str) -> ExtractError {
    ExtractError::Docx {
        reason: format!(
            "DOCX 文件已损坏（部件 {} {what}），请人工核查",
            part_name(name)
        ),
    }
}

fn unreadable(name: &str, error: &ZipError) -> ExtractError {
    match error {
        ZipError::UnsupportedArchive(_)
        | ZipError::CompressionMethodNotSupported(_)
        | ZipError::InvalidPassword => ExtractError::Docx {
            reason: format!(
                "部件 {} 已加密或使用了不支持的压缩方式，无法读取文字",
                part_name(name)
            ),
        },
        _ => corrupt(name, "无法打开"),
    }
}

fn xml_error(name: &str, problem: XmlProblem) -> ExtractError {
    let name = part_name(name);
    let reason = match problem {
        XmlProblem::TooDeep => format!(
            "文档结构嵌套过深（部件 {name} 超过 {} 层），可能是恶意构造的文件，请人工核查",
            Limits::DOCX.depth
        ),
        XmlProblem::Malformed => {
            format!("DOCX 文件已损坏（部件 {name} 不是格式正确的 XML，可能不完整），请人工核查")
        }
        XmlProblem::Doctype => format!(
            "部件 {name} 含有 DTD 声明，Word 文档不使用 DTD，可能是恶意构造的文件，请人工核查"
        ),
    };
    ExtractError::Docx { reason }
}

/// Why an XML part is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum XmlProblem {
    /// Elements nest deeper than the limit.
    TooDeep,
    /// quick-xml would report an error, or end the part with elements still
    /// open, or a name is longer than `MAX_NAME_BYTES`.
    Malformed,
    /// A `<!DOCTYPE`: the OPC forbids DTDs in package parts, and modelling
    /// quick-xml's DTD parser is not worth it.
    Doctype,
}

/// Where the tokenizer is. Each markup kind ends where quick-xml 0.41 ends it
/// (`parser/*.rs`, `reader/mod.rs` `BangType::feed`), counting bytes from `<`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Markup {
    Text,
    /// After `<`.
    Open,
    /// After `<!`.
    Bang,
    /// `<!-`: ends at the first `>` at least 6 bytes after `<` that follows
    /// `--`; an error unless it began `<!--`.
    Comment,
    /// `<![`: ends at the first `]]>`; an error unless it began `<![CDATA[`.
    CData,
    /// `<?`: ends at the first `>` after a `?`, the opening one included; an
    /// error if shorter than `<??>`.
    Pi,
    /// A start or empty-element tag: ends at the first `>` outside quotes.
    StartTag {
        quote: Option<u8>,
    },
    /// An end tag: quick-xml reads it like a start tag.
    EndTag {
        quote: Option<u8>,
    },
}

/// A streaming check that an XML part, fed in chunks of any size, is
/// well-formed and not nested too deep as quick-xml 0.41 tokenizes it under
/// docx-rs's `EventReader` settings (`check_end_names`, no
/// `allow_unmatched_ends`, no `expand_empty_elements`).
///
/// The depth counted is docx-rs's event depth: a start tag opens a level, an
/// end tag closes one, an empty-element tag reaches one level deeper and
/// closes it at once. Only structure matters, so text, references, attribute
/// values and encodings are not looked at: quick-xml tokenizes raw bytes
/// whatever the declared encoding (docx-rs does not wrap a decoding reader),
/// and every delimiter is ASCII. Errors quick-xml finds only when decoding
/// (an unknown entity, invalid UTF-8) make it drop events, never add them.
pub(crate) struct XmlDepth {
    markup: Markup,
    /// Bytes of the current markup so far, its `<` included.
    len: usize,
    /// The two bytes before the current one in the current markup.
    tail: [u8; 2],
    /// Whether a comment or CDATA section began as it must.
    opening_ok: bool,
    /// Whether the current start tag's name (up to the first whitespace) is complete.
    name_done: bool,
    /// Names of the open elements, one after another, then the name of the
    /// start tag being read.
    names: Vec<u8>,
    /// Bytes of `names` taken by the open elements.
    open_len: usize,
    /// Where each open element's name starts in `names`.
    starts: Vec<usize>,
    /// Content of the end tag being read.
    end: Vec<u8>,
    max_depth: usize,
    limit: usize,
}

impl XmlDepth {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            markup: Markup::Text,
            len: 0,
            tail: [0; 2],
            opening_ok: true,
            name_done: false,
            names: Vec::new(),
            open_len: 0,
            starts: Vec::new(),
            end: Vec::new(),
            max_depth: 0,
            limit,
        }
    }

    /// Reads the next bytes of the part.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) -> Result<(), XmlProblem> {
        while let Some((&byte, rest)) = bytes.split_first() {
            if self.markup == Markup::Text {
                // Text, references and whitespace: only `<` matters (quick-xml
                // ends a reference at `<` too).
                match bytes.iter().position(|&b| b == b'<') {
                    Some(at) => {
                        self.markup = Markup::Open;
                        self.len = 1;
                        self.tail = [0; 2];
                        self.opening_ok = true;
                        bytes = &bytes[at + 1..];
                    }
                    None => return Ok(()),
                }
                continue;
            }
            bytes = rest;
            self.len += 1;
            self.markup_byte(byte)?;
            self.tail = [self.tail[1], byte];
        }
        Ok(())
    }

    /// Ends the part: returns the deepest nesting seen.
    pub(crate) fn finish(&self) -> Result<usize, XmlProblem> {
        // Markup cut short is a quick-xml syntax error; elements left open
        // are not, and docx-rs then waits for their end tags forever.
        if self.markup != Markup::Text || !self.starts.is_empty() {
            return Err(XmlProblem::Malformed);
        }
        Ok(self.max_depth)
    }

    /// One byte of markup; `self.len - 1` is its offset from `<`.
    fn markup_byte(&mut self, byte: u8) -> Result<(), XmlProblem> {
        let at = self.len - 1;
        match self.markup {
            Markup::Text => {}
            Markup::Open => match byte {
                b'!' => self.markup = Markup::Bang,
                b'/' => {
                    self.markup = Markup::EndTag { quote: None };
                    self.end.clear();
                }
                b'?' => self.markup = Markup::Pi,
                _ => {
                    self.markup = Markup::StartTag { quote: None };
                    self.name_done = false;
                    self.start_tag_byte(byte)?;
                }
            },
            Markup::Bang => match byte {
                b'-' => self.markup = Markup::Comment,
                b'[' => self.markup = Markup::CData,
                b'D' | b'd' => return Err(XmlProblem::Doctype),
                _ => return Err(XmlProblem::Malformed),
            },
            Markup::Comment => {
                if at == 3 && byte != b'-' {
                    self.opening_ok = false;
                }
                if byte == b'>' && at >= 6 && self.tail == *b"--" {
                    return self.close_markup();
                }
            }
            Markup::CData => {
                const OPENING: &[u8] = b"<![CDATA[";
                if OPENING.get(at).is_some_and(|&expected| expected != byte) {
                    self.opening_ok = false;
                }
                if byte == b'>' && self.tail == *b"]]" {
                    return self.close_markup();
                }
            }
            Markup::Pi => {
                if byte == b'>' && self.tail[1] == b'?' {
                    if self.len <= 3 {
                        return Err(XmlProblem::Malformed);
                    }
                    self.markup = Markup::Text;
                }
            }
            Markup::StartTag { .. } => self.start_tag_byte(byte)?,
            Markup::EndTag { quote } => match (quote, byte) {
                (None, b'>') => return self.end_tag(),
                (None, b'"' | b'\'') => {
                    self.markup = Markup::EndTag { quote: Some(byte) };
                    self.push_end(byte)?;
                }
                (Some(open), _) if open == byte => {
                    self.markup = Markup::EndTag { quote: None };
                    self.push_end(byte)?;
                }
                _ => self.push_end(byte)?,
            },
        }
        Ok(())
    }

    fn close_markup(&mut self) -> Result<(), XmlProblem> {
        if !self.opening_ok {
            return Err(XmlProblem::Malformed);
        }
        self.markup = Markup::Text;
        Ok(())
    }

    fn start_tag_byte(&mut self, byte: u8) -> Result<(), XmlProblem> {
        let Markup::StartTag { quote } = self.markup else {
            return Ok(());
        };
        match (quote, byte) {
            (None, b'>') => return self.start_tag(),
            (None, b'"' | b'\'') => self.markup = Markup::StartTag { quote: Some(byte) },
            (Some(open), _) if open == byte => self.markup = Markup::StartTag { quote: None },
            _ => {}
        }
        // quick-xml's name: the tag's content up to the first whitespace.
        if !self.name_done {
            if is_whitespace(byte) {
                self.name_done = true;
            } else {
                self.names.push(byte);
                if self.names.len() - self.open_len > MAX_NAME_BYTES {
                    return Err(XmlProblem::Malformed);
                }
            }
        }
        Ok(())
    }

    /// A start tag's `>`: an empty-element tag if the byte before it is `/`.
    fn start_tag(&mut self) -> Result<(), XmlProblem> {
        self.markup = Markup::Text;
        let open = self.open_len;
        let depth = if self.tail[1] == b'/' {
            self.names.truncate(open);
            self.starts.len() + 1
        } else {
            self.starts.push(open);
            self.open_len = self.names.len();
            self.starts.len()
        };
        self.max_depth = self.max_depth.max(depth);
        if depth > self.limit {
            return Err(XmlProblem::TooDeep);
        }
        Ok(())
    }

    fn push_end(&mut self, byte: u8) -> Result<(), XmlProblem> {
        self.end.push(byte);
        if self.end.len() > MAX_NAME_BYTES {
            return Err(XmlProblem::Malformed);
        }
        Ok(())
    }

    /// An end tag's `>`: its content, trailing whitespace trimmed (unless it
    /// is all whitespace), must equal the innermost open name.
    fn end_tag(&mut self) -> Result<(), XmlProblem> {
        self.markup = Markup::Text;
        let name = match self.end.iter().rposition(|&b| !is_whitespace(b)) {
            Some(last) => &self.end[..=last],
            None => &self.end[..],
        };
        let Some(start) = self.starts.pop() else {
            return Err(XmlProblem::Malformed);
        };
        if self.names.get(start..) != Some(name) {
            return Err(XmlProblem::Malformed);
        }
        self.names.truncate(start);
        self.open_len = start;
        Ok(())
    }
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\r' | b'\n' | b'\t')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use docx_rs::{EventReader, XmlEvent};
    use proptest::prelude::*;

    use super::*;

    fn scan(xml: &[u8], cuts: &[usize]) -> Result<usize, XmlProblem> {
        let mut depth = XmlDepth::new(usize::MAX);
        let mut from = 0;
        for &cut in cuts {
            let cut = cut.clamp(from, xml.len());
            depth.feed(&xml[from..cut])?;
            from = cut;
        }
        depth.feed(&xml[from..])?;
        depth.finish()
    }

    /// What docx-rs's reader sees: its deepest event depth, its depth at the
    /// end, and whether any event was an error. Reads on past errors, as
    /// docx-rs's `ignore_element` does.
    fn docx_rs_depth(xml: &[u8]) -> (i64, i64, bool) {
        let mut reader = EventReader::new(xml);
        let (mut depth, mut deepest, mut errors) = (0_i64, 0_i64, false);
        for _ in 0..xml.len() * 2 + 16 {
            match reader.next_event() {
                Ok(XmlEvent::StartElement { .. }) => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                Ok(XmlEvent::EndElement { .. }) => depth -= 1,
                Ok(XmlEvent::EndDocument) => break,
                Ok(_) => {}
                Err(_) => errors = true,
            }
        }
        (deepest, depth, errors)
    }

    /// Pieces that reach every branch of the tokenizer when strung together.
    const PIECES: &[&str] = &[
        "<",
        ">",
        "/",
        "/>",
        "</",
        "<?",
        "?>",
        "?",
        "<!",
        "<!-",
        "<!--",
        "--",
        "-->",
        "-",
        "<![CDATA[",
        "<![",
        "]]>",
        "]",
        "[",
        "\"",
        "'",
        "a",
        "b",
        "w:p",
        " ",
        "\n",
        "\t",
        "&",
        "&amp;",
        "&lt;",
        ";",
        "=",
        "<a>",
        "</a>",
        "<b>",
        "</b>",
        "<a/>",
        "<b />",
        "<a x='>'>",
        "<a x=\"/>\">",
        "</a >",
        "</ a>",
        "<>",
        "</>",
        "<a\"b>",
        "</a\"b>",
        "<!DOCTYPE a>",
        "<!x>",
        "<?xml version='1.0'?>",
        "<??>",
        "<?>",
        "\u{FEFF}",
        "\0",
        "é",
        "<![CDATA[<a>]]>",
        "<!-- <a> -->",
        "<!-->",
        "<!--->",
        "<!---->",
        "<a\">\">",
        "</a\">\">",
        "</a x='>'>",
    ];

    fn soup() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40)
            .prop_map(|pieces| pieces.concat().into_bytes())
    }

    /// Well-formed XML from `ops`, and its depth.
    fn well_formed(ops: &[u8]) -> (Vec<u8>, usize) {
        const NAMES: [&str; 4] = ["w:p", "a", "w:tbl", "x:y-z"];
        let mut xml = String::from("<?xml version=\"1.0\"?>\n");
        let mut open: Vec<&str> = Vec::new();
        let mut deepest = 0;
        for (index, op) in ops.iter().enumerate() {
            let name = NAMES[index % NAMES.len()];
            match op % 8 {
                0 | 1 => {
                    xml.push_str(&format!("<{name} a=\"x>/y\" b='/>'\n>"));
                    open.push(name);
                    deepest = deepest.max(open.len());
                }
                2 => {
                    if let Some(name) = open.pop() {
                        xml.push_str(&format!("</{name} \n>"));
                    }
                }
                3 => {
                    xml.push_str(&format!("<{name} c=\"/>\"/>"));
                    deepest = deepest.max(open.len() + 1);
                }
                4 => xml.push_str("<!-- <a> </b> - -> -- -->"),
                5 => xml.push_str("<![CDATA[ </a> <b> ]] ]>]]>"),
                6 => xml.push_str("<?pi <a> ? > ?>"),
                _ => xml.push_str("x &amp; > / ' \" ]]>"),
            }
        }
        while let Some(name) = open.pop() {
            xml.push_str(&format!("</{name}>"));
        }
        (xml.into_bytes(), deepest)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Never less deep than docx-rs's reader, errors or not; exact when
        /// the reader has no errors; refuses whatever it leaves open.
        #[test]
        fn depth_bounds_what_docx_rs_reads(
            xml in prop_oneof![soup(), prop::collection::vec(any::<u8>(), 0..64)],
            cuts in prop::collection::vec(0..64_usize, 0..6),
        ) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            let whole = scan(&xml, &[]);
            prop_assert_eq!(scan(&xml, &cuts), whole);
            let (deepest, end, errors) = docx_rs_depth(&xml);
            match whole {
                Ok(depth) => {
                    prop_assert!(deepest <= depth as i64, "reader {deepest} > scan {depth}");
                    if !errors {
                        prop_assert_eq!(deepest, depth as i64);
                        prop_assert_eq!(end, 0);
                    }
                }
                Err(XmlProblem::Doctype) => {}
                Err(_) => {
                    let doctype = xml.windows(3).any(|w| w == b"<!D" || w == b"<!d");
                    prop_assert!(errors || end != 0 || doctype, "refused what docx-rs reads");
                }
            }
        }

        #[test]
        fn well_formed_xml_is_accepted_at_its_depth(
            ops in prop::collection::vec(any::<u8>(), 0..120),
            cuts in prop::collection::vec(0..4096_usize, 0..6),
        ) {
            let (xml, depth) = well_formed(&ops);
            let mut cuts = cuts;
            cuts.sort_unstable();
            prop_assert_eq!(scan(&xml, &cuts), Ok(depth));
            prop_assert_eq!(docx_rs_depth(&xml), (depth as i64, 0, false));
        }
    }

    #[test]
    fn markup_ends_where_quick_xml_ends_it() {
        for (xml, expected) in [
            (&b"<a><b/></a>"[..], Ok(2)),
            (b"<a x='>' y=\"/>\"></a>", Ok(1)),
            (b"<a/ ></a/>", Ok(1)),
            (b"<a></a \t\n>", Ok(1)),
            (b"<a></ a>", Err(XmlProblem::Malformed)),
            // quick-xml reads end tags like start tags, quotes and all.
            (b"<a\">\"></a\">\">", Ok(1)),
            (b"<a><!-- </a> --></a>", Ok(1)),
            (b"<a><!--></a>--></a>", Ok(1)),
            (b"<a><![CDATA[</a>]]></a>", Ok(1)),
            (b"<a><?pi </a>?></a>", Ok(1)),
            (b"<a><?></a>", Err(XmlProblem::Malformed)),
            (b"<a><!-x--></a>", Err(XmlProblem::Malformed)),
            (b"<a><![CDAT[x]]></a>", Err(XmlProblem::Malformed)),
            (b"<a><!x></a>", Err(XmlProblem::Malformed)),
            (b"<!DOCTYPE a><a/>", Err(XmlProblem::Doctype)),
            (b"<a>", Err(XmlProblem::Malformed)),
            (b"<a><b></a>", Err(XmlProblem::Malformed)),
            (b"</a>", Err(XmlProblem::Malformed)),
            (b"<a", Err(XmlProblem::Malformed)),
            (b"\xEF\xBB\xBF<a>&lt;&bogus; > </a>", Ok(1)),
        ] {
            assert_eq!(scan(xml, &[]), expected, "{}", String::from_utf8_lossy(xml));
        }
    }

    #[test]
    fn depth_past_the_limit_is_refused_as_soon_as_it_is_reached() {
        let mut depth = XmlDepth::new(3);
        assert_eq!(
            depth.feed(b"<a><b><c><d/></c></b></a>"),
            Err(XmlProblem::TooDeep)
        );
        let mut depth = XmlDepth::new(3);
        depth.feed(b"<a><b><c/></b></a>").unwrap();
        assert_eq!(depth.finish(), Ok(3));
        // The bomb needs no end: refused before its first end tag.
        let mut depth = XmlDepth::new(64);
        assert_eq!(depth.feed(&b"<w:tbl>".repeat(65)), Err(XmlProblem::TooDeep));
    }

    #[test]
    fn overlong_names_are_refused() {
        let long = "n".repeat(MAX_NAME_BYTES);
        assert_eq!(scan(format!("<{long}></{long}>").as_bytes(), &[]), Ok(1));
        let longer = "n".repeat(MAX_NAME_BYTES + 1);
        assert_eq!(
            scan(format!("<{longer}/>").as_bytes(), &[]),
            Err(XmlProblem::Malformed)
        );
    }

    fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn names(package: &[u8]) -> Vec<String> {
        let archive = ZipArchive::new(Cursor::new(package)).unwrap();
        archive.file_names().map(str::to_owned).collect()
    }

    const SMALL: Limits = Limits {
        part_bytes: 100,
        total_bytes: 250,
        depth: 4,
    };

    #[test]
    fn only_xml_parts_are_passed_on_stored_and_unchanged() {
        let xml = b"<a><b/></a>";
        let package = sanitize(
            &zip(&[
                ("[Content_Types].xml", xml),
                ("_rels/.rels", xml),
                ("word/Document.XML", xml),
                ("word/media/image1.png", &[0xFF; 500]),
                ("word/embeddings/x.bin", b"<<<<<"),
                ("word/", b""),
            ]),
            SMALL,
        )
        .unwrap();
        assert_eq!(
            names(&package),
            ["[Content_Types].xml", "_rels/.rels", "word/Document.XML"]
        );
        let mut archive = ZipArchive::new(Cursor::new(&package[..])).unwrap();
        let mut part = archive.by_name("word/Document.XML").unwrap();
        assert_eq!(part.compression(), CompressionMethod::Stored);
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        assert_eq!(content, xml);
    }

    #[test]
    fn part_and_total_sizes_are_capped() {
        let fits = format!("<a>{}</a>", " ".repeat(100 - 7));
        let over = format!("<a>{}</a>", " ".repeat(101 - 7));
        assert!(sanitize(&zip(&[("a.xml", fits.as_bytes())]), SMALL).is_ok());
        let error = sanitize(&zip(&[("a.xml", over.as_bytes())]), SMALL).unwrap_err();
        assert!(error.to_string().contains("解压后过大"), "{error}");
        let parts = [
            ("a.xml", fits.as_bytes()),
            ("b.xml", fits.as_bytes()),
            ("c.xml", fits.as_bytes()),
        ];
        let error = sanitize(&zip(&parts[..3]), SMALL).unwrap_err();
        assert!(error.to_string().contains("解压后过大"), "{error}");
        assert!(sanitize(&zip(&parts[..2]), SMALL).is_ok());
    }

    #[test]
    fn depth_and_well_formedness_are_checked_in_every_xml_part() {
        let error = sanitize(
            &zip(&[("x.rels", b"<a><b><c><d><e/></d></c></b></a>")]),
            SMALL,
        )
        .unwrap_err();
        assert!(error.to_string().contains("嵌套过深"), "{error}");
        let error = sanitize(&zip(&[("y.xml", b"<a><b>")]), SMALL).unwrap_err();
        assert!(error.to_string().contains("y.xml"), "{error}");
        let error = sanitize(b"PK\x03\x04 not really", SMALL).unwrap_err();
        assert!(error.to_string().contains("ZIP"), "{error}");
    }

    #[test]
    fn part_names_in_messages_are_shortened() {
        let name = format!("{}.xml", "长".repeat(200));
        let error = sanitize(&zip(&[(name.as_str(), b"<a>")]), SMALL).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains('…') && message.chars().count() < 200,
            "{message}"
        );
    }
}
