//! The legal engine's commands: calendar, deadline, fee, scan, report (SPEC "Command line").

use serde_json::{Value, json};

use super::{Site, command, finish, run};

/// A resident ID with a valid GB 11643 check digit.
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

#[test]
fn calendar_commands_work_without_a_database() {
    let site = Site::new();
    for (args, out, why) in [
        (
            &["calendar", "add-workdays", "2024-09-27", "1"][..],
            "2024-09-29",
            "Sunday 09-29 is a 调休 working day",
        ),
        (
            &["calendar", "add-workdays", "2024-09-30", "1"][..],
            "2024-10-08",
            "国庆 10-01..10-07 are off",
        ),
        (
            &["calendar", "add-workdays", "2026-02-13", "1"][..],
            "2026-02-14",
            "Saturday 02-14 is a make-up day",
        ),
        (
            &["calendar", "is-workday", "2026-02-14"][..],
            "true",
            "make-up Saturday",
        ),
        (
            &["calendar", "is-workday", "2026-02-16"][..],
            "false",
            "春节",
        ),
        (
            &["fee", "by-volume", "250"][..],
            "4700",
            "70×10 + 100×20 + 50×40",
        ),
        (
            &["fee", "by-count", "11"][..],
            "100",
            "the 11th request of the month",
        ),
        (&["fee", "by-count", "41"][..], "300", "41–50 cost 300 each"),
    ] {
        let r = site.run(args);
        assert_eq!((r.code, r.stdout.trim()), (0, out), "{why}: {}", r.stderr);
    }
    assert!(
        !site.data().exists(),
        "no data directory is made for a question"
    );
    let shown = site.run(&["calendar", "show", "2026"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("国办发明电〔2025〕7号")
            && shown.stdout.contains("全年工作日 248 天")
    );
    assert!(shown.stdout.contains("2026-02-28") && shown.stdout.contains("上班（调休）"));
}

#[test]
fn calendar_refuses_years_not_loaded_and_bad_arguments() {
    for args in [
        &["calendar", "is-workday", "2018-12-29"][..],
        &["calendar", "add-workdays", "2026-12-30", "5"][..],
        &["calendar", "add-workdays", "2024-02-30", "1"][..],
        &["calendar", "add-workdays", "2024-01-01", "-1"][..],
        &["calendar", "show", "2030"][..],
        &["fee", "by-count", "0"][..],
        &["fee", "by-volume", "many"][..],
    ] {
        let r = run(args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert!(r.stderr.starts_with("错误："), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn deadline_counts_an_open_pause_to_its_limit_and_awaits_a_correction_without_a_date() {
    let site = Site::new();
    // DOMAIN.md A6.1's example: the same answer whatever day it is asked.
    let consulting = site.file(
        "consulting.json",
        &[json!({"received": "2022-01-28", "events": [
            {"kind": "consultation_sent", "date": "2022-02-08", "id": "1"}
        ]})],
    );
    for today in ["2022-02-10", "2022-02-25"] {
        let r = site.run(&["deadline", consulting.to_str().unwrap(), "--today", today]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let clock: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            (&clock["due"], &clock["paused"], &clock["status"]),
            (&json!("2022-03-23"), &json!(15), &json!("paused")),
            "{today}"
        );
    }
    let waiting = site.file(
        "waiting.json",
        &[json!({"received": "2024-09-20", "events": [
            {"kind": "correction_requested", "date": "2024-09-23"}
        ]})],
    );
    let r = site.run(&[
        "deadline",
        waiting.to_str().unwrap(),
        "--today",
        "2024-10-08",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clock: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(clock["status"], "awaiting_correction");
    assert_eq!(clock["due"], Value::Null);
    assert_eq!(clock["days_left"], Value::Null);
}

#[test]
fn deadline_explains_a_correction_restart_and_a_consultation() {
    let site = Site::new();
    let events = site.file(
        "events.json",
        &[json!({"received": "2024-09-20", "events": [
            {"kind": "correction_requested", "date": "2024-09-23"},
            {"kind": "correction_received", "date": "2024-09-27"},
            {"kind": "consultation_sent", "date": "2024-10-10", "id": "A"},
            {"kind": "consultation_answered", "date": "2024-10-18", "id": "A"}
        ]})],
    );
    let r = site.run(&[
        "deadline",
        events.to_str().unwrap(),
        "--today",
        "2024-10-21",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clock: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        clock["due"], "2024-11-08",
        "restart on 09-27, 20 days to 10-30, 7 paused"
    );
    assert_eq!(clock["paused"], 7);
    assert_eq!(clock["status"], "open");
    assert_eq!(clock["days_left"], 14);
    let steps = clock["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    assert!(steps[2]["effect"].as_str().unwrap().contains("重新计算"));
    let keys: Vec<&str> = clock
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 7, "{keys:?}");

    let impossible = site.file(
        "bad.json",
        &[json!({"received": "2024-09-20", "events": [
            {"kind": "consultation_answered", "date": "2024-09-25", "id": "A"}
        ]})],
    );
    let r = site.run(&["deadline", impossible.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("错误："), "{}", r.stderr);
}

#[test]
fn scan_finds_a_planted_id_number_in_a_docx_and_not_the_decoys() {
    use docx_rs::{Docx, Paragraph, Run};
    let site = Site::new();
    let id = id_number("35010219900307123");
    let paragraphs = [
        "福州市鼓楼区人民政府办公室关于印发鼓楼区2021年政务公开工作要点的通知".to_owned(),
        "鼓政办〔2021〕60号  索引号：FZ00101-2708-2021-00025  2021-06-04 09:30".to_owned(),
        format!("申请人：王某某，身份证号{id}，联系电话0591-87654321。"),
    ];
    let mut docx = Docx::new();
    for p in &paragraphs {
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(p)));
    }
    let path = site.dir.path().join("planted.docx");
    let file = std::fs::File::create(&path).unwrap();
    docx.build().pack(file).unwrap();
    let r = site.run(&["scan", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let findings: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["kind"], "id_card");
    assert_eq!(findings[0]["text"], id.as_str());
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(3), Some(13))
    );

    let clean = site.dir.path().join("clean.txt");
    std::fs::write(&clean, "本通知自印发之日起施行。\n").unwrap();
    let r = site.run(&["scan", clean.to_str().unwrap()]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, ""),
        "nothing found still exits 0"
    );
    let r = site.run(&[
        "scan",
        site.dir.path().join("missing.txt").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "an unreadable input is an error");
}

fn pdf_fixture(name: &str) -> String {
    format!(
        "{}/../gongkai-search/tests/fixtures/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn scan_reads_chinese_pdfs_and_never_calls_an_unread_page_clean() {
    // Type 3 fonts (Chromium) and an embedded CMap (fpdf2 + Noto CJK): each holds an ID
    // number, a mobile number and an e-mail address.
    for name in ["chromium.pdf", "fpdf2-noto.pdf"] {
        let r = run(&["scan", &pdf_fixture(name)]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let kinds: Vec<String> = r
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["kind"].to_string())
            .collect();
        assert_eq!(
            kinds,
            [r#""id_card""#, r#""mobile""#, r#""email""#],
            "{name}"
        );
    }
    // Page 2 is a scanned image: what page 1 holds is printed (nothing), and the command
    // fails naming the page, so no one takes the file for clean.
    let r = run(&["scan", &pdf_fixture("scanned-page-2.pdf")]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{}", r.stderr);
    assert!(
        r.stderr.contains("第 2 页无法读取文字") && r.stderr.contains("扫描图像"),
        "{}",
        r.stderr
    );
    // Without poppler the PDF is unreadable, with a message that says what to install.
    let r = finish(
        command()
            .env("PATH", "/nonexistent")
            .args(["scan", &pdf_fixture("chromium.pdf")])
            .output()
            .unwrap(),
    );
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(r.stderr.contains("poppler-utils"), "{}", r.stderr);
}

#[test]
fn report_annual_on_imported_requests_adds_up() {
    let site = Site::new();
    assert_eq!(
        site.run(&[
            "org",
            "add",
            "GL00101",
            "--name",
            "福州市鼓楼区人民政府办公室"
        ])
        .code,
        0
    );
    let mut lines = Vec::new();
    for (i, (kind, received, outcome, replied)) in [
        (
            "natural_person",
            "2024-12-30",
            Some("disclosed"),
            Some("2025-01-06"),
        ),
        (
            "legal.commercial",
            "2025-03-03",
            Some("withheld.process_info"),
            Some("2025-03-20"),
        ),
        ("natural_person", "2025-12-29", None, None),
        (
            "legal.research",
            "2025-06-02",
            Some("other.other"),
            Some("2025-06-03"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        lines.push(
            json!({"org": "GL00101", "tracking": format!("R-{i}"), "applicant_type": kind,
            "received_date": received, "outcome": outcome, "replied_date": replied}),
        );
    }
    let file = site.file("requests.jsonl", &lines);
    let r = site.run(&["import", "requests", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = site.run(&[
        "report", "annual", "--org", "GL00101", "--year", "2025", "--format", "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let rows = &report["requests"]["rows"];
    for column in report["requests"]["columns"].as_array().unwrap() {
        let c = column.as_str().unwrap();
        let n = |row: &str| rows[row][c].as_u64().unwrap();
        assert_eq!(
            n("new") + n("carried_in"),
            n("outcome.total") + n("carried_out"),
            "{c}"
        );
    }
    assert_eq!(rows["new"]["total"], 3);
    assert_eq!(rows["carried_in"]["total"], 1);
    assert_eq!(rows["carried_out"]["total"], 1);
    let exported = site.run(&["export", "requests", "--format", "jsonl"]);
    assert_eq!(exported.stdout.lines().count(), 4);
    let r = site.run(&["report", "annual", "--org", "NOPE", "--year", "2025"]);
    assert_eq!(r.code, 1);
    // The files of the national layout; binary ones only to a file.
    for (format, magic) in [
        ("docx", &b"PK"[..]),
        ("xlsx", &b"PK"[..]),
        ("html", &b"<!DOCTYPE html>"[..]),
    ] {
        let path = site.dir.path().join(format!("report.{format}"));
        let r = site.run(&[
            "report",
            "annual",
            "--org",
            "GL00101",
            "--year",
            "2025",
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(r.stdout.contains("已写出"), "{}", r.stdout);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{format}");
    }
    let html = std::fs::read_to_string(site.dir.path().join("report.html")).unwrap();
    assert!(html.contains("2025年政府信息公开工作年度报告"), "{html}");
    assert!(html.contains("三、本年度办理结果"));
}
