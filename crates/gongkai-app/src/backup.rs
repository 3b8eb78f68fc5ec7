//! `gongkai backup FILE` and `gongkai restore FILE` (C9): one ZIP file holding a consistent
//! copy of the database (SQLite: `VACUUM INTO` while the server runs; PostgreSQL: `pg_dump`,
//! which reads one snapshot), the stored files, and a manifest with the row count of every
//! table. A restore goes into an empty data directory (and, for PostgreSQL, an empty
//! database), then opens it and checks every table's count against the manifest.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai_store::{Backend, private_fs};
use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::{App, Error, Result, Settings};

/// The manifest's name in the archive.
const MANIFEST: &str = "manifest.json";
/// The SQLite database's name in the archive.
const SQLITE_ENTRY: &str = "gongkai.db";
/// The PostgreSQL dump's name in the archive (`pg_dump --format=custom`).
const PG_ENTRY: &str = "postgres.dump";
/// This format's version.
const FORMAT: u32 = 1;

/// What a backup holds, written first into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version.
    pub format: u32,
    /// The program version that took it.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When, UTC, RFC 3339.
    pub taken_at: String,
    /// Rows of every table at the snapshot.
    pub tables: Vec<(String, i64)>,
    /// Stored files included.
    pub files: usize,
}

/// Takes a backup of `app` (whose database is `database_url`, needed by `pg_dump`) into `out`,
/// created 0600. Returns its manifest.
pub async fn backup(app: &App, database_url: Option<&str>, out: &Path) -> Result<Manifest> {
    if out.exists() {
        return Err(Error::Invalid(format!(
            "备份文件 {} 已存在：请换一个文件名，不会覆盖已有的备份",
            out.display()
        )));
    }
    let work = tempdir_beside(out)?;
    let backend = app.db().backend();
    let snapshot = work.join("snapshot");
    // The counts are those of the snapshot: read from the SQLite copy, or in the PostgreSQL
    // transaction whose snapshot pg_dump reads.
    let tables = match backend {
        Backend::Sqlite => {
            gongkai_store::backup::sqlite_snapshot(app.db(), &snapshot).await?;
            let copy =
                gongkai_store::Db::connect(&format!("sqlite:{}", snapshot.display())).await?;
            let counts = gongkai_store::backup::table_counts(&copy).await;
            copy.close().await;
            counts?
        }
        Backend::Postgres => {
            let url = database_url.ok_or_else(|| {
                Error::Invalid("PostgreSQL 的备份需要数据库地址（--database）".to_owned())
            })?;
            let mut held = gongkai_store::backup::PgSnapshot::open(app.db()).await?;
            let id = held.export().await?;
            let counts = held.table_counts().await?;
            let (url, snapshot) = (url.to_owned(), snapshot.clone());
            let dumped = tokio::task::spawn_blocking(move || {
                let at = format!("--snapshot={id}");
                pg_tool(
                    "pg_dump",
                    &["--format=custom", "--no-owner", &at, "--file"],
                    &snapshot,
                    &url,
                )
            })
            .await
            .map_err(|e| Error::internal(format!("pg_dump: {e}")));
            held.close().await?;
            dumped??;
            counts
        }
    };
    let files = stored_files(app.data_dir());
    let manifest = Manifest {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: backend.name().to_owned(),
        taken_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        tables,
        files: files.len(),
    };
    let entry = match backend {
        Backend::Sqlite => SQLITE_ENTRY,
        Backend::Postgres => PG_ENTRY,
    };
    let written = {
        let manifest = manifest.clone();
        let (out, data_dir) = (out.to_owned(), app.data_dir().to_owned());
        let part = work.join("backup.zip");
        tokio::task::spawn_blocking(move || {
            write_archive(&part, &manifest, entry, &snapshot, &data_dir, &files)?;
            std::fs::rename(&part, &out).map_err(|e| io("写入备份文件", &out, &e))
        })
        .await
        .map_err(|e| Error::internal(format!("backup: {e}")))?
    };
    let _ = std::fs::remove_dir_all(&work);
    written?;
    Ok(manifest)
}

