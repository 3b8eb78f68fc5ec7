//! The search index: what is found, in which order, with which counts.

use std::collections::HashMap;

use gongkai_domain::DocStatus;
use gongkai_search::{Matched, Published, Record, SearchIndex, SearchQuery, subtree_counts};
use time::macros::date;

/// A published record of organization 1 (under 0), in force, body of one sentence.
fn record(id: i64, title: &str, body: &str) -> Record {
    Record {
        id,
        org_id: 1,
        org_path: vec![1, 0],
        org_code: "GL00101".into(),
        org_name: "福州市鼓楼区人民政府办公室".into(),
        title: title.into(),
        doc_number: None,
        index_number: None,
        topic_code: "0201".into(),
        kind: "notice".into(),
        validity: "valid".into(),
        published_date: date!(2021 - 06 - 09),
        body_text: body.into(),
        attachments_text: String::new(),
    }
}

fn published(r: Record) -> Published {
    Published::new(DocStatus::Published, r).unwrap()
}

fn index(records: Vec<Record>) -> SearchIndex {
    let ix = SearchIndex::in_memory(&["榕政办", "鼓楼区人民政府办公室"]).unwrap();
    let docs: Vec<Published> = records.into_iter().map(published).collect();
    ix.upsert(&docs).unwrap();
    ix.commit().unwrap();
    ix
}

fn ids(ix: &SearchIndex, text: &str) -> Vec<i64> {
    search(ix, text).hits.iter().map(|h| h.id).collect()
}

fn search(ix: &SearchIndex, text: &str) -> gongkai_search::SearchResults {
    ix.search(&SearchQuery {
        text: text.into(),
        limit: 20,
        ..SearchQuery::default()
    })
    .unwrap()
}

#[test]
fn only_a_published_record_can_be_indexed() {
    for status in [DocStatus::Draft, DocStatus::Withdrawn] {
        assert!(
            Published::new(status, record(1, "草稿", "正文")).is_none(),
            "{status:?}"
        );
    }
    assert!(Published::new(DocStatus::Published, record(1, "已发布", "正文")).is_some());
}

#[test]
fn domain_terms_are_kept_whole() {
    let s = gongkai_search::Segmenter::new(&["榕政办"]);
    for term in [
        "政务公开",
        "依申请公开",
        "信息处理费",
        "规范性文件",
        "预决算",
        "放管服",
        "榕政办",
    ] {
        assert_eq!(s.query_words(term), [term], "{term}");
    }
    assert_eq!(
        s.query_words("关于收取信息处理费的通知"),
        ["关于", "收取", "信息处理费", "的", "通知"]
    );
}

#[test]
fn a_title_match_comes_before_a_body_match() {
    let ix = index(vec![
        record(1, "关于开展安全检查的通知", "请各单位做好政务公开工作。"),
        record(
            2,
            "鼓楼区政务公开工作要点",
            "各街道办事处：现将要点印发给你们。",
        ),
    ]);
    assert_eq!(ids(&ix, "政务公开"), [2, 1]);
}

#[test]
fn in_force_before_expired_and_recent_before_old_at_equal_relevance() {
    let mut old = record(1, "政务公开工作要点", "正文");
    old.published_date = date!(2019 - 03 - 01);
    let mut new = record(2, "政务公开工作要点", "正文");
    new.published_date = date!(2023 - 03 - 01);
    let mut expired = record(3, "政务公开工作要点", "正文");
    expired.published_date = date!(2024 - 03 - 01);
    expired.validity = "expired".into();
    let ix = index(vec![old, new, expired]);
    assert_eq!(ids(&ix, "政务公开 工作要点"), [2, 1, 3]);
}

