//! Published documents: index numbers are assigned in file order per organization and year.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use gongkai_domain::disclosure::Attribute;
use gongkai_domain::{ColumnPath, DocStatus, LineProblem, ValidDocument, validate_line};
use gongkai_store::orgs::Org;
use gongkai_store::{Tx, columns, documents};

use super::{Checker, ImportOptions, ImportReport, Kind, Pending, Valid, org};
use crate::{App, Result};

/// Imports documents from JSON Lines. `progress` is called with the bytes read so far.
pub async fn import_documents<R: BufRead>(
    app: &App,
    reader: R,
    opts: ImportOptions,
    progress: impl FnMut(u64),
) -> Result<ImportReport> {
    let mut kind = Documents::default();
    kind.reload(app).await?;
    super::run(app, kind, reader, opts, progress).await
}

/// A document line: the record and its sanitized HTML body, prepared with the check.
pub(crate) struct Line {
    doc: ValidDocument,
    body: String,
}

#[derive(Default)]
struct Documents {
    /// Column ids by organization and path.
    columns: HashMap<(i64, String), i64>,
}

impl Kind for Documents {
    type Item = Box<Line>;
    const NAME: &'static str = "documents";
    const BATCH: usize = 4000;

    fn checker(&self) -> Checker<Self::Item> {
        Arc::new(|raw| {
            let (doc, warnings) = validate_line(raw)?;
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
            Ok(Valid::new(Box::new(Line { doc, body }), warnings))
        })
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
            rows.push(crate::documents::new_row_with_body(
                &p.item.doc,
                org(orgs, p.item.doc.org.as_str())?,
                column_ids[i],
                DocStatus::Published,
                numbers[i].take(),
                p.item.body.clone(),
            ));
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