/// Restores `file` into the empty `data_dir` (and the empty PostgreSQL database at
/// `database_url`, for a PostgreSQL backup), then opens it and checks every table's rows.
pub async fn restore(
    file: &Path,
    data_dir: &Path,
    database_url: Option<&str>,
    settings: Settings,
) -> Result<(Manifest, App)> {
    let mut archive = open_archive(file)?;
    let manifest: Manifest = {
        let entry = archive.by_name(MANIFEST).map_err(|_| {
            Error::Invalid(format!(
                "{} 不是 Gongkai 的备份文件（缺少 {MANIFEST}）",
                file.display()
            ))
        })?;
        serde_json::from_reader(entry)
            .map_err(|e| Error::Invalid(format!("备份文件的 {MANIFEST} 无法读取：{e}")))?
    };
    if manifest.format != FORMAT {
        return Err(Error::Invalid(format!(
            "备份格式 {} 不受支持（本程序读取格式 {FORMAT}）",
            manifest.format
        )));
    }
    let target_pg = database_url.is_some_and(|u| u.starts_with("postgres"));
    match (manifest.backend.as_str(), target_pg) {
        ("sqlite", false) | ("postgres", true) => {}
        (from, _) => {
            return Err(Error::Invalid(format!(
                "这是 {from} 的备份，不能恢复到{}：请用与备份时相同的数据库",
                if target_pg { " PostgreSQL" } else { " SQLite" }
            )));
        }
    }
    if data_dir.exists() {
        let mut entries =
            std::fs::read_dir(data_dir).map_err(|e| io("读取数据目录", data_dir, &e))?;
        if entries.any(|e| e.is_ok_and(|e| e.file_name() != "gongkai.toml")) {
            return Err(Error::Invalid(format!(
                "数据目录 {} 不是空的：恢复只写入空目录，以免覆盖现有数据",
                data_dir.display()
            )));
        }
    }
    private_fs::create_dir(data_dir).map_err(|e| io("创建数据目录", data_dir, &e))?;
    let sqlite_path = match database_url {
        Some(_) if target_pg => None,
        Some(u) => Some(PathBuf::from(
            u.trim_start_matches("sqlite:").trim_start_matches("//"),
        )),
        None => Some(data_dir.join("gongkai.db")),
    };
    {
        let (data_dir, sqlite_path) = (data_dir.to_owned(), sqlite_path.clone());
        let file = file.to_owned();
        tokio::task::spawn_blocking(move || extract(&file, &data_dir, sqlite_path.as_deref()))
            .await
            .map_err(|e| Error::internal(format!("restore: {e}")))??;
    }
    if let (true, Some(url)) = (target_pg, database_url) {
        let db = gongkai_store::Db::connect(url).await?;
        let existing = gongkai_store::backup::tables(&db).await?;
        db.close().await;
        if !existing.is_empty() {
            return Err(Error::Invalid(
                "目标 PostgreSQL 数据库不是空的：恢复只写入没有任何表的数据库".to_owned(),
            ));
        }
        let dump = data_dir.join(PG_ENTRY);
        let restored = pg_tool(
            "pg_restore",
            &["--no-owner", "--exit-on-error", "--single-transaction"],
            &dump,
            url,
        );
        let _ = std::fs::remove_file(&dump);
        restored?;
    }
    let app = App::open(data_dir, database_url, settings).await?;
    // A newer program migrates on open, which may add rows of its own; the records of the
    // backup must all be there.
    let now = gongkai_store::backup::table_counts(app.db()).await?;
    for (table, rows) in &manifest.tables {
        let found = now.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n);
        if found < *rows {
            return Err(Error::internal(format!(
                "restore check: table {table} has {found} rows, the backup {rows}"
            )));
        }
    }
    let missing: Vec<String> = gongkai_store::backup::attachment_files(app.db())
        .await?
        .into_iter()
        .filter(|sha| !crate::files::path_of_sha(data_dir, sha).exists())
        .collect();
    if !missing.is_empty() {
        return Err(Error::internal(format!(
            "restore check: {} attached files are not in the backup (first {})",
            missing.len(),
            missing[0]
        )));
    }
    Ok((manifest, app))
}

/// Every stored file, as paths relative to the data directory.
fn stored_files(data_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = data_dir.join("files");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    for dir in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten() {
            let path = f.path();
            // A `.part` is a file being written; its attachment is not committed yet.
            if path.extension().is_none_or(|e| e != "part")
                && let Ok(rel) = path.strip_prefix(data_dir)
            {
                out.push(rel.to_owned());
            }
        }
    }
    out.sort();
    out
}

