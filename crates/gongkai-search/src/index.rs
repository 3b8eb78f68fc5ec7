//! The search index (一网通查): published records in tantivy, segmented by jieba.
//!
//! Ranking, strongest first: a record whose 发文字号 or 索引号 is the query (or, for a partial
//! 发文字号, one of the candidates) comes before anything found by words; then titles holding
//! every query word before records holding them only in the body; then records in force before
//! expired and repealed ones; then BM25; then the more recent.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

use gongkai_domain::{DocStatus, docno};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Executor, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};
use time::Date;

use crate::facets::{FacetCollector, FacetCounts, by_doc};
use crate::segment::Segmenter;

/// Bumped when the schema or the segmentation changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

/// The file beside the index that names its schema version.
const VERSION_FILE: &str = "gongkai-search-version";
/// The words added to the segmenter when the index was built (one per line): the same ones
/// must segment queries.
const DICTIONARY_FILE: &str = "dictionary.txt";

/// Index writer memory (tantivy splits it between its threads).
const WRITER_HEAP: usize = 128 << 20;

/// Score of a title holding every query word, above any BM25 score.
const TITLE_TIER: f32 = 10_000.0;
/// Weight of a body or attachment match beside a title match (3.0).
const BODY_WEIGHT: f32 = 0.25;
/// Added for a record in force, above any relevance step (`rank_key`).
const IN_FORCE: f64 = 1_000.0;
/// Bytes of body text around the matches (≈ 100 Chinese characters).
const SNIPPET_BYTES: usize = 300;
/// Records from which a search uses every core.
const PARALLEL_FROM_DOCS: u64 = 100_000;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory could not be read or written.
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    /// The query could not be read.
    #[error("search query: {0}")]
    Query(String),
    /// Another process holds the index for writing.
    #[error("search index is being written by another process")]
    Busy,
}

/// What the index holds of one record.
#[derive(Clone, Debug)]
pub struct Record {
    /// Record id.
    pub id: i64,
    /// Its organization.
    pub org_id: i64,
    /// The organization and all its ancestors (a search within a unit finds its sub-units').
    pub org_path: Vec<i64>,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// 标题.
    pub title: String,
    /// 发文字号 as stored.
    pub doc_number: Option<String>,
    /// 索引号.
    pub index_number: Option<String>,
    /// 主题分类 code (4 digits).
    pub topic_code: String,
    /// 公文种类 code.
    pub kind: String,
    /// 有效性 code (`valid`, `expired`, `repealed`).
    pub validity: String,
    /// 发布日期.
    pub published_date: Date,
    /// Plain text of the body.
    pub body_text: String,
    /// Plain text of the attachments, joined.
    pub attachments_text: String,
}

/// A record the index may hold: only a published one can be made.
#[derive(Clone, Debug)]
pub struct Published(Record);

impl Published {
    /// `record` when its status is published; drafts and withdrawn records never enter the
    /// index.
    pub fn new(status: DocStatus, record: Record) -> Option<Published> {
        (status == DocStatus::Published).then_some(Published(record))
    }

    /// The record's id.
    pub fn id(&self) -> i64 {
        self.0.id
    }
}

/// A search.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// What was typed.
    pub text: String,
    /// Only records of this organization and its sub-units.
    pub org_id: Option<i64>,
    /// 主题分类 code or first-level prefix (`02` or `0201`).
    pub topic: Option<String>,
    /// 公文种类 code.
    pub kind: Option<String>,
    /// Year of publication.
    pub year: Option<i32>,
    /// 有效性 code.
    pub validity: Option<String>,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return (at least 1).
    pub limit: usize,
}

/// How a hit was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// Its 发文字号 or 令号 is the query.
    DocNumber,
    /// Its 索引号 is the query.
    IndexNumber,
    /// The query is part of its 发文字号 (`榕政办53号`, `2021年53号`).
    DocNumberPart,
    /// By words.
    Words,
}

/// One hit.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Hit {
    /// Record id.
    pub id: i64,
    /// 标题.
    pub title: String,
    /// The title as HTML, the query words in `<mark>`.
    pub title_html: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 索引号.
    pub index_number: Option<String>,
    /// Organization id.
    pub org_id: i64,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// 公文种类 code.
    pub kind: String,
    /// 有效性 code.
    pub validity: String,
    /// 发布日期.
    pub published_date: Date,
    /// Body text around the matches.
    pub snippet: String,
    /// The same as HTML, the matched words in `<mark>`.
    pub snippet_html: String,
    /// How it was found.
    pub matched: Matched,
}

