//! The total and the facet counts over every hit, read from the fast fields' columns.
//!
//! tantivy's terms aggregation does the same through its general aggregation machinery;
//! for the five small facets of a search this collector counts into arrays indexed by
//! value (organization id, year) or term ordinal (topic, kind, validity), reading the
//! columns a block of documents at a time, and turns ordinals into strings once per
//! segment. At a million records a common word has hundreds of thousands of hits, every
//! one of them counted.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, ColumnValues, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Documents read from the columns at once.
const BLOCK: usize = 64;
/// Widest value range counted in an array; wider ones go to a map.
const DENSE_SPAN: u64 = 1 << 20;

/// A column's value for each document: the stored values themselves when every document
/// has one (no per-document index lookup), else the first value or `missing`.
pub(crate) fn by_doc(column: Column<u64>, missing: u64) -> Arc<dyn ColumnValues<u64>> {
    match column.index {
        ColumnIndex::Full => column.values,
        _ => column.first_or_default_col(missing),
    }
}

/// Counts per value of each facet field, and the hits in all.
#[derive(Debug, Default)]
pub(crate) struct FacetCounts {
    pub total: usize,
    pub org: HashMap<u64, u64>,
    pub year: HashMap<u64, u64>,
    pub topic: HashMap<String, u64>,
    pub kind: HashMap<String, u64>,
    pub validity: HashMap<String, u64>,
}

/// Collects [`FacetCounts`] from the numeric fast fields `org` and `year` and the string
/// fast fields `topic1`, `kind` and `validity`.
pub(crate) struct FacetCollector;

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        let strings = |name: &str| -> tantivy::Result<Option<StrColumn>> { fast.str(name) };
        let topic = strings("topic1")?;
        let kind = strings("kind")?;
        let validity = strings("validity")?;
        let ords = |c: &Option<StrColumn>| c.as_ref().map(|c| c.ords().clone());
        Ok(SegmentFacets {
            total: 0,
            block: Vec::with_capacity(BLOCK),
            values: vec![0; BLOCK],
            tallies: [
                Tally::new(Some(fast.u64("org")?)),
                Tally::new(Some(fast.u64("year")?)),
                Tally::new(ords(&topic)),
                Tally::new(ords(&kind)),
                Tally::new(ords(&validity)),
            ],
            dictionaries: [topic, kind, validity],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut all = FacetCounts::default();
        for fruit in fruits {
            all.total += fruit.total;
            add(&mut all.org, fruit.org);
            add(&mut all.year, fruit.year);
            add(&mut all.topic, fruit.topic);
            add(&mut all.kind, fruit.kind);
            add(&mut all.validity, fruit.validity);
        }
        Ok(all)
    }
}

fn add<K: std::hash::Hash + Eq>(into: &mut HashMap<K, u64>, from: HashMap<K, u64>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

/// The counts of one segment.
pub(crate) struct SegmentFacets {
    total: usize,
    block: Vec<DocId>,
    values: Vec<u64>,
    /// org, year, topic ordinal, kind ordinal, validity ordinal.
    tallies: [Tally; 5],
    /// The dictionaries of topic, kind and validity.
    dictionaries: [Option<StrColumn>; 3],
}

impl SegmentFacets {
    fn flush(&mut self) {
        let docs = &self.block[..];
        let values = &mut self.values[..docs.len()];
        for tally in &mut self.tallies {
            tally.count(docs, values);
        }
        self.block.clear();
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        self.block.push(doc);
        if self.block.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> FacetCounts {
        self.flush();
        let [org, year, topic, kind, validity] = self.tallies;
        let [topic_dict, kind_dict, validity_dict] = self.dictionaries;
        FacetCounts {
            total: self.total,
            org: org.into_counts(),
            year: year.into_counts(),
            topic: named(topic.into_counts(), topic_dict.as_ref()),
            kind: named(kind.into_counts(), kind_dict.as_ref()),
            validity: named(validity.into_counts(), validity_dict.as_ref()),
        }
    }
}

/// Ordinal counts as term counts.
fn named(counts: HashMap<u64, u64>, dictionary: Option<&StrColumn>) -> HashMap<String, u64> {
    let Some(dictionary) = dictionary else {
        return HashMap::new();
    };
    let mut out = HashMap::with_capacity(counts.len());
    let mut term = String::new();
    for (ord, n) in counts {
        term.clear();
        if matches!(dictionary.ord_to_str(ord, &mut term), Ok(true)) {
            *out.entry(term.clone()).or_default() += n;
        }
    }
    out
}

/// The counts of one column's values. A document without a value reads as `u64::MAX`,
/// which no array slot holds and the map skips.
enum Tally {
    Absent,
    Dense {
        values: Arc<dyn ColumnValues<u64>>,
        base: u64,
        counts: Vec<u64>,
    },
    Sparse {
        values: Arc<dyn ColumnValues<u64>>,
        counts: HashMap<u64, u64>,
    },
}

impl Tally {
    fn new(column: Option<Column<u64>>) -> Tally {
        let Some(column) = column else {
            return Tally::Absent;
        };
        if column.num_docs() == 0 || column.values.num_vals() == 0 {
            return Tally::Absent;
        }
        let (base, max) = (column.min_value(), column.max_value());
        let values = by_doc(column, u64::MAX);
        match max.checked_sub(base) {
            Some(span) if span < DENSE_SPAN => Tally::Dense {
                values,
                base,
                counts: vec![0; usize::try_from(span + 1).unwrap_or(0)],
            },
            _ => Tally::Sparse {
                values,
                counts: HashMap::new(),
            },
        }
    }

    fn count(&mut self, docs: &[DocId], buffer: &mut [u64]) {
        match self {
            Tally::Absent => {}
            Tally::Dense {
                values,
                base,
                counts,
            } => {
                values.get_vals(docs, buffer);
                for v in buffer.iter() {
                    if let Some(slot) = v
                        .checked_sub(*base)
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| counts.get_mut(i))
                    {
                        *slot += 1;
                    }
                }
            }
            Tally::Sparse { values, counts } => {
                values.get_vals(docs, buffer);
                for &v in buffer.iter().filter(|&&v| v != u64::MAX) {
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
    }

    fn into_counts(self) -> HashMap<u64, u64> {
        match self {
            Tally::Absent => HashMap::new(),
            Tally::Dense { base, counts, .. } => counts
                .into_iter()
                .zip(base..)
                .filter(|(n, _)| *n > 0)
                .map(|(n, v)| (v, n))
                .collect(),
            Tally::Sparse { counts, .. } => counts,
        }
    }
}
