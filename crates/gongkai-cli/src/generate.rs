//! `gongkai generate --records N [--orgs 500] [--seed 1] --out FILE.jsonl`: benchmark data.
//! Creates the organization tree of the fictional 示范市 in the database (codes that exist
//! are left alone) and writes N document import lines over it (`gongkai_app::generate`).
//! The same seed and sizes give the same file.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

use gongkai_app::generate::{self, CITY, MAX_ORGS};

use crate::config::Config;
use crate::error::{io_reason, user};
use crate::progress;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Document records to write.
    pub records: u64,
    /// Organizations in the tree.
    pub orgs: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// Creates the organizations, then writes the records to `out`.
pub async fn run(config: &Config, sizes: Sizes, out: &Path) -> anyhow::Result<()> {
    if sizes.records == 0 {
        return Err(user("--records 须是正整数：要生成多少条记录？"));
    }
    if sizes.orgs == 0 || sizes.orgs > MAX_ORGS {
        return Err(user(format!(
            "--orgs 须在 1 到 {MAX_ORGS} 之间，而不是 {}",
            sizes.orgs
        )));
    }
    let tree = generate::city(sizes.orgs, sizes.seed)?;
    // The file first: a path that cannot be written should not cost the organizations' time.
    let file = File::create(out)
        .map_err(|e| user(format!("无法写入文件 {}：{}", out.display(), io_reason(&e))))?;

    let app = crate::open(config).await?;
    let started = Instant::now();
    let mut stages = progress::Stages::new();
    let created = generate::create_orgs(&app, &tree, |done, total| {
        stages.update("创建机构", done, total)
    })
    .await;
    let created = match created {
        Ok(created) => created,
        Err(e) => {
            stages.finish();
            return Err(e.into());
        }
    };
    let orgs_time = started.elapsed();

    let started = Instant::now();
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let records = sizes.records;
    let written = generate::write_documents(&mut writer, &tree, records, sizes.seed, |done, _| {
        stages.update("生成记录", done, records)
    });
    stages.finish();
    let bytes =
        written.map_err(|e| user(format!("无法写入文件 {}：{}", out.display(), io_reason(&e))))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "机构：{CITY}共 {} 个，新建 {} 个，已有 {} 个（{:.1} 秒）",
        tree.len(),
        created.created,
        created.existing,
        orgs_time.as_secs_f64()
    );
    println!(
        "写出 {records} 条记录到 {}：{:.1} MB，用时 {seconds:.1} 秒（{:.0} MB/s）",
        out.display(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    Ok(())
}