#[test]
fn every_word_must_match_and_matches_are_marked() {
    let ix = index(vec![
        record(
            1,
            "鼓楼区2021年政务公开工作要点",
            "为深入贯彻落实政务公开工作要求，现将工作要点印发给你们。",
        ),
        record(2, "政务公开目录", "另一份文件。"),
    ]);
    let r = search(&ix, "政务公开 工作要点");
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    assert_eq!(hit.id, 1);
    assert!(
        hit.title_html.contains("<mark>政务公开</mark>"),
        "{}",
        hit.title_html
    );
    assert!(hit.snippet_html.contains("<mark>"), "{}", hit.snippet_html);
    assert!(
        !hit.snippet.contains('<'),
        "the plain snippet has no markup"
    );
}

#[test]
fn two_character_words_and_words_inside_longer_ones_are_found() {
    let ix = index(vec![
        record(1, "最高人民法院关于审理案件的规定", "正文"),
        record(2, "关于税收优惠的公告", "增值税税率调整。"),
        record(3, "通知", "经最高人民法院审判委员会讨论通过。"),
    ]);
    assert_eq!(ids(&ix, "人民法院"), [1, 3], "a title before a body");
    assert_eq!(ids(&ix, "税收"), [2]);
    assert_eq!(ids(&ix, "审理"), [1]);
}

#[test]
fn a_doc_number_in_any_variant_puts_its_record_first() {
    let mut target = record(9, "福州市人民政府办公厅关于印发工作要点的通知", "正文");
    target.doc_number = Some("榕政办〔2021〕53号".into());
    let mut other = record(
        10,
        "榕政办〔2021〕53号文件的解读",
        "关于榕政办〔2021〕53号的解读。",
    );
    other.doc_number = Some("榕政办〔2021〕54号".into());
    let ix = index(vec![other, target]);
    for q in [
        "榕政办〔2021〕53号",
        "榕政办[2021]53号",
        "榕政办(2021)第053号",
        "榕政办 〔２０２１〕 53 号",
        "榕政办【2021】53号",
        "榕政办〔2021〕53",
        "榕政办2021年53号",
    ] {
        let r = search(&ix, q);
        assert_eq!(r.hits[0].id, 9, "{q}");
        assert_eq!(r.hits[0].matched, Matched::DocNumber, "{q}");
    }
}

#[test]
fn a_decree_number_is_found_with_or_without_the_state_name() {
    let mut decree = record(5, "政府信息公开条例", "第一条");
    decree.doc_number = Some("中华人民共和国国务院令第711号".into());
    let ix = index(vec![decree, record(6, "其他", "国务院")]);
    for q in [
        "国务院令第711号",
        "中华人民共和国国务院令第711号",
        "国务院令第７１１号",
        "国务院令 第711号",
        "国务院令711号",
        "国令第711号",
        "国令711号",
    ] {
        assert_eq!(ids(&ix, q).first(), Some(&5), "{q}");
    }
}

#[test]
fn a_partial_doc_number_lists_the_candidates() {
    let mut a = record(1, "甲", "正文");
    a.doc_number = Some("榕政办〔2021〕53号".into());
    let mut b = record(2, "乙", "正文");
    b.doc_number = Some("榕政办〔2019〕53号".into());
    let mut c = record(3, "丙", "正文");
    c.doc_number = Some("闽政〔2021〕53号".into());
    let ix = index(vec![a, b, c]);
    let mut got = ids(&ix, "榕政办53号");
    got.sort_unstable();
    assert_eq!(got, [1, 2]);
    let mut got = ids(&ix, "2021年53号");
    got.sort_unstable();
    assert_eq!(got, [1, 3]);
    assert!(
        search(&ix, "榕政办53号")
            .hits
            .iter()
            .all(|h| h.matched == Matched::DocNumberPart)
    );
}

#[test]
fn an_index_number_is_looked_up() {
    let mut r = record(4, "甲", "正文");
    r.index_number = Some("GL00101-0201-2021-00002".into());
    let ix = index(vec![r, record(5, "乙", "正文")]);
    let got = search(&ix, "gl00101-0201-2021-00002");
    assert_eq!(got.hits[0].id, 4);
    assert_eq!(got.hits[0].matched, Matched::IndexNumber);
}

