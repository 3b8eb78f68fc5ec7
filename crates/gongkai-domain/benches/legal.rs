//! Benchmarks of the law's hot paths: working-day arithmetic, the reply clock, the annual
//! report over a province's requests and the sensitive-information scan. What each one
//! measures and why, and the last figures, are in BENCHMARKS.md at the workspace root.
//!
//! `cargo bench -p gongkai-domain --bench legal` measures. `cargo test --all-targets` runs
//! each benchmark once as a smoke test, on small inputs (see [`Scale`]) so that CI stays fast.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_domain::calendar::Calendar;
use gongkai_domain::deadline::{ClockInput, ClockSettings, ClockStatus, compute};
use gongkai_domain::report::{CatalogFacts, OfficeFigures, RequestFacts, RuleClass};
use gongkai_domain::request::{ApplicantType, Outcome, Review, ReviewKind, ReviewResult};
use gongkai_domain::scan::ScanConfig;
use gongkai_domain::{annual_report, request_table, scan};
use time::{Date, Duration, Month};

/// The year whose report is counted: the generated requests span 2019–2026, so it has
/// requests carried in from earlier years and carried out into later ones.
const REPORT_YEAR: i32 = 2024;

/// Input sizes: the real ones under `cargo bench`, small ones when `cargo test` runs the
/// benchmarks once in an unoptimized build.
struct Scale {
    requests: usize,
    reviews: usize,
    corpus_lines: usize,
    decoy_bytes: usize,
}

impl Scale {
    fn current() -> Scale {
        // Criterion measures only when cargo passes `--bench` without `--test`.
        let args: Vec<String> = std::env::args().collect();
        let measuring = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
        if measuring {
            Scale {
                requests: 1_000_000,
                reviews: 10_000,
                corpus_lines: usize::MAX,
                decoy_bytes: 1 << 20,
            }
        } else {
            Scale {
                requests: 10_000,
                reviews: 100,
                corpus_lines: 20,
                decoy_bytes: 16 << 10,
            }
        }
    }
}

fn date(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).expect("a valid date")
}

/// A small xorshift64 generator: deterministic, so every run counts the same requests.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar.

