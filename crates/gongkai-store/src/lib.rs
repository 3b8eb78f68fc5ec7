//! Every SQL statement of Gongkai, written once for SQLite and PostgreSQL.
//!
//! A store function takes `&mut impl Handle` (a pooled connection or a transaction) and
//! runs the same statement text on either database through [`dispatch!`]. The `app`
//! crate owns transactions: it begins one with [`Db::begin`], passes it down and
//! commits; nothing here commits.
//!
//! Rows carry the stable codes of the domain's vocabularies (`published`, `circular`,
//! `valid`) as text; `gongkai-app` turns them into domain enums. Dates and instants keep
//! their types on both databases.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

pub mod attachments;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod codes;
pub mod columns;
pub mod counters;
pub mod counts;
pub mod documents;
pub mod generation;
pub mod intake;
pub mod letters;
pub mod orgs;
pub mod outbox;
pub mod private_fs;
pub mod report_figures;
pub mod requests;
pub mod scan_keeps;
pub mod search_changes;
pub mod settings;
pub mod users;

/// Runs `$body` with `$c` bound to the raw connection of either database.
///
/// The body is compiled twice, once per driver, so each store function is written once.
#[macro_export]
macro_rules! dispatch {
    ($h:expr, $c:ident => $body:expr) => {
        match $crate::Handle::raw($h) {
            $crate::Raw::Sqlite($c) => $body,
            $crate::Raw::Pg($c) => $body,
        }
    };
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique or foreign-key constraint refused the write.
    #[error("constraint {constraint} refused the write")]
    Conflict {
        /// The constraint's name as the database reports it (may be empty on SQLite).
        constraint: String,
    },
    /// A stored value no longer parses as its domain type.
    #[error("stored value {value:?} of {field} is not valid")]
    Corrupt {
        /// Column name, or the vocabulary's name (`发布状态`) for a code column.
        field: &'static str,
        /// The value found.
        value: String,
    },
    /// The database URL is not one we understand.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    BadUrl(String),
    /// Any other database error.
    #[error(transparent)]
    Database(sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        // A code column that no longer names a value of its vocabulary.
        if let sqlx::Error::ColumnDecode { source, .. } = &e
            && let Some(unknown) = source.downcast_ref::<gongkai_domain::UnknownValue>()
        {
            return StoreError::Corrupt {
                field: unknown.what,
                value: unknown.value.clone(),
            };
        }
        if let sqlx::Error::Database(db) = &e
            && (db.is_unique_violation() || db.is_foreign_key_violation())
        {
            return StoreError::Conflict {
                constraint: db.constraint().unwrap_or_default().to_owned(),
            };
        }
        StoreError::Database(e)
    }
}

impl StoreError {
    /// Whether the database could not be reached (down, refused, timed out, bad TLS).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::Configuration(_)
            )
        )
    }
}

/// Result of a store function.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite, one file in the data directory.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// Name for logs and test output.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection pool on either database, with what this process knows of the public
/// generation (see [`generation`]).
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    public: Arc<PublicState>,
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// The newest public generation this process has seen, and when it changed (Unix seconds).
/// Only ever moves forward.
#[derive(Debug, Default)]
pub struct PublicState {
    generation: AtomicI64,
    changed_at: AtomicI64,
}

