//! Published documents: index numbers are assigned in file order per organization and year.
//! A line whose record is there already (the same organization and import key: the file's
//! `external_id`, else 发文字号, 标题 and the two dates) is skipped, so a file imported again
//! after an interruption doubles nothing and uses no 索引号 twice.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use gongkai_domain::disclosure::Attribute;
use gongkai_domain::{Body, ColumnPath, DocStatus, LineProblem, ValidDocument, validate_line};
use gongkai_store::orgs::Org;
use gongkai_store::{Tx, columns, documents};
use sha2::{Digest, Sha256};

use super::{
    Checker, ImportLimits, ImportOptions, ImportProgress, ImportReport, Kind, Pending, Refusal,
    Valid, org,
};
use crate::{App, Result};

/// Imports documents from JSON Lines, telling `progress` how far it got.
pub async fn import_documents<R: BufRead>(
    app: &App,
    reader: R,
    opts: ImportOptions,
    progress: impl FnMut(ImportProgress),
) -> Result<ImportReport> {
    key_published(app).await?;
    let mut kind = Documents {
        max_body: ImportLimits::of(app).max_body_bytes,
        ..Documents::default()
    };
    kind.reload(app).await?;
    super::run(app, kind, reader, opts, progress).await
}

/// The import key of a record: a hash of [`ValidDocument::import_identity`] (the
/// organization is the index's other column).
pub fn import_key(identity: &str) -> String {
    let digest = Sha256::digest(identity.as_bytes());
    hex::encode(&digest[..16])
}

/// Gives every published record without an import key its key, so that a file imported
/// before keys existed (or records published on the platform) are recognized too. A record
/// whose key another already holds (a duplicate an older import made) gets a key of its own
/// that no line produces.
async fn key_published(app: &App) -> Result<()> {
    loop {
        let mut tx = app.db().begin().await?;
        let rows = documents::unkeyed(&mut tx, 5000).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut keys: Vec<(i64, i64, String)> = Vec::with_capacity(rows.len());
        for r in &rows {
            let identity = ValidDocument::identity_of(
                r.doc_number.as_deref(),
                &r.title,
                r.written_date,
                r.published_date.unwrap_or(r.written_date),
            );
            keys.push((r.id, r.org_id, import_key(&identity)));
        }
        let wanted: Vec<(i64, &str)> = keys.iter().map(|(_, o, k)| (*o, k.as_str())).collect();
        let mut taken = documents::with_import_keys(&mut tx, &wanted).await?;
        let mut set = Vec::with_capacity(keys.len());
        for (id, org_id, key) in keys {
            let key = match taken.entry((org_id, key.clone())) {
                std::collections::hash_map::Entry::Occupied(_) => {
                    format!("duplicate-of-existing-{id}")
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(None);
                    key
                }
            };
            set.push((id, key));
        }
        documents::set_import_keys(&mut tx, &set).await?;
        tx.commit().await?;
    }
}

/// A document line: the record, its sanitized HTML body prepared with the check, and its
/// import key.
pub(crate) struct Line {
    doc: ValidDocument,
    body: String,
    key: String,
}

#[derive(Default)]
struct Documents {
    /// Column ids by organization and path.
    columns: HashMap<(i64, String), i64>,
    /// The first line of each organization and key in the file, by a hash of both (16
    /// bytes a line, not two strings: a file holds millions).
    seen: HashMap<[u8; 16], usize>,
    /// The largest body accepted, in bytes.
    max_body: usize,
}

impl Kind for Documents {
    type Item = Box<Line>;
    const NAME: &'static str = "documents";
    const BATCH: usize = 4000;

    fn checker(&self) -> Checker<Self::Item> {
        let max_body = self.max_body;
        Arc::new(move |raw| {
            let (doc, warnings) = validate_line(raw)?;
            let (field, len) = match &doc.body {
                Body::Html(h) => ("body_html", h.len()),
                Body::Text(t) => ("body_text", t.len()),
            };
            if len > max_body {
                return Err(vec![LineProblem {
                    field,
                    message: format!(
                        "正文有 {} KB，超过上限 {} KB（设置 max_body_kb）",
                        len.div_ceil(1024),
                        max_body / 1024
                    ),
                }]);
            }
            // An import brings published records: only 主动公开 ones are.
            if doc.disclosure != Attribute::Proactive {
                return Err(vec![LineProblem {
                    field: "disclosure",
                    message: format!(
                        "公开属性为“{}”的信息不在平台发布，不能作为已发布信息导入",
                        doc.disclosure.label()
                    ),
                }]);
            }
            let body = crate::documents::prepared_body(&doc);
            let key = import_key(&doc.import_identity());
            Ok(Valid::new(Box::new(Line { doc, body, key }), warnings))
        })
    }