fn calendar(c: &mut Criterion) {
    let calendar = Calendar::shipped();
    // The last working day before 国庆 2024 (10-01..10-07 off, 09-29 and 10-12 worked).
    let before_national_day = date(2024, Month::September, 27);
    let mut group = c.benchmark_group("calendar");
    group.bench_function("add_workdays_20", |b| {
        b.iter(|| calendar.add_workdays(black_box(before_national_day), black_box(20)))
    });
    group.bench_function("add_workdays_250", |b| {
        b.iter(|| calendar.add_workdays(black_box(before_national_day), black_box(250)))
    });
    // 10-08, the first working day after the holiday.
    let after_national_day = date(2024, Month::October, 8);
    group.bench_function("is_workday", |b| {
        b.iter(|| calendar.is_workday(black_box(after_national_day)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// The reply clock.

/// An open request as the staff dashboard sees it: a 补正 restart, two overlapping
/// consultations, an extension and a paid fee notice (DOMAIN.md A6.1).
const CLOCK_JSON: &str = r#"{"received": "2024-09-02", "events": [
    {"kind": "correction_requested", "date": "2024-09-04"},
    {"kind": "correction_received", "date": "2024-09-10"},
    {"kind": "consultation_sent", "date": "2024-09-12", "id": "A-1"},
    {"kind": "consultation_sent", "date": "2024-09-18", "id": "B-2"},
    {"kind": "consultation_answered", "date": "2024-09-27", "id": "A-1"},
    {"kind": "consultation_answered", "date": "2024-10-15", "id": "B-2"},
    {"kind": "extension", "date": "2024-10-22", "working_days": 20},
    {"kind": "fee_notice", "date": "2024-10-25"},
    {"kind": "fee_paid", "date": "2024-11-05"}
]}"#;

fn deadline(c: &mut Criterion) {
    let calendar = Calendar::shipped();
    let settings = ClockSettings::default();
    let today = date(2024, Month::November, 15);
    let input = ClockInput::from_json(CLOCK_JSON).expect("the benchmark's clock input is valid");
    let clock = compute(&input, &calendar, &settings, today).expect("the events are possible");
    assert_eq!(
        clock.status,
        ClockStatus::Open,
        "the benchmark measures an open request"
    );
    assert!(clock.extension > 0 && clock.paused > 0, "{clock:?}");

    let mut group = c.benchmark_group("deadline");
    group.bench_function("compute", |b| {
        b.iter(|| compute(black_box(&input), &calendar, &settings, black_box(today)))
    });
    group.bench_function("parse_and_compute", |b| {
        b.iter(|| {
            let input = ClockInput::from_json(black_box(CLOCK_JSON))?;
            compute(&input, &calendar, &settings, black_box(today))
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// The annual report.

/// `n` requests received 2019–2026, every applicant type and outcome, about one in ten still
/// open, the others closed up to 60 days after receipt (so some cross a year end).
fn generate_requests(n: usize) -> Vec<RequestFacts> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let first = date(2019, Month::January, 1);
    let days = (date(2026, Month::December, 31) - first).whole_days() as u64 + 1;
    (0..n)
        .map(|_| {
            let received = first + Duration::days(rng.below(days) as i64);
            let closed = (rng.below(10) != 0).then(|| {
                let outcome = rng.pick(Outcome::all());
                (outcome, received + Duration::days(rng.below(61) as i64))
            });
            RequestFacts {
                applicant: rng.pick(ApplicantType::all()),
                received,
                closed,
            }
        })
        .collect()
}

/// `n` reviews filed 2023–2025, one in five undecided.
fn generate_reviews(n: usize) -> Vec<Review> {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let first = date(2023, Month::January, 1);
    (0..n)
        .map(|_| {
            let filed = first + Duration::days(rng.below(3 * 365) as i64);
            let decision = (rng.below(5) != 0).then(|| {
                let result = rng.pick(ReviewResult::all());
                (result, filed + Duration::days(rng.below(120) as i64))
            });
            Review {
                kind: rng.pick(ReviewKind::all()),
                filed,
                decision,
            }
        })
        .collect()
}

fn generate_catalog(n: usize) -> Vec<CatalogFacts> {
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    let first = date(2015, Month::January, 1);
    (0..n)
        .map(|_| {
            let issued = first + Duration::days(rng.below(10 * 365) as i64);
            let repealed =
                (rng.below(4) == 0).then(|| issued + Duration::days(rng.below(1500) as i64 + 1));
            CatalogFacts {
                class: rng.pick(RuleClass::all()),
                issued,
                repealed,
                published: Some(issued + Duration::days(rng.below(10) as i64)),
            }
        })
        .collect()
}

fn report(c: &mut Criterion) {
    let scale = Scale::current();
    let requests = generate_requests(scale.requests);
    let reviews = generate_reviews(scale.reviews);
    let catalog = generate_catalog(500);
    let figures = OfficeFigures {
        licensing_decisions: 12_345,
        punishments: 678,
        coercive_measures: 90,
        fees_fen: 123_456_789,
        overview: "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。".repeat(20),
        problems: "政策解读的针对性有待加强。".repeat(10),
        other: "本年度未收取信息处理费。".to_owned(),
        ..OfficeFigures::default()
    };
    let table = request_table(REPORT_YEAR, requests.iter().copied());
    assert!(table.check().is_empty(), "the generated table adds up");

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("request_table_1m", |b| {
        b.iter(|| request_table(black_box(REPORT_YEAR), black_box(&requests).iter().copied()))
    });
    group.bench_function("annual_report_1m", |b| {
        b.iter(|| {
            let report = annual_report(
                "11350100MB0123456X",
                black_box(REPORT_YEAR),
                black_box(&requests).iter().copied(),
                black_box(&reviews).iter().copied(),
                &catalog,
                &figures,
            );
            serde_json::to_string(&report)
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// The sensitive-information scan.

/// The `body_text` of the demo corpus's documents (real State Council texts), joined.
fn corpus_text(lines: usize) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/corpus.jsonl");
    let file = std::fs::read_to_string(path).expect("data/demo/corpus.jsonl is readable");
    let mut text = String::new();
    for line in file.lines().filter(|l| !l.trim().is_empty()).take(lines) {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if let Some(body) = value["body_text"].as_str() {
            text.push_str(body);
            text.push('\n');
        }
    }
    text
}

/// About `bytes` of text made mostly of digit runs the scanner must judge: 发文字号, 索引号,
/// dates, landline and mobile numbers, resident IDs, order numbers. Some are findings.
fn decoy_text(bytes: usize) -> String {
    let mut rng = XorShift(0x0123_4567_89AB_CDEF);
    let mut text = String::with_capacity(bytes + 256);
    let mut line = 0u32;
    while text.len() < bytes {
        let year = 2015 + rng.below(12);
        let piece = match rng.below(8) {
            0 => format!("鼓政办〔{year}〕{}号", rng.below(200) + 1),
            1 => format!(
                "索引号：11350100MB0{:05}X/{year}-{:05}",
                rng.below(100_000),
                rng.below(100_000)
            ),
            2 => format!("{year}年{}月{}日", rng.below(12) + 1, rng.below(28) + 1),
            3 => format!("联系电话：0591-{:08}", 80_000_000 + rng.below(10_000_000)),
            4 => format!("手机1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000)),
            5 => format!(
                "身份证号35010{}{}{:02}{:02}{:04}",
                rng.below(10),
                1950 + rng.below(60),
                rng.below(12) + 1,
                rng.below(28) + 1,
                rng.below(10_000)
            ),
            6 => format!("订单号{:020}", rng.next()),
            _ => format!("第{}条第{}款", rng.below(60) + 1, rng.below(5) + 1),
        };
        text.push_str(&piece);
        text.push('，');
        line += 1;
        if line.is_multiple_of(8) {
            text.push('\n');
        }
    }
    text
}

fn scanner(c: &mut Criterion) {
    let scale = Scale::current();
    let config = ScanConfig::default();
    let corpus = corpus_text(scale.corpus_lines);
    let decoys = decoy_text(scale.decoy_bytes);

    let mut group = c.benchmark_group("scan");
    // One pass over the 9 MB corpus takes ~0.1 s: 30 samples fit criterion's default 5 s.
    group.sample_size(30);
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("corpus", |b| b.iter(|| scan(black_box(&corpus), &config)));
    group.throughput(Throughput::Bytes(decoys.len() as u64));
    group.bench_function("decoy_heavy", |b| {
        b.iter(|| scan(black_box(&decoys), &config))
    });
    group.finish();
}

criterion_group!(benches, calendar, deadline, report, scanner);
criterion_main!(benches);
