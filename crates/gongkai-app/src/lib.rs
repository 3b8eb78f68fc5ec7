//! Gongkai's use cases: the operations people and commands perform, each checking who may
//! do it, running in one transaction, and calling the law in `gongkai-domain`.
//!
//! The clock is read here (`App::now`) and passed down; the domain never reads it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use gongkai_domain::{Calendar, ClockSettings};
use gongkai_store::Db;
use time::OffsetDateTime;

pub mod audit;
pub mod auth;
pub mod backup;
pub mod body;
pub mod calendar;
pub mod demo;
pub mod documents;
pub mod drafts;
pub mod error;
pub mod export;
pub mod feeds;
pub mod fees;
pub mod files;
pub mod generate;
pub mod handling;
pub mod import;
pub mod intake;
pub mod letters;
pub mod operations;
pub mod orgs;
pub mod outbox;
pub mod portal;
pub mod replies;
pub mod report;
pub mod report_files;
pub mod requests;
pub mod review;
pub mod scan;
pub mod search;
pub mod settings;
pub mod staff;
pub mod throttle;
pub mod workflow;

pub use error::{Error, Result};

/// Rules an administrator may change. Defaults follow the issue and DOMAIN.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Failed logins in a row on one account from one address before it is slowed down.
    pub lockout_failures: u32,
    /// The longest wait between attempts once slowed down, in minutes.
    pub lockout_minutes: i64,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// The statutory clock's numbers; whether a fee notice pauses it is DOMAIN [U].
    pub clock: ClockSettings,
    /// Months between reviews of a withheld record (条例 Art. 18 动态调整).
    pub withheld_review_months: u8,
    /// Hours within which a published record should reach every channel (转载时限).
    pub repost_hours: u32,
    /// Working days before a request's due date when its unit is first reminded.
    pub reminder_first_days: u32,
    /// Working days before the due date of the last reminder.
    pub reminder_last_days: u32,
    /// The longest line of an import file, in KB.
    pub import_max_line_kb: u32,
    /// The largest body of an imported record, in KB.
    pub max_body_kb: u32,
    /// Input an import reads into one transaction before it commits and reports, in MB.
    pub import_commit_mb: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lockout_failures: 5,
            lockout_minutes: 15,
            session_hours: 8,
            clock: ClockSettings::default(),
            withheld_review_months: 6,
            repost_hours: 12,
            reminder_first_days: 5,
            reminder_last_days: 1,
            import_max_line_kb: 8192,
            max_body_kb: 4096,
            import_commit_mb: 128,
        }
    }
}

/// The organization tree and the public generation it was loaded under.
type TreeOfGeneration = (i64, Arc<orgs::OrgTree>);

/// The application: a database, a data directory for files, settings, and the working-day
/// calendar in force (the shipped years overlaid with the notices loaded into the database).
#[derive(Clone, Debug)]
pub struct App {
    db: Db,
    data_dir: PathBuf,
    settings: Arc<RwLock<Settings>>,
    calendar: Arc<RwLock<Arc<Calendar>>>,
    org_tree: Arc<RwLock<Option<TreeOfGeneration>>>,
    /// The search index, opened at first use ([`App::search_index`]).
    search: Arc<tokio::sync::Mutex<Option<Arc<gongkai_search::SearchIndex>>>>,
    /// One catch-up of the search index at a time.
    search_writing: Arc<tokio::sync::Mutex<()>>,
    /// The public generation the search index last caught up with (-1: not yet).
    search_seen: Arc<std::sync::atomic::AtomicI64>,
    /// Password guesses counted per account and address.
    throttle: Arc<throttle::Throttle>,
    /// Password hashes computed at once.
    hashing: Arc<tokio::sync::Semaphore>,
}

/// What [`App::health`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// The database answers with the schema of this build.
    Ready,
    /// The database answers but lacks tables or migrations of this build.
    Unmigrated,
    /// The database does not answer; why.
    Unreachable(String),
}