#[test]
fn facets_count_every_hit_and_filters_narrow() {
    let mut records = Vec::new();
    for i in 0..30 {
        let mut r = record(i, "政务公开工作", "正文");
        r.org_id = if i % 3 == 0 { 2 } else { 1 };
        r.org_path = vec![r.org_id, 0];
        r.published_date = if i % 2 == 0 {
            date!(2021 - 01 - 05)
        } else {
            date!(2022 - 01 - 05)
        };
        r.kind = if i < 10 {
            "notice".into()
        } else {
            "opinion".into()
        };
        r.validity = if i < 5 {
            "expired".into()
        } else {
            "valid".into()
        };
        records.push(r);
    }
    records.push(record(100, "无关", "正文"));
    let ix = index(records);
    let r = search(&ix, "政务公开");
    assert_eq!(r.total, 30);
    assert_eq!(r.hits.len(), 20, "one page");
    let mut org = r.facets.org.clone();
    org.sort_unstable();
    assert_eq!(org, [(1, 20), (2, 10)]);
    assert_eq!(r.facets.year, [(2022, 15), (2021, 15)], "newest first");
    let kind: HashMap<_, _> = r.facets.kind.iter().cloned().collect();
    assert_eq!(kind["notice"], 10);
    assert_eq!(kind["opinion"], 20);
    let validity: HashMap<_, _> = r.facets.validity.iter().cloned().collect();
    assert_eq!(validity["expired"], 5);
    let narrowed = ix
        .search(&SearchQuery {
            text: "政务公开".into(),
            org_id: Some(2),
            year: Some(2021),
            limit: 50,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(narrowed.total, 5, "org 2 holds 0, 6, 12, 18, 24 of 2021");
    let parent = ix
        .search(&SearchQuery {
            text: "政务公开".into(),
            org_id: Some(0),
            limit: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(parent.total, 30, "a unit's search covers its sub-units");
    let second = ix
        .search(&SearchQuery {
            text: "政务公开".into(),
            offset: 20,
            limit: 20,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(second.hits.len(), 10);
}

#[test]
fn subtree_counts_add_each_unit_to_its_ancestors() {
    let parents: HashMap<i64, Option<i64>> = [(1, None), (2, Some(1)), (3, Some(2)), (4, Some(1))]
        .into_iter()
        .collect();
    let got = subtree_counts(&[(3, 5), (4, 2), (1, 1)], &parents);
    assert_eq!(got[&1], 8);
    assert_eq!(got[&2], 5);
    assert_eq!(got[&3], 5);
    assert_eq!(got[&4], 2);
}

#[test]
fn a_removed_or_replaced_record_is_gone_after_commit() {
    let ix = index(vec![
        record(1, "政务公开", "正文"),
        record(2, "政务公开", "正文"),
    ]);
    ix.remove(&[1]).unwrap();
    ix.upsert(&[published(record(2, "信息处理费", "正文"))])
        .unwrap();
    ix.commit().unwrap();
    assert!(ids(&ix, "政务公开").is_empty());
    assert_eq!(ids(&ix, "信息处理费"), [2]);
    assert_eq!(ix.len(), 1);
}

#[test]
fn an_index_on_disk_is_reopened_and_one_of_another_version_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let (ix, opened) = SearchIndex::open(&path, &["榕政办"]).unwrap();
    assert_eq!(opened, gongkai_search::Opened::Created);
    ix.upsert(&[published(record(1, "政务公开", "正文"))])
        .unwrap();
    ix.commit().unwrap();
    drop(ix);
    let (ix, opened) = SearchIndex::open(&path, &["榕政办"]).unwrap();
    assert_eq!(opened, gongkai_search::Opened::Existing);
    assert_eq!(ids(&ix, "政务公开"), [1]);
    drop(ix);
    std::fs::write(path.join("gongkai-search-version"), "0").unwrap();
    let (ix, opened) = SearchIndex::open(&path, &["榕政办"]).unwrap();
    assert_eq!(opened, gongkai_search::Opened::Created);
    assert!(ix.is_empty());
}

#[test]
fn queries_of_punctuation_or_nothing_find_nothing() {
    let ix = index(vec![record(1, "政务公开", "正文")]);
    for q in ["", "   ", "，。！", "<script>"] {
        let r = search(&ix, q);
        assert!(r.hits.is_empty(), "{q:?}");
    }
}

#[test]
fn a_word_inside_an_organization_name_kept_whole_is_found() {
    let ix = SearchIndex::in_memory(&["福州市鼓楼区人民政府办公室"]).unwrap();
    ix.upsert(&[
        published(record(
            1,
            "关于做好征兵工作的通知",
            "福州市鼓楼区人民政府办公室决定开展征兵工作。",
        )),
        published(record(2, "另一份通知", "县人民政府决定。")),
    ])
    .unwrap();
    ix.commit().unwrap();
    let mut got = ids(&ix, "人民政府");
    got.sort_unstable();
    assert_eq!(
        got,
        [1, 2],
        "the word alone, and inside the name the dictionary keeps whole"
    );
    assert_eq!(ids(&ix, "福州市鼓楼区人民政府办公室"), [1]);
}

#[test]
fn old_laws_keep_their_dates_and_rank_in_force_then_recent() {
    let mut old = record(1, "中华人民共和国宪法", "第一条");
    old.published_date = date!(1954 - 09 - 20);
    let mut recent = record(2, "中华人民共和国宪法", "第一条");
    recent.published_date = date!(2018 - 03 - 11);
    let mut repealed = record(3, "中华人民共和国宪法", "第一条");
    repealed.published_date = date!(2020 - 01 - 01);
    repealed.validity = "repealed".into();
    let ix = index(vec![old, recent, repealed]);
    let r = search(&ix, "宪法");
    let got: Vec<(i64, time::Date)> = r.hits.iter().map(|h| (h.id, h.published_date)).collect();
    assert_eq!(
        got,
        [
            (2, date!(2018 - 03 - 11)),
            (1, date!(1954 - 09 - 20)),
            (3, date!(2020 - 01 - 01))
        ]
    );
}

#[test]
fn a_word_split_differently_in_a_body_is_still_found() {
    // The query keeps 蜂产品 whole; the body is cut 蜂 + 产品质量 (and 产品) around it.
    let ix = index(vec![record(
        1,
        "养蜂管理条例",
        "生产者不得使用危害蜂产品质量安全的药品和容器。",
    )]);
    assert_eq!(ids(&ix, "蜂产品"), [1]);
}

#[test]
fn the_yearly_plans_come_newest_first_whatever_their_bodies_say() {
    // Titles alike, bodies of different length and word counts: BM25 differs a little,
    // which is no reason to put 2019 before 2023.
    let plan = |id: i64, year: i32, body: &str| {
        let mut r = record(
            id,
            &format!("福州市人民政府办公厅关于印发{year}年全市政务公开工作要点的通知"),
            body,
        );
        r.published_date = time::Date::from_calendar_date(year, time::Month::June, 1).unwrap();
        r
    };
    let ix = index(vec![
        plan(1, 2019, "政务公开工作要点。政务公开。政务公开。"),
        plan(
            2,
            2023,
            &format!(
                "{}政务公开工作要点。",
                "各县（市）区人民政府，市直各委办局：".repeat(30)
            ),
        ),
        plan(3, 2021, "现将政务公开工作要点印发给你们，请认真贯彻落实。"),
    ]);
    assert_eq!(ids(&ix, "政务公开 工作要点"), [2, 3, 1]);
}