impl PublicState {
    /// The newest generation seen.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::Acquire)
    }

    /// When the newest generation seen began (Unix seconds).
    pub fn changed_at(&self) -> i64 {
        self.changed_at.load(Ordering::Acquire)
    }

    /// Records a generation read from or committed to the database.
    pub fn saw(&self, generation: i64, changed_at: i64) {
        // changed_at first, so a reader that sees the new generation sees its time too.
        if generation >= self.generation.load(Ordering::Acquire) {
            self.changed_at.fetch_max(changed_at, Ordering::AcqRel);
        }
        self.generation.fetch_max(generation, Ordering::AcqRel);
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Db {
    /// Opens `url`: `sqlite:PATH` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            if !path.starts_with(":memory:") && !path.contains("mode=memory") {
                private_fs::prepare_sqlite(std::path::Path::new(path))
                    .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
            }
            // 16 KB pages for a new file (an existing one keeps its size): a record with its
            // body is 2–4 KB, which left most of a 4 KB page empty (one record per page);
            // a 1,000,000-record import wrote 20 % fewer bytes, at 24 MB/s instead of 18.
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .page_size(16384)
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Db::new(Pool::Sqlite(pool)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Db::connect_pg(options).await
        } else {
            Err(StoreError::BadUrl(url.to_owned()))
        }
    }

    /// Opens PostgreSQL with explicit options (tests use a `search_path` per schema).
    pub async fn connect_pg(options: PgConnectOptions) -> Result<Db> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::new(Pool::Pg(pool)))
    }

    fn new(pool: Pool) -> Db {
        Db {
            pool,
            public: Arc::new(PublicState::default()),
        }
    }

    /// What this process knows of the public generation.
    pub fn public(&self) -> &PublicState {
        &self.public
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match &self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Pg(_) => Backend::Postgres,
        }
    }

    /// The pool's connections: open, idle, and the most it opens.
    pub fn pool_use(&self) -> (u32, usize, u32) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Pool::Pg(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        }
    }

    /// Applies the versioned migrations of `migrations/<backend>/` that are not applied yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Pool::Pg(p) => PG_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    /// Whether the database holds every migration this build ships, applied successfully:
    /// `Ok(false)` for an empty or older schema (no tables, or a migration missing), an error
    /// when the database cannot be reached.
    pub async fn schema_current(&self) -> Result<bool> {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success = TRUE";
        let applied: std::result::Result<Vec<(i64,)>, sqlx::Error> = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
            Pool::Pg(p) => sqlx::query_as(sql).fetch_all(p).await,
        };
        let applied: std::collections::HashSet<i64> = match applied {
            Ok(rows) => rows.into_iter().map(|(v,)| v).collect(),
            // No such table: nothing was ever migrated here.
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("42P01")
                    || e.message().contains("no such table") =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        };
        let shipped = match &self.pool {
            Pool::Sqlite(_) => &SQLITE_MIGRATOR,
            Pool::Pg(_) => &PG_MIGRATOR,
        };
        Ok(shipped.iter().all(|m| applied.contains(&m.version)))
    }

    /// Versions of the migrations shipped for each backend, for the test that they agree.
    pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
        (
            SQLITE_MIGRATOR.iter().map(|m| m.version).collect(),
            PG_MIGRATOR.iter().map(|m| m.version).collect(),
        )
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing on lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Pg(p) => TxInner::Pg(p.begin().await?),
        };
        Ok(Tx {
            inner,
            public: Arc::clone(&self.public),
            changed: None,
            savepoints: Vec::new(),
            restore: None,
        })
    }

    /// A pooled connection for reads outside a transaction.
    pub async fn conn(&self) -> Result<Conn> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => ConnInner::Sqlite(p.acquire().await?),
            Pool::Pg(p) => ConnInner::Pg(p.acquire().await?),
        };
        Ok(Conn {
            inner,
            public: Arc::clone(&self.public),
        })
    }

    /// Closes the pool.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Pg(p) => p.close().await,
        }
    }
}

/// A transaction on either database. A public change it made becomes known to this
/// process's [`PublicState`] when it commits, not before.
pub struct Tx {
    inner: TxInner,
    public: Arc<PublicState>,
    changed: Option<(i64, i64)>,
    /// `changed` as it was at each open savepoint, innermost last.
    savepoints: Vec<Option<(i64, i64)>>,
    /// Statements that give the connection back its settings before the end ([`bulk_write`]).
    /// The page cache shrinks once commit has written its dirty pages.
    restore: Option<String>,
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

impl Tx {
    /// Commits.
    pub async fn commit(mut self) -> Result<()> {
        self.restore_settings().await?;
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Pg(t) => t.commit().await?,
        }
        if let Some((generation, at)) = self.changed {
            self.public.saw(generation, at);
        }
        Ok(())
    }

    /// Rolls back (also what dropping does).
    pub async fn rollback(mut self) -> Result<()> {
        self.restore_settings().await?;
        match self.inner {
            TxInner::Sqlite(t) => t.rollback().await?,
            TxInner::Pg(t) => t.rollback().await?,
        }
        Ok(())
    }

    async fn restore_settings(&mut self) -> Result<()> {
        if let Some(sql) = self.restore.take() {
            dispatch!(self, c => { sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(c).await?; });
        }
        Ok(())
    }

    /// Opens a savepoint: what follows can be undone by [`Tx::rollback_to_savepoint`]
    /// while the transaction goes on. Savepoints nest.
    pub async fn savepoint(&mut self) -> Result<()> {
        dispatch!(self, c => { sqlx::raw_sql("SAVEPOINT tx_step").execute(c).await?; });
        self.savepoints.push(self.changed);
        Ok(())
    }

    /// Keeps what was done since the innermost savepoint and closes it.
    pub async fn release_savepoint(&mut self) -> Result<()> {
        dispatch!(self, c => { sqlx::raw_sql("RELEASE SAVEPOINT tx_step").execute(c).await?; });
        self.savepoints.pop();
        Ok(())
    }

    /// Undoes what was done since the innermost savepoint and closes it; on PostgreSQL this
    /// also clears the error state a failed statement left.
    pub async fn rollback_to_savepoint(&mut self) -> Result<()> {
        dispatch!(self, c => {
            sqlx::raw_sql("ROLLBACK TO SAVEPOINT tx_step; RELEASE SAVEPOINT tx_step")
                .execute(c)
                .await?;
        });
        // A generation bump undone with its change must not reach the cache at commit.
        if let Some(changed) = self.savepoints.pop() {
            self.changed = changed;
        }
        Ok(())
    }
}