    fn accept(&mut self, line: usize, item: &Self::Item) -> Result<(), Refusal> {
        let mut hash = Sha256::new();
        hash.update(item.doc.org.as_str().as_bytes());
        hash.update([0x1f]);
        hash.update(item.key.as_bytes());
        let mut at = [0u8; 16];
        at.copy_from_slice(&hash.finalize()[..16]);
        if let Some(first) = self.seen.get(&at) {
            return Err(Refusal::Skip(format!(
                "与第 {first} 行是同一条信息（{}），跳过",
                same_by(&item.doc)
            )));
        }
        self.seen.insert(at, line);
        Ok(())
    }

    async fn screen(
        &mut self,
        tx: &mut Tx,
        orgs: &HashMap<String, Org>,
        batch: &[Pending<Self::Item>],
    ) -> Result<Vec<(usize, Refusal)>> {
        let wanted: Vec<(usize, i64, &str)> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let org = orgs.get(p.item.doc.org.as_str())?;
                Some((i, org.id, p.item.key.as_str()))
            })
            .collect();
        let keys: Vec<(i64, &str)> = wanted.iter().map(|(_, o, k)| (*o, *k)).collect();
        let found = documents::with_import_keys(tx, &keys).await?;
        Ok(wanted
            .into_iter()
            .filter_map(|(i, org_id, key)| {
                let number = found.get(&(org_id, key.to_owned()))?;
                let number = number.as_deref().unwrap_or("无");
                let why = format!(
                    "已导入过（{}，索引号 {number}），跳过",
                    same_by(&batch[i].item.doc)
                );
                Some((i, Refusal::Skip(why)))
            })
            .collect())
    }

    fn org_code(item: &Self::Item) -> &str {
        item.doc.org.as_str()
    }

    /// The issuer, or its first organ when several issued jointly (最高人民法院、最高人民
    /// 检察院); the code when that is unusable.
    fn new_org_name(item: &Self::Item) -> String {
        item.doc
            .issuer
            .as_deref()
            .and_then(|i| i.split('、').next())
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().count() <= 100)
            .unwrap_or(item.doc.org.as_str())
            .to_owned()
    }

    async fn write(
        &mut self,
        app: &App,
        tx: &mut Tx,
        orgs: &HashMap<String, Org>,
        batch: &[Pending<Self::Item>],
    ) -> Result<()> {
        // Group by organization and year of publication, keeping file order in each group.
        let mut groups: Vec<((i64, i32), Vec<usize>)> = Vec::new();
        let mut column_ids = Vec::with_capacity(batch.len());
        for (i, p) in batch.iter().enumerate() {
            let org_id = org(orgs, p.item.doc.org.as_str())?.id;
            column_ids.push(self.column(tx, org_id, &p.item.doc.column).await?);
            let key = (org_id, p.item.doc.published_date.year());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        let mut numbers: Vec<Option<String>> = vec![None; batch.len()];
        for (_, idx) in &groups {
            let org = org(orgs, batch[idx[0]].item.doc.org.as_str())?;
            let items: Vec<(String, time::Date)> = idx
                .iter()
                .map(|&i| {
                    (
                        batch[i].item.doc.topic.code(),
                        batch[i].item.doc.published_date,
                    )
                })
                .collect();
            let got = crate::documents::allocate_index_numbers(tx, org, &items).await?;
            for (&i, n) in idx.iter().zip(got) {
                numbers[i] = Some(n);
            }
        }
        let mut rows = Vec::with_capacity(batch.len());
        for (i, p) in batch.iter().enumerate() {
            let mut row = crate::documents::new_row_with_body(
                &p.item.doc,
                org(orgs, p.item.doc.org.as_str())?,
                column_ids[i],
                DocStatus::Published,
                numbers[i].take(),
                p.item.body.clone(),
            );
            row.import_key = Some(p.item.key.clone());
            rows.push(row);
        }
        documents::insert_many(tx, &rows, app.now()).await?;
        Ok(())
    }

    async fn reload(&mut self, app: &App) -> Result<()> {
        let mut c = app.db().conn().await?;
        self.columns = columns::all(&mut c)
            .await?
            .into_iter()
            .map(|col| ((col.org_id, col.path), col.id))
            .collect();
        Ok(())
    }
}

/// What made two lines the same record, for the report.
fn same_by(doc: &ValidDocument) -> String {
    match &doc.external_id {
        Some(id) => format!("external_id {id}"),
        None => "发文字号、标题、成文日期、发布日期相同".to_owned(),
    }
}

impl Documents {
    async fn column(&mut self, tx: &mut Tx, org_id: i64, path: &ColumnPath) -> Result<i64> {
        let key = (org_id, path.to_string());
        if let Some(id) = self.columns.get(&key) {
            return Ok(*id);
        }
        let id = crate::documents::ensure_column(tx, org_id, path).await?;
        self.columns.insert(key, id);
        Ok(id)
    }
}
