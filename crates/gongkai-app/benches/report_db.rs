//! The annual report as `gongkai report annual` and the office's page compute it, from the
//! database: tables 二, 三 and 四 of a city of 50 units holding 1,000,000 requests on SQLite,
//! beside one SQLite `GROUP BY` pass over the same requests in the same database (the
//! reference of the annual-report issue: the report must be at least as fast as that pass).
//!
//! The database is built once (about a minute in a release build) and kept under
//! `CARGO_TARGET_TMPDIR`; `cargo test --all-targets` runs each benchmark once on 10,000
//! requests in a fresh directory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gongkai_app::documents::Actor;
use gongkai_app::{App, Settings, generate, report};
use gongkai_domain::{ApplicantType, Outcome, ReviewKind, ReviewResult};
use gongkai_store::requests::{NewRequest, NewReview, insert_many};
use sqlx::Row;
use time::{Date, Month};

const UNITS: usize = 50;
const YEAR: i32 = 2025;
/// Bump when the generated data changes, so an old database is not reused.
const VERSION: u32 = 3;

struct Scale {
    requests: usize,
    dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

fn scale() -> Scale {
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    if measuring {
        Scale {
            requests: 1_000_000,
            dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-1m-v{VERSION}")),
            _temp: None,
        }
    } else {
        let temp = tempfile::tempdir().expect("a temporary directory");
        Scale {
            requests: 10_000,
            dir: temp.path().to_owned(),
            _temp: Some(temp),
        }
    }
}

/// A small xorshift64 generator: every run builds the same requests.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Builds the database unless a finished one is there: the city's units, then the requests
/// 2019–2026 spread over them (one in ten open, one in a hundred with a case).
async fn build(dir: &Path, requests: usize) -> App {
    let done = dir.join("complete");
    if done.exists() {
        return App::open(dir, None, Settings::default())
            .await
            .expect("open");
    }
    let _ = std::fs::remove_dir_all(dir);
    let app = App::open(dir, None, Settings::default())
        .await
        .expect("open");
    let city = generate::city(UNITS, 1).expect("the city");
    generate::create_orgs(&app, &city, |_, _| {})
        .await
        .expect("the units");
    let mut c = app.db().conn().await.expect("a connection");
    let ids: Vec<i64> = gongkai_store::orgs::all(&mut c)
        .await
        .expect("orgs")
        .iter()
        .map(|o| o.id)
        .collect();
    drop(c);
    let start = Date::from_calendar_date(2019, Month::January, 1).expect("a date");
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut made = 0;
    while made < requests {
        let n = (requests - made).min(20_000);
        let rows: Vec<NewRequest> = (made..made + n)
            .map(|i| {
                let received = start + time::Duration::days(rng.below(2_900) as i64);
                let closed = (rng.below(10) > 0).then(|| {
                    let o = Outcome::all()[rng.below(21) as usize];
                    (
                        o.code(),
                        received + time::Duration::days(rng.below(40) as i64),
                    )
                });
                let reviews = match closed {
                    Some((_, replied)) if rng.below(100) == 0 => vec![NewReview {
                        kind: ReviewKind::all()[rng.below(3) as usize].code(),
                        filed_date: replied + time::Duration::days(30),
                        result: Some(ReviewResult::all()[rng.below(3) as usize].code()),
                        decided_date: Some(replied + time::Duration::days(120)),
                    }],
                    _ => Vec::new(),
                };
                NewRequest {
                    org_id: ids[rng.below(ids.len() as u64) as usize],
                    tracking: format!("B{i:07}"),
                    applicant_type: ApplicantType::all()[rng.below(6) as usize].code(),
                    received_date: received,
                    outcome: closed.map(|c| c.0),
                    replied_date: closed.map(|c| c.1),
                    bases: "[]".into(),
                    applicant: "{}".into(),
                    description: None,
                    events: "[]".into(),
                    due_date: None,
                    due_problem: None,
                    reviews,
                }
            })
            .collect();
        let mut tx = app.db().begin().await.expect("a transaction");
        insert_many(&mut tx, &rows, app.now())
            .await
            .expect("the requests");
        tx.commit().await.expect("commit");
        made += n;
    }
    std::fs::write(&done, "").expect("the marker");
    app
}

fn report_db(c: &mut Criterion) {
    let scale = scale();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let app = rt.block_on(build(&scale.dir, scale.requests));
    let root = rt.block_on(async {
        let mut c = app.db().conn().await.expect("a connection");
        let orgs = gongkai_store::orgs::all(&mut c).await.expect("orgs");
        orgs.iter()
            .find(|o| o.parent_id.is_none())
            .expect("the city office")
            .code
            .clone()
    });
    // The reference: the same database file, its own connection, one aggregate pass.
    let pool = rt.block_on(async {
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(scale.dir.join("gongkai.db"))
                    .read_only(true),
            )
            .await
            .expect("the reference connection")
    });
    let mut group = c.benchmark_group("report_db");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("annual_city_1m", |b| {
        b.iter(|| {
            rt.block_on(report::annual(&app, Actor::System, &root, YEAR))
                .expect("the report")
        })
    });
    group.bench_function("sqlite_group_by_pass_1m", |b| {
        b.iter(|| {
            rt.block_on(async {
                let rows = sqlx::query(
                    "SELECT applicant_type, outcome, count(*) FROM requests \
                     GROUP BY applicant_type, outcome",
                )
                .fetch_all(&pool)
                .await
                .expect("the pass");
                rows.iter().map(|r| r.get::<i64, _>(2)).sum::<i64>()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, report_db);
criterion_main!(benches);