/// Counts of the hits per value of a field.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Facets {
    /// Per organization id (the record's own organization).
    pub org: Vec<(i64, u64)>,
    /// Per first-level 主题分类 code (2 digits).
    pub topic: Vec<(String, u64)>,
    /// Per 公文种类 code.
    pub kind: Vec<(String, u64)>,
    /// Per year of publication, newest first.
    pub year: Vec<(i32, u64)>,
    /// Per 有效性 code.
    pub validity: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SearchResults {
    /// Hits in all.
    pub total: usize,
    /// The hits asked for.
    pub hits: Vec<Hit>,
    /// Counts over all hits.
    pub facets: Facets,
    /// The words searched for (empty for a number lookup).
    pub words: Vec<String>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    title_bi: Field,
    body: Field,
    attachments: Field,
    docno: Field,
    docno_key: Field,
    docno_agency: Field,
    docno_year: Field,
    docno_serial: Field,
    index_number: Field,
    org: Field,
    org_path: Field,
    org_code: Field,
    org_name: Field,
    topic: Field,
    topic1: Field,
    kind: Field,
    year: Field,
    validity: Field,
    /// In force and day of publication in one value (one column read per hit to rank it):
    /// `in_force << DAY_BITS | day`.
    rank: Field,
    day: Field,
}

const ZH: &str = "zh";
const BIGRAM: &str = "bigram";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let zh = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ZH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let bigram = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let f = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        title: b.add_text_field("title", zh(true)),
        title_bi: b.add_text_field("title_bi", bigram),
        body: b.add_text_field("body", zh(true)),
        attachments: b.add_text_field("attachments", zh(false)),
        docno: b.add_text_field("docno", STORED),
        docno_key: b.add_text_field("docno_key", STRING),
        docno_agency: b.add_text_field("docno_agency", STRING),
        docno_year: b.add_u64_field("docno_year", INDEXED),
        docno_serial: b.add_u64_field("docno_serial", INDEXED),
        index_number: b.add_text_field("index_number", STRING | STORED),
        org: b.add_u64_field("org", INDEXED | FAST | STORED),
        org_path: b.add_u64_field("org_path", INDEXED),
        org_code: b.add_text_field("org_code", STORED),
        org_name: b.add_text_field("org_name", STORED),
        topic: b.add_text_field("topic", STRING | FAST),
        topic1: b.add_text_field("topic1", STRING | FAST),
        kind: b.add_text_field("kind", STRING | FAST | STORED),
        year: b.add_u64_field("year", INDEXED | FAST),
        validity: b.add_text_field("validity", STRING | FAST | STORED),
        rank: b.add_u64_field("rank", FAST),
        day: b.add_u64_field("day", STORED),
    };
    (b.build(), f)
}

