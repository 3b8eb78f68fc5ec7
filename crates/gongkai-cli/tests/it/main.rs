//! The `gongkai` binary, run as a user would: arguments in, exit code and output out.
//! Each test has its own data directory.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

mod generate;
mod legal;

/// Variables of the developer's shell that would change what the binary does.
const ENV: &[&str] = &[
    "GONGKAI_DATA",
    "GONGKAI_DATABASE",
    "GONGKAI_CONFIG",
    "GONGKAI_LOG_FORMAT",
    "GONGKAI_LOG",
    "GONGKAI_LISTEN",
    "GONGKAI_BASE_URL",
    "GONGKAI_SECURE_COOKIES",
    "RUST_LOG",
];

fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    for var in ENV {
        c.env_remove(var);
    }
    c.stdin(Stdio::null());
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Run {
    finish(command().args(args).output().unwrap())
}

/// A data directory and the commands run on it.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Run {
        let data = self.data();
        let mut all = vec!["--data", data.to_str().unwrap()];
        all.extend_from_slice(args);
        run(&all)
    }

    fn file(&self, name: &str, lines: &[Value]) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut f = std::fs::File::create(&path).unwrap();
        for l in lines {
            writeln!(f, "{l}").unwrap();
        }
        path
    }

    fn import(&self, file: &Path, flags: &[&str]) -> Run {
        let mut args = vec!["import", "documents", file.to_str().unwrap()];
        args.extend_from_slice(flags);
        self.run(&args)
    }

    fn export_jsonl(&self) -> Vec<Value> {
        let r = self.run(&["export", "documents", "--format", "jsonl"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// A valid record with `changes` applied.
fn doc(changes: Value) -> Value {
    let mut base = json!({
        "org": "GLQ",
        "title": "鼓楼区人民政府办公室关于印发2021年政务公开工作要点的通知",
        "doc_number": "鼓政办〔2021〕5号",
        "issuer": "福州市鼓楼区人民政府办公室",
        "topic": "综合政务\\政务公开",
        "kind": "通知",
        "written_date": "2021-04-23",
        "published_date": "2021-05-05",
        "validity": "valid",
        "column": "法定主动公开内容/政策文件",
        "body_text": "各街道办事处，区直各单位：\n现将《2021年政务公开工作要点》印发给你们。"
    });
    if let (Value::Object(base), Value::Object(changes)) = (&mut base, changes) {
        base.extend(changes);
    }
    base
}

fn titled(n: u32) -> Value {
    doc(json!({"title": format!("第{n}号测试文件"), "doc_number": format!("鼓政办〔2021〕{n}号")}))
}

#[test]
fn docno_normalize_prints_the_canonical_form() {
    for (input, canonical, why) in [
        ("国办发[2021]12号", "国办发〔2021〕12号", "square brackets"),
        (
            "鼓政办（2021）第05号",
            "鼓政办〔2021〕5号",
            "full-width parentheses, 第, leading zero",
        ),
        (
            "榕政办﹝2020﹞60号",
            "榕政办〔2020〕60号",
            "small tortoise-shell brackets",
        ),
        (
            "闽政办【２０２１】３号",
            "闽政办〔2021〕3号",
            "lenticular brackets, full-width digits",
        ),
        (
            "鼓政办\u{3000}〔2021〕 12 号",
            "鼓政办〔2021〕12号",
            "ideographic and ASCII spaces",
        ),
        (
            "中华人民共和国国务院令 第 711 号",
            "中华人民共和国国务院令第711号",
            "decree number",
        ),
        (
            "国办发〔2021〕12号",
            "国办发〔2021〕12号",
            "already canonical",
        ),
    ] {
        let r = run(&["docno", "normalize", input]);
        assert_eq!(r.code, 0, "{why}: {}", r.stderr);
        assert_eq!(r.stdout, format!("{canonical}\n"), "{why}");
        assert_eq!(r.stderr, "", "{why}");
    }
}

#[test]
fn docno_normalize_joins_unquoted_words() {
    let r = run(&[
        "docno",
        "normalize",
        "中华人民共和国国务院令",
        "第",
        "711",
        "号",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "中华人民共和国国务院令第711号\n");
}

#[test]
fn docno_normalize_rejects_what_is_not_a_number() {
    for (input, why) in [
        ("", "empty"),
        ("   ", "only spaces"),
        ("鼓政办2021年12号", "no brackets"),
        ("鼓政办〔21〕12号", "two-digit year"),
        ("鼓政办〔2021〕", "no serial number"),
        ("通知", "a word"),
        ("-x", "looks like a flag"),
    ] {
        let r = run(&["docno", "normalize", input]);
        assert_eq!(r.code, 1, "{why}: {}", r.stdout);
        assert!(r.stderr.starts_with("错误："), "{why}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{why}");
    }
}

#[test]
fn import_reports_bad_lines_and_imports_the_good_ones() {
    let site = Site::new();
    let file = site.file(
        "docs.jsonl",
        &[
            titled(1),
            doc(json!({"title": "主题不对", "topic": "不存在的类目"})),
            titled(3),
            doc(json!({"title": "日期不对", "written_date": "2021-02-30"})),
            titled(5),
        ],
    );
    let r = site.import(&file, &["--create-orgs"]);
    assert_eq!(r.code, 1, "a rejected line fails the run: {}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| !l.starts_with("警告："))
        .collect();
    assert!(
        errors.iter().any(|l| l.starts_with("第 2 行 topic：")),
        "{}",
        r.stderr
    );
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("第 4 行 written_date：")),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("第 1 行") && !r.stderr.contains("第 3 行"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("导入 3 条，拒绝 2 行"), "{}", r.stdout);
    assert!(r.stdout.contains("新建机构：GLQ"), "{}", r.stdout);

    let records = site.export_jsonl();
    assert_eq!(records.len(), 3);
    for record in &records {
        assert_eq!(record["org"], "GLQ");
        assert!(
            record["title"].as_str().unwrap().starts_with('第'),
            "{record}"
        );
        assert!(
            !record["index_number"].as_str().unwrap().is_empty(),
            "{record}"
        );
    }
}

#[test]
fn a_clean_import_exits_0() {
    let site = Site::new();
    let file = site.file("docs.jsonl", &[titled(1), titled(2)]);
    let r = site.import(&file, &["--create-orgs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("导入 2 条，拒绝 0 行，警告 0 条"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_odd_document_number_is_a_warning_not_a_rejection() {
    let site = Site::new();
    let file = site.file("docs.jsonl", &[doc(json!({"doc_number": "无文号-1"}))]);
    let r = site.import(&file, &["--create-orgs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("警告：第 1 行 doc_number："),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("导入 1 条，拒绝 0 行，警告 1 条"),
        "{}",
        r.stdout
    );
}

#[test]
fn atomic_imports_nothing_when_a_line_is_bad() {
    let site = Site::new();
    let file = site.file(
        "docs.jsonl",
        &[titled(1), doc(json!({"topic": "不存在的类目"})), titled(3)],
    );
    let r = site.import(&file, &["--create-orgs", "--atomic"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("第 2 行 topic："), "{}", r.stderr);
    assert!(r.stdout.contains("导入 0 条"), "{}", r.stdout);
    assert!(
        r.stdout.contains("因 --atomic，未导入任何记录"),
        "{}",
        r.stdout
    );
    assert!(site.export_jsonl().is_empty());
}

#[test]
fn an_unknown_organization_needs_create_orgs() {
    let site = Site::new();
    let file = site.file("docs.jsonl", &[doc(json!({"org": "LHX"}))]);
    let r = site.import(&file, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("第 1 行 org："), "{}", r.stderr);
    assert!(r.stderr.contains("LHX"), "{}", r.stderr);
    assert!(r.stdout.contains("导入 0 条，拒绝 1 行"), "{}", r.stdout);
    assert!(site.export_jsonl().is_empty());

    let r = site.import(&file, &["--create-orgs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("新建机构：LHX"), "{}", r.stdout);
    assert_eq!(site.export_jsonl().len(), 1);

    let again = site.file(
        "again.jsonl",
        &[doc(json!({"org": "LHX", "title": "第二件"}))],
    );
    let r = site.import(&again, &[]);
    assert_eq!(
        r.code, 0,
        "a created organization is known afterwards: {}",
        r.stderr
    );
}

#[test]
fn a_missing_file_is_an_error() {
    let site = Site::new();
    let missing = site.dir.path().join("missing.jsonl");
    let r = site.import(&missing, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：无法打开文件"), "{}", r.stderr);
    assert_eq!(r.stdout, "");

    let r = site.import(site.dir.path(), &[]);
    assert_eq!(r.code, 1, "a directory");
    assert!(r.stderr.starts_with("错误：无法打开文件"), "{}", r.stderr);
}

#[test]
fn import_reads_standard_input() {
    let site = Site::new();
    let data = site.data();
    let mut child = command()
        .args([
            "--data",
            data.to_str().unwrap(),
            "import",
            "documents",
            "-",
            "--create-orgs",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", titled(1)).unwrap();
    let r = finish(child.wait_with_output().unwrap());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("导入 1 条"), "{}", r.stdout);
}

#[test]
fn csv_export_has_a_header_row() {
    let site = Site::new();
    let one_line = |n: u32| doc(json!({"title": format!("第{n}号"), "body_text": "正文一段。"}));
    let file = site.file("docs.jsonl", &[one_line(1), one_line(2)]);
    assert_eq!(site.import(&file, &["--create-orgs"]).code, 0);
    let r = site.run(&["export", "documents", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap();
    for column in ["org", "title", "doc_number", "index_number"] {
        assert!(
            header.split(',').any(|c| c == column),
            "{column} in {header}"
        );
    }
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn export_writes_to_a_file() {
    let site = Site::new();
    let file = site.file("docs.jsonl", &[titled(1)]);
    assert_eq!(site.import(&file, &["--create-orgs"]).code, 0);
    let out = site.dir.path().join("out.jsonl");
    let r = site.run(&[
        "export",
        "documents",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("已导出 1 条"), "{}", r.stdout);
    let text = std::fs::read_to_string(&out).unwrap();
    let record: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(record["doc_number"], "鼓政办〔2021〕1号");
}

#[test]
fn an_export_imports_again() {
    let site = Site::new();
    let file = site.file("docs.jsonl", &[titled(1), titled(2)]);
    assert_eq!(site.import(&file, &["--create-orgs"]).code, 0);
    let r = site.run(&["export", "documents", "--format", "jsonl"]);
    let exported = site.dir.path().join("exported.jsonl");
    std::fs::write(&exported, r.stdout).unwrap();

    let other = Site::new();
    let r = other.import(&exported, &["--create-orgs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("导入 2 条"), "{}", r.stdout);
}

#[test]
fn migrate_says_the_database_is_current() {
    let site = Site::new();
    let r = site.run(&["migrate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("数据库已是最新版本（sqlite"),
        "{}",
        r.stdout
    );
    assert!(site.data().join("gongkai.db").is_file());
    assert_eq!(site.run(&["migrate"]).code, 0, "twice is fine");
}

#[test]
fn the_data_directory_comes_from_the_environment_unless_a_flag_names_one() {
    let dir = tempfile::tempdir().unwrap();
    let from_env = dir.path().join("env");
    let from_flag = dir.path().join("flag");
    let r = finish(
        command()
            .env("GONGKAI_DATA", &from_env)
            .arg("migrate")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(from_env.join("gongkai.db").is_file());
    let r = finish(
        command()
            .env("GONGKAI_DATA", &from_env)
            .args(["migrate", "--data", from_flag.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(
        r.code, 0,
        "global flags go after the command too: {}",
        r.stderr
    );
    assert!(from_flag.join("gongkai.db").is_file());
}

#[test]
fn the_database_can_be_named_in_the_configuration_file() {
    let site = Site::new();
    let db = site.dir.path().join("elsewhere.db");
    let config = site.dir.path().join("gongkai.toml");
    std::fs::write(&config, format!("database = \"sqlite:{}\"\n", db.display())).unwrap();
    let r = site.run(&["--config", config.to_str().unwrap(), "migrate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(db.is_file());
}

#[test]
fn configuration_mistakes_are_user_errors() {
    let site = Site::new();
    let missing = site.dir.path().join("missing.toml");
    let r = site.run(&["--config", missing.to_str().unwrap(), "migrate"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：配置文件"), "{}", r.stderr);

    let r = site.run(&["--database", "mysql://localhost/gk", "migrate"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：数据库地址"), "{}", r.stderr);

    let r = site.run(&["serve", "--listen", "nowhere"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：监听地址"), "{}", r.stderr);
}

#[test]
fn help_explains_every_flag_and_command() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for word in [
        "--data",
        "--database",
        "--config",
        "--log-format",
        "serve",
        "demo",
        "migrate",
        "import",
        "export",
        "docno",
        "GONGKAI_DATA",
    ] {
        assert!(r.stdout.contains(word), "{word} in\n{}", r.stdout);
    }

    let r = run(&["import", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("documents"), "{}", r.stdout);

    for (args, words) in [
        (
            &["import", "documents", "--help"][..],
            &["--create-orgs", "--atomic", "--data", "FILE"][..],
        ),
        (
            &["export", "documents", "--help"],
            &["--format", "jsonl", "csv", "--out"],
        ),
        (&["serve", "--help"], &["--listen"]),
        (&["demo", "--help"], &["--port", "--listen-host"]),
        (&["docno", "normalize", "--help"], &["TEXT"]),
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}");
        for word in words {
            assert!(r.stdout.contains(word), "{word} in {args:?}:\n{}", r.stdout);
        }
    }
}

#[test]
fn demo_refuses_a_directory_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("notes.txt");
    std::fs::write(&precious, "do not delete").unwrap();
    let r = run(&[
        "demo",
        "--data",
        dir.path().to_str().unwrap(),
        "--port",
        "1",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误："), "{}", r.stderr);
    assert!(r.stderr.contains(".gongkai-demo"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "do not delete");
}

/// A port nobody listens on at the moment.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `gongkai demo`, reads its stdout until it says it is serving, then stops it.
fn run_demo(data: &Path) -> String {
    let port = free_port().to_string();
    let mut child = command()
        .args(["demo", "--data", data.to_str().unwrap(), "--port", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 {
        out.push_str(&line);
        if line.starts_with("Gongkai 正在运行") {
            break;
        }
        line.clear();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(out.contains(&format!("http://127.0.0.1:{port}/")), "{out}");
    out
}

#[test]
fn demo_makes_a_fresh_directory_and_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let out = run_demo(&data);
    assert!(out.contains("/staff/login"), "{out}");
    assert!(data.join(".gongkai-demo").is_file());
    assert!(data.join("gongkai.db").is_file());

    std::fs::write(data.join("leftover.txt"), "x").unwrap();
    run_demo(&data);
    assert!(
        !data.join("leftover.txt").exists(),
        "a second demo starts afresh"
    );
    assert!(data.join(".gongkai-demo").is_file());
}

fn run_with_stdin(site: &Site, args: &[&str], input: &str) -> Run {
    let data = site.data();
    let mut all = vec!["--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    let mut child = command()
        .args(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}

#[test]
fn a_new_deployment_gets_its_organizations_and_first_administrator_from_the_command_line() {
    let s = Site::new();
    let r = s.run(&[
        "org",
        "add",
        "FZ00101",
        "--name",
        "福州市人民政府办公厅",
        "--short-name",
        "榕政办",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run(&[
        "org",
        "add",
        "GL00101",
        "--name",
        "福州市鼓楼区人民政府办公室",
        "--parent",
        "FZ00101",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (args, message) in [
        (
            vec!["org", "add", "X", "--name", "某单位", "--parent", "NOPE"],
            "上级机构 NOPE 不存在",
        ),
        (vec!["org", "add", "GL00101", "--name", "重复"], "已存在"),
        (
            vec![
                "org",
                "add",
                "X",
                "--name",
                "某单位",
                "--index-pattern",
                "{year}-{serial}",
            ],
            "{org_code}",
        ),
        (
            vec!["org", "add", "X", "--name", "某单位", "--kind", "palace"],
            "未知",
        ),
    ] {
        let r = s.run(&args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(r.stderr.starts_with("错误："), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
    }
    let r = run_with_stdin(
        &s,
        &[
            "user",
            "add",
            "admin",
            "--role",
            "admin@FZ00101",
            "--password-stdin",
        ],
        "admin-pass-2026\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("已创建用户 admin"));
    let r = run_with_stdin(&s, &["user", "add", "u2", "--password-stdin"], "short\n");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("10 个字符"), "{}", r.stderr);
    let r = run_with_stdin(
        &s,
        &["user", "add", "u5", "--password-stdin"],
        "password123\n",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("太容易被猜中"), "{}", r.stderr);
    let r = run_with_stdin(
        &s,
        &[
            "user",
            "add",
            "u3",
            "--role",
            "clerk@NOPE",
            "--password-stdin",
        ],
        "long-enough-1\n",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("机构 NOPE 不存在"), "{}", r.stderr);
    let r = s.run(&["user", "add", "u4"]);
    assert_eq!(r.code, 1, "no password on a non-terminal stdin");
    let r = s.run(&["user", "grant", "admin", "approver@GL00101"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run(&["user", "list"]);
    assert!(
        r.stdout.contains("admin@FZ00101") && r.stdout.contains("approver@GL00101"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("admin-pass"),
        "passwords are never printed"
    );
    let r = s.run(&["org", "list"]);
    assert!(
        r.stdout.contains("福州市鼓楼区人民政府办公室"),
        "{}",
        r.stdout
    );
}

#[test]
fn xlsx_export_writes_a_workbook_file() {
    let s = Site::new();
    let file = s.file("docs.jsonl", &[titled(1), titled(2)]);
    assert_eq!(s.import(&file, &["--create-orgs"]).code, 0);
    let out = s.dir.path().join("catalog.xlsx");
    let r = s.run(&[
        "export",
        "documents",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("已导出 2 条"), "{}", r.stdout);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip package");
    assert!(
        !s.dir.path().join("catalog.xlsx.part").exists(),
        "the temporary file is renamed"
    );
}

#[test]
fn search_prints_json_lines_of_the_published_records_best_first() {
    let site = Site::new();
    let file = site.file(
        "docs.jsonl",
        &[
            titled(1),
            doc(
                json!({"title": "关于收取信息处理费的通知", "doc_number": "鼓政办〔2021〕53号",
                       "body_text": "依申请公开政府信息收取信息处理费。"}),
            ),
        ],
    );
    assert_eq!(site.import(&file, &["--create-orgs"]).code, 0);
    let r = site.run(&["search", "鼓政办[2021]53号"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    let hit = &lines[0];
    for key in [
        "title",
        "doc_number",
        "index_number",
        "org",
        "published_date",
        "url",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "{key} in {hit}");
    }
    assert_eq!(hit["doc_number"], "鼓政办〔2021〕53号");
    assert_eq!(hit["org"], "GLQ");
    assert_eq!(hit["published_date"], "2021-05-05");

    // What a later import adds is found by the next search.
    let more = site.file(
        "more.jsonl",
        &[doc(
            json!({"title": "蓝鲸湾湿地保护专项行动", "doc_number": "鼓政办〔2021〕60号"}),
        )],
    );
    assert_eq!(site.import(&more, &[]).code, 0);
    let r = site.run(&["search", "湿地", "--limit", "5"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("蓝鲸湾湿地保护专项行动"));

    let r = site.run(&["search", "不存在的词语组合"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, ""),
        "nothing found prints nothing"
    );
    let r = site.run(&["search", "通知", "--org", "NOPE"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("NOPE"), "{}", r.stderr);
    let r = site.run(&["search", "通知", "--limit", "0"]);
    assert_ne!(r.code, 0);

    let r = site.run(&["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("3 条"), "{}", r.stdout);
    let r = site.run(&["search", "信息处理费"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

/// Runs SQL on a site's SQLite database, as someone with the file would.
fn tamper(s: &Site, sql: &str) {
    use sqlx::Connection;
    let path = s.data().join("gongkai.db");
    let sql = sql.to_owned();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .unwrap();
        });
}

#[test]
fn audit_verify_exits_1_naming_the_entry_tampered_with() {
    let s = Site::new();
    for code in ["FZ00101", "GL00101", "GL00102"] {
        let r = s.run(&["org", "add", code, "--name", &format!("机构{code}")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let ok = s.run(&["audit", "verify"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("审计日志完整：共 3 条"), "{}", ok.stdout);
    tamper(
        &s,
        "UPDATE audit_log SET detail = '{\"code\":\"X\"}' WHERE seq = 2",
    );
    let altered = s.run(&["audit", "verify"]);
    assert_eq!(altered.code, 1);
    assert!(
        altered.stderr.contains("第 2 条记录被改动"),
        "{}",
        altered.stderr
    );
}