impl App {
    /// Wraps an open, migrated database.
    pub fn new(db: Db, data_dir: impl Into<PathBuf>, settings: Settings) -> App {
        App {
            db,
            data_dir: data_dir.into(),
            settings: Arc::new(RwLock::new(settings)),
            calendar: Arc::new(RwLock::new(Arc::new(Calendar::shipped()))),
            org_tree: Arc::new(RwLock::new(None)),
            search: Arc::new(tokio::sync::Mutex::new(None)),
            search_writing: Arc::new(tokio::sync::Mutex::new(())),
            search_seen: Arc::new(std::sync::atomic::AtomicI64::new(-1)),
            throttle: Arc::new(throttle::Throttle::default()),
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            )),
        }
    }

    /// Opens the database at `url` (default: SQLite in `data_dir`), applies migrations.
    pub async fn open(data_dir: &Path, url: Option<&str>, settings: Settings) -> Result<App> {
        gongkai_store::private_fs::create_dir(data_dir).map_err(|e| {
            Error::internal(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let url = match url {
            Some(u) => u.to_owned(),
            None => default_database_url(data_dir),
        };
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        let app = App::new(db, data_dir, settings);
        settings::load(&app).await?;
        calendar::reload(&app).await?;
        app.refresh_public().await?;
        Ok(app)
    }

    /// Whether the database answers and holds this build's schema, within `limit`.
    pub async fn health(&self, limit: std::time::Duration) -> Health {
        match tokio::time::timeout(limit, self.db.schema_current()).await {
            Ok(Ok(true)) => Health::Ready,
            Ok(Ok(false)) => Health::Unmigrated,
            Ok(Err(e)) => Health::Unreachable(e.to_string()),
            Err(_) => Health::Unreachable(format!("no answer within {limit:?}")),
        }
    }

    /// The public generation the search index last caught up with (-1: not yet).
    pub fn search_generation(&self) -> i64 {
        self.search_seen.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The database's name for messages: `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.db.backend().name()
    }

    /// Number of migrations shipped for this database (all applied once `open` returned).
    pub fn migrations_applied(&self) -> usize {
        let (sqlite, postgres) = Db::migration_versions();
        match self.db.backend() {
            gongkai_store::Backend::Sqlite => sqlite.len(),
            gongkai_store::Backend::Postgres => postgres.len(),
        }
    }

    /// The limits on password guesses.
    pub fn throttle(&self) -> &throttle::Throttle {
        &self.throttle
    }

    /// The permits for password hashing.
    pub fn hashing(&self) -> &tokio::sync::Semaphore {
        &self.hashing
    }

    /// The settings in force: the configuration's, with what an administrator changed on
    /// the admin page over them ([`settings::load`]).
    pub fn settings(&self) -> Settings {
        match self.settings.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_settings(&self, settings: Settings) {
        let mut slot = match self.settings.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = settings;
    }

    /// The working-day calendar in force.
    pub fn calendar(&self) -> Arc<Calendar> {
        match self.calendar.read() {
            Ok(c) => Arc::clone(&c),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set_calendar(&self, calendar: Calendar) {
        let mut slot = match self.calendar.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(calendar);
    }

    /// The public generation this process knows: it grows with every committed change to
    /// what the public sees (here at commit, from other processes at [`App::refresh_public`]).
    pub fn public_generation(&self) -> i64 {
        self.db.public().generation()
    }

    /// When the public generation last changed (Unix seconds): the `Last-Modified` of pages.
    pub fn public_changed_at(&self) -> i64 {
        self.db.public().changed_at()
    }

    /// Reads the public generation from the database, to learn of changes other processes
    /// (other nodes, a command-line import) committed. Returns it.
    pub async fn refresh_public(&self) -> Result<i64> {
        let mut c = self.db.conn().await?;
        Ok(gongkai_store::generation::current(&mut c).await?.0)
    }

    fn cached_org_tree(&self, generation: i64) -> Option<Arc<orgs::OrgTree>> {
        let slot = match self.org_tree.read() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        match &*slot {
            Some((g, tree)) if *g == generation => Some(Arc::clone(tree)),
            _ => None,
        }
    }

    fn keep_org_tree(&self, generation: i64, tree: Arc<orgs::OrgTree>) {
        let mut slot = match self.org_tree.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if slot.as_ref().is_none_or(|(g, _)| *g <= generation) {
            *slot = Some((generation, tree));
        }
    }

    /// The current instant. The only place the application reads the clock.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    /// Today in China (UTC+8, no daylight saving).
    pub fn today(&self) -> time::Date {
        self.now().to_offset(china_offset()).date()
    }
}

/// The default database: `gongkai.db` in the data directory.
pub fn default_database_url(data_dir: &Path) -> String {
    format!("sqlite:{}", data_dir.join("gongkai.db").display())
}

/// `YYYY-MM-DD HH:MM` in China time.
pub fn format_china_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(china_offset());
    format!(
        "{} {:02}:{:02}",
        gongkai_domain::format_date_iso(t.date()),
        t.hour(),
        t.minute()
    )
}

/// UTC+8.
pub fn china_offset() -> time::UtcOffset {
    time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// Records as the use cases return them: the stored rows with every code decoded into its
/// domain type (a row that does not decode is refused by the store), read-only outside `app`.
pub mod model {
    pub use gongkai_store::attachments::Attachment;
    pub use gongkai_store::columns::Column;
    pub use gongkai_store::documents::{Document, Summary};
    pub use gongkai_store::orgs::Org;
}