/// The search index of one node, in a directory of its own.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Taken at the first write: a process that only searches leaves the index's lock free
    /// for the one that writes.
    writer: Mutex<Option<IndexWriter>>,
    /// Searches a large index's segments side by side, one thread each: a common word's
    /// hundreds of thousands of hits are counted on every core (`compact` leaves one segment
    /// per core). A small index is searched on the calling thread, which saves the handoff.
    parallel: Executor,
    fields: Fields,
    segmenter: Segmenter,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// Whether [`SearchIndex::open`] found the index or made a new, empty one to be filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// The index was there, of this version.
    Existing,
    /// Missing or of another version: made empty; the caller fills it from the database.
    Created,
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes an empty one there (removing one of another schema
    /// version) with `words` added to the segmenter.
    pub fn open<S: AsRef<str>>(
        dir: &Path,
        words: &[S],
    ) -> Result<(SearchIndex, Opened), IndexError> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let current = version.as_deref().map(str::trim) == Some(&SCHEMA_VERSION.to_string());
        if current && let Ok(index) = Index::open_in_dir(dir) {
            let words = std::fs::read_to_string(dir.join(DICTIONARY_FILE)).unwrap_or_default();
            let words: Vec<&str> = words.lines().collect();
            return Ok((SearchIndex::with_index(index, &words)?, Opened::Existing));
        }
        Ok((SearchIndex::create(dir, words)?, Opened::Created))
    }

    /// Makes an empty index in `dir`, replacing whatever is there.
    pub fn create<S: AsRef<str>>(dir: &Path, words: &[S]) -> Result<SearchIndex, IndexError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let mut dictionary: Vec<&str> = words.iter().map(|w| w.as_ref().trim()).collect();
        dictionary.retain(|w| !w.is_empty() && !w.contains('\n'));
        dictionary.sort_unstable();
        dictionary.dedup();
        std::fs::write(dir.join(DICTIONARY_FILE), dictionary.join("\n"))?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(dir, schema)?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())?;
        SearchIndex::with_index(index, &dictionary)
    }

    /// An index in memory (tests).
    pub fn in_memory<S: AsRef<str>>(words: &[S]) -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), words)
    }

    fn with_index<S: AsRef<str>>(index: Index, words: &[S]) -> Result<SearchIndex, IndexError> {
        let segmenter = Segmenter::new(words);
        // The tokenizers are registered on every handle; the schema only names them.
        index.tokenizers().register(
            ZH,
            TextAnalyzer::builder(segmenter.index_tokenizer()).build(),
        );
        index.tokenizers().register(
            BIGRAM,
            TextAnalyzer::builder(crate::segment::BigramTokenizer).build(),
        );
        let (_, fields) = schema();
        // Reloaded by hand after each commit and by `refresh`: tantivy's watcher reloads
        // late, on its own thread, and can put back a searcher older than ours.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            parallel: Executor::multi_thread(search_threads(), "gongkai-search-")?,
            writer: Mutex::new(None),
            fields,
            segmenter,
        })
    }

    /// Records held.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds records, replacing earlier versions of them; seen after [`SearchIndex::commit`].
    pub fn upsert(&self, records: &[Published]) -> Result<(), IndexError> {
        let mut guard = self.lock_writer()?;
        let writer = writer_of(&mut guard)?;
        for r in records {
            writer.delete_term(Term::from_field_u64(self.fields.id, to_u64(r.0.id)));
            writer.add_document(self.document(&r.0))?;
        }
        Ok(())
    }

    /// Removes records (withdrawn, or no longer published); seen after a commit.
    pub fn remove(&self, ids: &[i64]) -> Result<(), IndexError> {
        let mut guard = self.lock_writer()?;
        let writer = writer_of(&mut guard)?;
        for id in ids {
            writer.delete_term(Term::from_field_u64(self.fields.id, to_u64(*id)));
        }
        Ok(())
    }

    /// Removes every record; seen after a commit.
    pub fn clear(&self) -> Result<(), IndexError> {
        let mut guard = self.lock_writer()?;
        writer_of(&mut guard)?.delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes so far durable and visible to searches.
    pub fn commit(&self) -> Result<(), IndexError> {
        let mut guard = self.lock_writer()?;
        if let Some(w) = guard.as_mut() {
            w.commit()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Makes searches see what is on disk now, including commits of other processes.
    pub fn refresh(&self) -> Result<(), IndexError> {
        self.reader.reload()?;
        Ok(())
    }

    /// Merges the index into one segment per search thread and waits for it (after a rebuild: a query visits
    /// every segment, and a rebuild leaves a dozen). Seen by searches when it returns.
    pub fn compact(&self) -> Result<(), IndexError> {
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(w) = guard.take() {
            w.wait_merging_threads()?;
        }
        let groups = balanced_groups(self.index.searchable_segment_metas()?, search_threads());
        if groups.iter().any(|g| g.len() > 1) {
            let mut w: IndexWriter = self.index.writer(WRITER_HEAP).map_err(busy)?;
            let merges: Vec<_> = groups
                .iter()
                .filter(|g| g.len() > 1)
                .map(|g| w.merge(g))
                .collect();
            for merge in merges {
                merge.wait()?;
            }
            w.wait_merging_threads()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    fn lock_writer(&self) -> Result<WriterGuard<'_>, IndexError> {
        // A panic while holding the writer leaves it usable: tantivy's state is its own.
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none() {
            *guard = Some(self.index.writer(WRITER_HEAP).map_err(busy)?);
        }
        Ok(guard)
    }

    fn document(&self, r: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, to_u64(r.id));
        d.add_text(f.title, &r.title);
        d.add_text(f.title_bi, &r.title);
        d.add_text(f.body, &r.body_text);
        if !r.attachments_text.is_empty() {
            d.add_text(f.attachments, &r.attachments_text);
        }
        if let Some(n) = &r.doc_number {
            d.add_text(f.docno, n);
            if let Ok(parsed) = docno::normalize(n) {
                d.add_text(f.docno_key, parsed.lookup_key());
                if let docno::DocNo::Standard(s) = &parsed {
                    d.add_text(f.docno_agency, s.agency());
                    d.add_u64(f.docno_year, u64::from(s.year()));
                    d.add_u64(f.docno_serial, u64::from(s.serial()));
                }
            }
        }
        if let Some(n) = &r.index_number {
            d.add_text(f.index_number, n.to_uppercase());
        }
        d.add_u64(f.org, to_u64(r.org_id));
        for o in &r.org_path {
            d.add_u64(f.org_path, to_u64(*o));
        }
        d.add_text(f.org_code, &r.org_code);
        d.add_text(f.org_name, &r.org_name);
        d.add_text(f.topic, &r.topic_code);
        d.add_text(f.topic1, r.topic_code.get(..2).unwrap_or(&r.topic_code));
        d.add_text(f.kind, &r.kind);
        d.add_u64(f.year, u64::try_from(r.published_date.year()).unwrap_or(0));
        d.add_text(f.validity, &r.validity);
        let day = day_number(r.published_date);
        d.add_u64(f.rank, u64::from(r.validity == "valid") << DAY_BITS | day);
        d.add_u64(f.day, day);
        d
    }

    /// Searches.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, IndexError> {
        let text = q.text.trim();
        if text.is_empty() {
            return Ok(SearchResults::default());
        }
        let searcher = self.reader.searcher();
        let filters = self.filters(q)?;
        // A number first: when the query is one, its record is the answer.
        for (lookup, matched) in self.lookups(text) {
            let query = with_filters(lookup, &filters);
            if searcher.search(&query, &Count)? > 0 {
                return self.run(&searcher, &query, q, &[], matched);
            }
        }
        let words = self.segmenter.query_words(text);
        if words.is_empty() {
            return Ok(SearchResults::default());
        }
        let query = with_filters(self.words_query(&searcher, &words)?, &filters);
        self.run(&searcher, &query, q, &words, Matched::Words)
    }

    /// The number lookups a query can be, strongest first.
    fn lookups(&self, text: &str) -> Vec<(Box<dyn Query>, Matched)> {
        let f = &self.fields;
        let mut out: Vec<(Box<dyn Query>, Matched)> = Vec::new();
        if let Some(n) = docno::lenient(text) {
            out.push((term(f.docno_key, &n.lookup_key()), Matched::DocNumber));
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if looks_like_index_number(&compact) {
            out.push((
                term(f.index_number, &compact.to_uppercase()),
                Matched::IndexNumber,
            ));
        }
        if let Some(p) = docno::partial(text) {
            let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.docno_serial, u64::from(p.serial)),
                    IndexRecordOption::Basic,
                )),
            )];
            if let Some(a) = &p.agency {
                parts.push((Occur::Must, term(f.docno_agency, a)));
            }
            if let Some(y) = p.year {
                parts.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.docno_year, u64::from(y)),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
            out.push((Box::new(BooleanQuery::new(parts)), Matched::DocNumberPart));
        }
        out
    }

    /// Every word must match, in the title, the body or an attachment; a title holding every
    /// word scores [`TITLE_TIER`] more.
    fn words_query(
        &self,
        searcher: &Searcher,
        words: &[String],
    ) -> Result<Box<dyn Query>, IndexError> {
        let f = &self.fields;
        let mut all = Vec::new();
        let mut in_title = Vec::new();
        for w in words {
            // A title phrase of character pairs finds the word inside longer title words
            // (costly on common ones); a word the titles hold whole needs no such help.
            let in_titles = searcher.doc_freq(&Term::from_field_text(f.title, w))? > 0;
            let title_bigrams = if in_titles && w.chars().count() > 2 {
                None
            } else {
                self.bigram_phrase(w)
            };
            // The title weighs twelve times the body: among titles alike, how often a body
            // repeats the word says little (`rank_key` then orders them by date).
            let mut either: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Should, boost(text_term(f.title, w), 3.0)),
                (Occur::Should, boost(text_term(f.body, w), BODY_WEIGHT)),
                (
                    Occur::Should,
                    boost(text_term(f.attachments, w), BODY_WEIGHT),
                ),
            ];
            let mut title: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, text_term(f.title, w))];
            if let Some(p) = &title_bigrams {
                either.push((Occur::Should, boost(p.box_clone(), 3.0)));
                title.push((Occur::Should, p.box_clone()));
            }
            // A word the bodies never hold whole (the text was segmented otherwise around
            // it): its parts side by side, as a phrase.
            let whole = Term::from_field_text(f.body, w);
            if searcher.doc_freq(&whole)? == 0 {
                if let Some(p) = self.parts_phrase(f.body, w) {
                    either.push((Occur::Should, p));
                }
                if let Some(p) = self.parts_phrase(f.attachments, w) {
                    either.push((Occur::Should, p));
                }
            }
            all.push((
                Occur::Must,
                Box::new(BooleanQuery::new(either)) as Box<dyn Query>,
            ));
            in_title.push((
                Occur::Must,
                Box::new(BooleanQuery::new(title)) as Box<dyn Query>,
            ));
        }
        let title_tier = ConstScoreQuery::new(Box::new(BooleanQuery::new(in_title)), TITLE_TIER);
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(all))),
            (Occur::Should, Box::new(title_tier)),
        ])))
    }

    /// The bigrams of a word of two or more characters, as a phrase on the title (finds any
    /// substring of a title, whatever jieba made of it).
    fn bigram_phrase(&self, word: &str) -> Option<Box<dyn Query>> {
        let chars: Vec<char> = word.chars().collect();
        match chars.len() {
            0 | 1 => None,
            2 => Some(text_term(self.fields.title_bi, word)),
            _ => {
                let terms = chars
                    .windows(2)
                    .map(|p| {
                        Term::from_field_text(self.fields.title_bi, &p.iter().collect::<String>())
                    })
                    .collect();
                Some(Box::new(PhraseQuery::new(terms)))
            }
        }
    }

    fn parts_phrase(&self, field: Field, word: &str) -> Option<Box<dyn Query>> {
        let parts = self.segmenter.parts(word);
        if parts.len() < 2 {
            return None;
        }
        let terms = parts
            .iter()
            .map(|(at, p)| (*at, Term::from_field_text(field, p)))
            .collect();
        Some(Box::new(PhraseQuery::new_with_offset(terms)))
    }

    fn filters(&self, q: &SearchQuery) -> Result<Vec<Box<dyn Query>>, IndexError> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(o) = q.org_id {
            out.push(u64_term(f.org_path, to_u64(o)));
        }
        if let Some(t) = &q.topic {
            match t.len() {
                2 => out.push(term(f.topic1, t)),
                4 => out.push(term(f.topic, t)),
                _ => {
                    return Err(IndexError::Query(format!(
                        "主题分类代码 {t} 应为 2 位或 4 位"
                    )));
                }
            }
        }
        if let Some(k) = &q.kind {
            out.push(term(f.kind, k));
        }
        if let Some(y) = q.year {
            out.push(u64_term(f.year, u64::try_from(y).unwrap_or(0)));
        }
        if let Some(v) = &q.validity {
            out.push(term(f.validity, v));
        }
        Ok(out)
    }

    fn run(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        q: &SearchQuery,
        words: &[String],
        matched: Matched,
    ) -> Result<SearchResults, IndexError> {
        let top = TopDocs::with_limit(q.limit.max(1))
            .and_offset(q.offset)
            .tweak_score(|segment: &tantivy::SegmentReader| {
                let fast = segment.fast_fields();
                let rank = fast.u64("rank").ok().map(|c| by_doc(c, 0));
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let rank = rank.as_ref().map_or(0, |c| c.get_val(doc));
                    let (in_force, day) = (rank >> DAY_BITS, rank & DAY_MASK);
                    rank_key(score, in_force, day)
                }
            });
        let single = Executor::single_thread();
        let executor = if searcher.num_docs() >= PARALLEL_FROM_DOCS {
            &self.parallel
        } else {
            &single
        };
        let scoring = tantivy::query::EnableScoring::enabled_from_searcher(searcher);
        let (top, counts) =
            searcher.search_with_executor(query, &(top, FacetCollector), executor, scoring)?;
        let total = counts.total;
        let facets = facets(counts);
        let snippets = self.snippet_generators(words);
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            hits.push(self.hit(searcher, address, snippets.as_ref(), words, matched)?);
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            words: words.to_vec(),
        })
    }

    fn snippet_generators(&self, words: &[String]) -> Option<(SnippetGenerator, SnippetGenerator)> {
        if words.is_empty() {
            return None;
        }
        let terms: BTreeMap<String, f32> = words.iter().map(|w| (w.clone(), 1.0)).collect();
        let analyzer = || TextAnalyzer::builder(self.segmenter.plain_tokenizer()).build();
        let body =
            SnippetGenerator::new(terms.clone(), analyzer(), self.fields.body, SNIPPET_BYTES);
        let title = SnippetGenerator::new(terms, analyzer(), self.fields.title, usize::MAX / 2);
        Some((title, body))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        snippets: Option<&(SnippetGenerator, SnippetGenerator)>,
        words: &[String],
        matched: Matched,
    ) -> Result<Hit, IndexError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let number =
            |field: Field| -> u64 { doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) };
        let title = text(f.title);
        let body = text(f.body);
        let (title_html, snippet, snippet_html) = match snippets {
            Some((t, b)) => {
                // The highlighter segments all the text it is given: a law of 50 KB took
                // milliseconds per hit. It gets the stretch around the first match.
                let s = b.snippet(around_first(&body, words));
                let (plain, html) = if s.is_empty() {
                    lead(&body)
                } else {
                    (
                        s.fragment().to_owned(),
                        marked(s.fragment(), s.highlighted()),
                    )
                };
                let ts = t.snippet(&title);
                let title_html = if ts.is_empty() {
                    escape(&title)
                } else {
                    marked(ts.fragment(), ts.highlighted())
                };
                (title_html, plain, html)
            }
            None => {
                let (plain, html) = lead(&body);
                (escape(&title), plain, html)
            }
        };
        let optional = |s: String| (!s.is_empty()).then_some(s);
        Ok(Hit {
            id: i64::try_from(number(f.id)).unwrap_or(0),
            title,
            title_html,
            doc_number: optional(text(f.docno)),
            index_number: optional(text(f.index_number)),
            org_id: i64::try_from(number(f.org)).unwrap_or(0),
            org_code: text(f.org_code),
            org_name: text(f.org_name),
            kind: text(f.kind),
            validity: text(f.validity),
            published_date: date_of_day(number(f.day)),
            snippet,
            snippet_html,
            matched,
        })
    }
}