/// A pooled connection on either database.
pub struct Conn {
    inner: ConnInner,
    public: Arc<PublicState>,
}

enum ConnInner {
    Sqlite(PoolConnection<Sqlite>),
    Pg(PoolConnection<Postgres>),
}

/// The raw connection a store function runs its statement on.
pub enum Raw<'c> {
    /// SQLite.
    Sqlite(&'c mut SqliteConnection),
    /// PostgreSQL.
    Pg(&'c mut PgConnection),
}

/// Something a store function can run statements on: a [`Tx`] or a [`Conn`].
pub trait Handle: Send {
    /// The raw connection.
    fn raw(&mut self) -> Raw<'_>;

    /// The public generation became `generation` at `changed_at` (Unix seconds) through a
    /// statement on this handle: known at once outside a transaction, at commit inside one.
    fn public_changed(&mut self, generation: i64, changed_at: i64);
}

impl Handle for Tx {
    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => Raw::Sqlite(t),
            TxInner::Pg(t) => Raw::Pg(t),
        }
    }

    fn public_changed(&mut self, generation: i64, changed_at: i64) {
        self.changed = Some((generation, changed_at));
    }
}

impl Handle for Conn {
    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            ConnInner::Sqlite(c) => Raw::Sqlite(c),
            ConnInner::Pg(c) => Raw::Pg(c),
        }
    }

    fn public_changed(&mut self, generation: i64, changed_at: i64) {
        self.public.saw(generation, changed_at);
    }
}

/// The current instant truncated to whole seconds, so both databases store the same value
/// (SQLite keeps 7 fractional digits, PostgreSQL microseconds).
pub fn truncate(t: time::OffsetDateTime) -> time::OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

pub(crate) fn corrupt(field: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        field,
        value: value.to_owned(),
    }
}

/// A value bound to a statement built at run time.
#[derive(Clone, Debug)]
pub enum Param {
    /// Text.
    Text(String),
    /// Integer.
    Int(i64),
}

/// The plan the database chooses for `sql` with `params`, one line per step:
/// `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL with sequential scans
/// discouraged, so that a small test table still shows whether an index *can* serve the
/// statement. Runs in a transaction that is rolled back.
pub async fn explain(db: &Db, sql: &str, params: &[Param]) -> Result<Vec<String>> {
    let mut tx = db.begin().await?;
    let lines = match tx.raw() {
        Raw::Sqlite(c) => {
            let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(format!(
                "EXPLAIN QUERY PLAN {sql}"
            )));
            for p in params {
                q = match p {
                    Param::Text(s) => q.bind(s.clone()),
                    Param::Int(i) => q.bind(*i),
                };
            }
            q.fetch_all(c).await?.into_iter().map(|r| r.3).collect()
        }
        Raw::Pg(c) => {
            sqlx::query("SET LOCAL enable_seqscan = off")
                .execute(&mut *c)
                .await?;
            let mut q =
                sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")));
            for p in params {
                q = match p {
                    Param::Text(s) => q.bind(s.clone()),
                    Param::Int(i) => q.bind(*i),
                };
            }
            q.fetch_all(c).await?.into_iter().map(|r| r.0).collect()
        }
    };
    tx.rollback().await?;
    Ok(lines)
}

/// Prepares a connection for a large write. SQLite's default page cache (2 MB) is far
/// smaller than what an import transaction dirties (every index page it touched, some
/// 300 MB at a million records), so it spilled pages to the WAL and wrote them again when
/// the next batch changed them; 256 MB holds them until commit. Checkpoints every 100 MB of
/// WAL instead of 4 MB copy a page changed by several commits once. The connection's own
/// settings come back just before the transaction ends: a pooled connection that kept 256 MB
/// would hold it for as long as the server runs.
pub async fn bulk_write(tx: &mut Tx) -> Result<()> {
    if let TxInner::Sqlite(c) = &mut tx.inner {
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut **c)
            .await?;
        let checkpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut **c)
            .await?;
        sqlx::raw_sql("PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 25600")
            .execute(&mut **c)
            .await?;
        tx.restore = Some(format!(
            "PRAGMA cache_size = {cache}; PRAGMA wal_autocheckpoint = {checkpoint}"
        ));
    }
    Ok(())
}

/// Placeholder `n` of a bulk statement whose parameters are bound in order: `?` on SQLite,
/// where each `$n` makes binding look the name up in a list (quadratic in a 4,000-parameter
/// `VALUES`: 40 % of an import's time), `$n` on PostgreSQL.
pub(crate) fn bulk_ph(h: &mut impl Handle, n: usize) -> String {
    match h.raw() {
        Raw::Sqlite(_) => "?".to_owned(),
        Raw::Pg(_) => ph(n),
    }
}

/// Numbered placeholder `$n` usable on both databases.
pub(crate) fn ph(n: usize) -> String {
    format!("${n}")
}