fn write_archive(
    path: &Path,
    manifest: &Manifest,
    entry: &str,
    snapshot: &Path,
    data_dir: &Path,
    files: &[PathBuf],
) -> Result<()> {
    let file = private_fs::create_file(path).map_err(|e| io("创建备份文件", path, &e))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    let err = |e: zip::result::ZipError| Error::internal(format!("backup archive: {e}"));
    zip.start_file(MANIFEST, deflated).map_err(err)?;
    let text = serde_json::to_vec_pretty(manifest).map_err(|e| Error::internal(e.to_string()))?;
    zip.write_all(&text)
        .map_err(|e| io("写入备份文件", path, &e))?;
    zip.start_file(entry, deflated).map_err(err)?;
    let mut db = File::open(snapshot).map_err(|e| io("读取数据库快照", snapshot, &e))?;
    std::io::copy(&mut db, &mut zip).map_err(|e| io("写入备份文件", path, &e))?;
    for rel in files {
        // A file purged after the snapshot is no longer needed by it.
        let Ok(mut f) = File::open(data_dir.join(rel)) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        zip.start_file(name, deflated).map_err(err)?;
        std::io::copy(&mut f, &mut zip).map_err(|e| io("写入备份文件", path, &e))?;
    }
    let mut inner = zip.finish().map_err(err)?;
    inner.flush().map_err(|e| io("写入备份文件", path, &e))?;
    inner
        .into_inner()
        .map_err(|e| Error::internal(format!("backup: {e}")))?
        .sync_all()
        .map_err(|e| io("写入备份文件", path, &e))
}

fn open_archive(file: &Path) -> Result<ZipArchive<BufReader<File>>> {
    let f = File::open(file).map_err(|e| io("打开备份文件", file, &e))?;
    ZipArchive::new(BufReader::new(f))
        .map_err(|e| Error::Invalid(format!("{} 不是有效的备份文件：{e}", file.display())))
}

/// Writes the database and the files of the archive into `data_dir`, every file 0600.
fn extract(file: &Path, data_dir: &Path, sqlite_path: Option<&Path>) -> Result<()> {
    let mut archive = open_archive(file)?;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| Error::Invalid(format!("备份文件已损坏：{e}")))?;
        let name = entry.name().to_owned();
        let target = match name.as_str() {
            MANIFEST => continue,
            SQLITE_ENTRY => match sqlite_path {
                Some(p) => p.to_owned(),
                None => continue,
            },
            PG_ENTRY => data_dir.join(PG_ENTRY),
            other => {
                // Only files/xx/sha: nothing may land outside the data directory.
                let parts: Vec<&str> = other.split('/').collect();
                let safe = parts.len() == 3
                    && parts[0] == "files"
                    && parts[1..]
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_hexdigit()));
                if !safe {
                    return Err(Error::Invalid(format!("备份文件中有不应有的条目 {other}")));
                }
                data_dir.join(other)
            }
        };
        if let Some(dir) = target.parent() {
            private_fs::create_dir(dir).map_err(|e| io("创建目录", dir, &e))?;
        }
        let mut out = private_fs::create_file(&target).map_err(|e| io("写入", &target, &e))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| Error::Invalid(format!("备份文件已损坏（{name}）：{e}")))?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .map_err(|e| io("写入", &target, &e))?;
        }
        out.sync_all().map_err(|e| io("写入", &target, &e))?;
    }
    Ok(())
}

/// Runs `pg_dump` or `pg_restore` on `file` against `url`, with a clear message when the tool
/// is missing.
fn pg_tool(tool: &str, args: &[&str], file: &Path, url: &str) -> Result<()> {
    let mut cmd = Command::new(tool);
    cmd.args(args);
    if tool == "pg_dump" {
        cmd.arg(file).arg("--dbname").arg(url);
    } else {
        cmd.arg("--dbname").arg(url).arg(file);
    }
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Invalid(format!(
                "找不到 {tool}：PostgreSQL 的备份和恢复需要它（Debian：apt-get install postgresql-client）"
            ))
        } else {
            Error::internal(format!("{tool}: {e}"))
        }
    })?;
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr);
        return Err(Error::internal(format!("{tool} failed: {}", reason.trim())));
    }
    Ok(())
}

/// A fresh working directory beside `out`, so the finished archive is renamed into place.
fn tempdir_beside(out: &Path) -> Result<PathBuf> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = format!(
        ".gongkai-backup-{}-{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    );
    let dir = parent.join(name);
    private_fs::create_dir(&dir).map_err(|e| io("创建临时目录", &dir, &e))?;
    Ok(dir)
}

fn io(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::Invalid(format!("{what} {} 失败：{e}", path.display()))
}
