use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Normal (non-dev) dependencies of each workspace crate.
fn dependencies() -> Vec<(String, BTreeSet<String>)> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .collect();
            (p["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

fn deps_of(name: &str) -> BTreeSet<String> {
    dependencies()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap()
        .1
}

#[test]
fn the_domain_depends_only_on_small_pure_crates() {
    // sha2 and hex: the audit chain's hash, pure arithmetic.
    let allowed: BTreeSet<String> = ["hex", "serde", "serde_json", "sha2", "thiserror", "time"]
        .map(String::from)
        .into();
    let deps = deps_of("gongkai-domain");
    let extra: Vec<_> = deps.difference(&allowed).collect();
    assert!(
        extra.is_empty(),
        "gongkai-domain may not depend on {extra:?}: it does no I/O"
    );
}

#[test]
fn only_the_store_and_testkit_talk_sql() {
    for (name, deps) in dependencies() {
        if name != "gongkai-store" && name != "gongkai-testkit" {
            assert!(
                !deps.contains("sqlx"),
                "{name} depends on sqlx; SQL lives in gongkai-store"
            );
        }
    }
}

#[test]
fn only_the_web_crate_knows_http_and_templates() {
    let web_only = ["axum", "askama", "askama_web", "tower-http", "qrcode"];
    for (name, deps) in dependencies() {
        if name == "gongkai-web" {
            continue;
        }
        for d in web_only {
            assert!(
                !deps.contains(d),
                "{name} depends on {d}; HTTP and templates live in gongkai-web"
            );
        }
    }
}

#[test]
fn crates_depend_along_the_crate_map() {
    let map = [
        ("gongkai-domain", vec![]),
        ("gongkai-store", vec!["gongkai-domain"]),
        ("gongkai-search", vec!["gongkai-domain"]),
        (
            "gongkai-app",
            vec!["gongkai-domain", "gongkai-store", "gongkai-search"],
        ),
        ("gongkai-web", vec!["gongkai-app", "gongkai-domain"]),
        (
            "gongkai-cli",
            vec!["gongkai-app", "gongkai-web", "gongkai-domain"],
        ),
    ];
    for (name, allowed) in map {
        let ours: Vec<String> = deps_of(name)
            .into_iter()
            .filter(|d| d.starts_with("gongkai-"))
            .collect();
        for d in &ours {
            assert!(
                allowed.contains(&d.as_str()),
                "{name} may not depend on {d} (ARCHITECTURE.md crate map)"
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_sql_statements_outside_the_store() {
    let root = workspace_root().join("crates");
    for krate in std::fs::read_dir(&root).unwrap() {
        let krate = krate.unwrap().path();
        let name = krate.file_name().unwrap().to_string_lossy().into_owned();
        if name == "gongkai-store" || name == "gongkai-testkit" {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&krate.join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for needle in ["sqlx::", "SELECT ", "INSERT INTO", "UPDATE documents"] {
                assert!(
                    !text.contains(needle),
                    "{} contains {needle:?}: SQL lives in gongkai-store",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn the_domain_never_reads_the_clock() {
    let mut files = Vec::new();
    rust_files(
        &workspace_root().join("crates/gongkai-domain/src"),
        &mut files,
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in [
            "now_utc",
            "now_local",
            "SystemTime",
            "Instant::now",
            "std::fs",
            "std::net",
            "std::env",
        ] {
            assert!(
                !text.contains(needle),
                "{} uses {needle}: the domain takes time and data as arguments",
                f.display()
            );
        }
    }
}
