//! `gongkai generate`: the benchmark data it writes imports cleanly.

use super::{Site, run};

#[test]
fn generated_records_import_without_errors_over_500_organizations() {
    let s = Site::new();
    let file = s.dir.path().join("bench.jsonl");
    let file = file.to_str().unwrap();
    let r = s.run(&["generate", "--records", "300", "--out", file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("新建 500 个，已有 0 个"), "{}", r.stdout);
    let first = std::fs::read_to_string(file).unwrap();
    assert_eq!(first.lines().count(), 300);

    let r = s.run(&["import", "documents", file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("导入 300 条，拒绝 0 行，警告 0 条"),
        "{}",
        r.stdout
    );

    let r = s.run(&["org", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let orgs = r.stdout.lines().filter(|l| l.starts_with("│ SF")).count();
    assert_eq!(orgs, 500, "{}", r.stdout);
    assert!(r.stdout.contains("示范市鼓楼区教育局"), "{}", r.stdout);

    // Again with the same seed: the organizations are there, the file is the same.
    let r = s.run(&["generate", "--records", "300", "--out", file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("新建 0 个，已有 500 个"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(file).unwrap(), first);
}

#[test]
fn generate_refuses_zero_records_and_an_unwritable_file() {
    let s = Site::new();
    let file = s.dir.path().join("x.jsonl");
    let r = s.run(&[
        "generate",
        "--records",
        "0",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：--records"), "{}", r.stderr);

    let missing = s.dir.path().join("no-such-dir/x.jsonl");
    let r = s.run(&[
        "generate",
        "--records",
        "5",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：无法写入文件"), "{}", r.stderr);
    assert!(r.stderr.contains("文件或目录不存在"), "{}", r.stderr);

    let r = run(&[
        "generate",
        "--records",
        "5",
        "--orgs",
        "0",
        "--out",
        "x.jsonl",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("错误：--orgs"), "{}", r.stderr);
}