fn busy(e: tantivy::TantivyError) -> IndexError {
    match e {
        tantivy::TantivyError::LockFailure(..) => IndexError::Busy,
        e => IndexError::Tantivy(e),
    }
}

type WriterGuard<'a> = std::sync::MutexGuard<'a, Option<IndexWriter>>;

fn writer_of<'a>(guard: &'a mut WriterGuard<'_>) -> Result<&'a mut IndexWriter, IndexError> {
    guard
        .as_mut()
        .ok_or_else(|| IndexError::Query("index writer not open".into()))
}

fn with_filters(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    for f in filters {
        clauses.push((Occur::Must, f.box_clone()));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn text_term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

fn u64_term(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value),
        IndexRecordOption::Basic,
    ))
}

fn boost(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, by))
}

fn to_u64(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// The order of hits: a title holding every word, then in force, then relevance in steps
/// of about a tenth (BM25 differences smaller than that are noise between, say, the yearly
/// plans of one office), then the newest. The step is the float's exponent and its top
/// three mantissa bits: a shift, where a logarithm on every hit of a common word would cost
/// milliseconds.
fn rank_key(score: tantivy::Score, in_force: u64, day: u64) -> f64 {
    let (tier, relevance) = if score >= TITLE_TIER {
        (f64::from(TITLE_TIER), score - TITLE_TIER)
    } else {
        (0.0, score)
    };
    // 1.0 is 0x3F80_0000: its step is 1016; steps below 1.0 count as 0.
    let step = (relevance.max(0.0).to_bits() >> 20).saturating_sub(1016);
    tier + IN_FORCE * in_force as f64 + f64::from(step) + day as f64 * 1e-6
}

/// Bits of a day number in `rank`: enough until the year 4670.
const DAY_BITS: u32 = 20;
const DAY_MASK: u64 = (1 << DAY_BITS) - 1;

/// Julian day of 1800-01-01, from which days are counted: the corpus holds laws of the
/// 1950s, which days since 1970 could not hold.
const DAY_EPOCH: i32 = 2_378_497;

/// Days since 1800-01-01.
fn day_number(d: Date) -> u64 {
    u64::try_from(d.to_julian_day() - DAY_EPOCH).unwrap_or(0)
}

fn date_of_day(day: u64) -> Date {
    i32::try_from(day)
        .ok()
        .and_then(|d| Date::from_julian_day(DAY_EPOCH + d).ok())
        .unwrap_or(Date::MIN)
}

/// 索引号 shapes: letters, digits and separators, with a digit, at least 8 long
/// (`GL00101-0201-2021-00002`, `000014349/2021-00123`).
fn looks_like_index_number(s: &str) -> bool {
    s.len() >= 8
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c == '-' || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
}

/// Threads a search runs on: one per core, at most four.
fn search_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// The segments in `n` groups of about equal document counts (largest first, each to the
/// lightest group), to merge into `n` segments.
fn balanced_groups(
    mut metas: Vec<tantivy::index::SegmentMeta>,
    n: usize,
) -> Vec<Vec<tantivy::index::SegmentId>> {
    metas.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
    let mut groups: Vec<(u64, Vec<tantivy::index::SegmentId>)> = vec![(0, Vec::new()); n.max(1)];
    for meta in metas {
        if let Some(lightest) = groups.iter_mut().min_by_key(|g| g.0) {
            lightest.0 += u64::from(meta.num_docs());
            lightest.1.push(meta.id());
        }
    }
    groups
        .into_iter()
        .map(|g| g.1)
        .filter(|g| !g.is_empty())
        .collect()
}

/// Facet counts in the order pages show them: most hits first (years newest first).
fn facets(counts: FacetCounts) -> Facets {
    fn by_count<K: Ord>(map: HashMap<K, u64>) -> Vec<(K, u64)> {
        let mut v: Vec<(K, u64)> = map.into_iter().collect();
        v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
    let mut year: Vec<(i32, u64)> = counts
        .year
        .into_iter()
        .filter_map(|(y, n)| i32::try_from(y).ok().map(|y| (y, n)))
        .collect();
    year.sort_unstable_by_key(|y| std::cmp::Reverse(y.0));
    Facets {
        org: by_count(counts.org)
            .into_iter()
            .filter_map(|(o, n)| i64::try_from(o).ok().map(|o| (o, n)))
            .collect(),
        topic: by_count(counts.topic),
        kind: by_count(counts.kind),
        year,
        validity: by_count(counts.validity),
    }
}

/// The part of `text` from half a snippet before the first of `words` to a snippet and a
/// half after it (the start of the text when none is found as written).
fn around_first<'a>(text: &'a str, words: &[String]) -> &'a str {
    let at = words
        .iter()
        .filter_map(|w| text.find(w.as_str()))
        .min()
        .unwrap_or(0);
    let mut start = at.saturating_sub(SNIPPET_BYTES / 2);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + SNIPPET_BYTES * 3 / 2).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// The first characters of a body, when no word matched in it.
fn lead(body: &str) -> (String, String) {
    let end = body
        .char_indices()
        .nth(SNIPPET_BYTES / 3)
        .map_or(body.len(), |(i, _)| i);
    let plain = body[..end].to_owned();
    let html = escape(&plain);
    (plain, html)
}

/// `text` as HTML with the byte ranges in `<mark>`.
fn marked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    let mut sorted: Vec<&std::ops::Range<usize>> = ranges.iter().collect();
    sorted.sort_by_key(|r| r.start);
    for r in sorted {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[r.start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Organization ids → hit counts, summed up the tree: each organization counts its own hits
/// and those of every unit under it. `parent_of` gives an organization's parent.
pub fn subtree_counts(
    own: &[(i64, u64)],
    parent_of: &HashMap<i64, Option<i64>>,
) -> HashMap<i64, u64> {
    let mut out: HashMap<i64, u64> = HashMap::new();
    for (org, n) in own {
        let mut at = Some(*org);
        let mut steps = 0;
        while let Some(o) = at {
            *out.entry(o).or_default() += n;
            at = parent_of.get(&o).copied().flatten();
            steps += 1;
            if steps > 64 {
                break;
            }
        }
    }
    out
}
