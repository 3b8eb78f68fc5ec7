//! `gongkai backup` while records are being written, restored elsewhere: every record of the
//! snapshot comes back as it was, with its files, and nothing half-written.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use gongkai_app::import::{ImportOptions, import_documents};
use gongkai_testkit::builders::{DocLine, jsonl, org_tree};
use serde_json::Value;

/// Every record exported, by 索引号, as its JSON line.
async fn records(app: &gongkai_app::App) -> HashMap<String, Value> {
    crate::exported(app)
        .await
        .into_iter()
        .map(|v| (v["index_number"].as_str().unwrap().to_owned(), v))
        .collect()
}

fn doc(i: usize) -> DocLine {
    DocLine::new()
        .title(&format!("关于第{i}项工作的通知"))
        .set("doc_number", &format!("鼓政办〔2021〕{}号", i + 1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_every_record() {
    let t = gongkai_testkit::sqlite().await;
    let a = gongkai_testkit::app(&t);
    org_tree(&a).await;
    let first: Vec<DocLine> = (0..300).map(doc).collect();
    import_documents(
        &a,
        Cursor::new(jsonl(&first)),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    // An attachment, so the files travel too.
    let id = gongkai_store::documents::by_ids(&mut a.db().conn().await.unwrap(), &[1])
        .await
        .unwrap()[0]
        .id;
    gongkai_app::files::attach(
        &a,
        gongkai_app::documents::Actor::System,
        id,
        "附件.txt",
        "附件内容".as_bytes().to_vec(),
    )
    .await
    .unwrap();

    // Writers keep importing, one record per transaction, while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (a, stop) = (a.clone(), stop.clone());
        tokio::spawn(async move {
            let mut i = 300;
            while !stop.load(Ordering::Relaxed) {
                let line = jsonl(&[doc(i)]);
                import_documents(&a, Cursor::new(line), ImportOptions::default(), |_| {})
                    .await
                    .unwrap();
                i += 1;
            }
            i - 300
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.zip");
    let manifest = gongkai_app::backup::backup(&a, None, &file).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0, "records were written during the backup");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let target = dir.path().join("restored");
    let (restored_manifest, b) =
        gongkai_app::backup::restore(&file, &target, None, gongkai_app::Settings::default())
            .await
            .unwrap();
    assert_eq!(restored_manifest, manifest);
    let source = records(&a).await;
    let copy = records(&b).await;
    let in_manifest = manifest
        .tables
        .iter()
        .find(|(t, _)| t == "documents")
        .unwrap()
        .1;
    assert_eq!(copy.len() as i64, in_manifest);
    assert!(
        copy.len() >= 300 && copy.len() < source.len(),
        "{} of {}",
        copy.len(),
        source.len()
    );
    for (number, record) in &copy {
        assert_eq!(Some(record), source.get(number), "{number}");
    }
    // The snapshot is a prefix of what was written: no record after a missing one.
    let mut serials: Vec<u32> = copy
        .keys()
        .map(|n| n.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    serials.sort_unstable();
    assert_eq!(serials, (1..=copy.len() as u32).collect::<Vec<_>>());
    // The attachment's bytes came along.
    let files = gongkai_store::backup::attachment_files(b.db())
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::read(gongkai_app::files::path_of_sha(&target, &files[0])).unwrap(),
        "附件内容".as_bytes()
    );
    // A second restore into the same directory is refused.
    let again =
        gongkai_app::backup::restore(&file, &target, None, gongkai_app::Settings::default()).await;
    assert!(again.unwrap_err().to_string().contains("不是空的"));
}
