//! `gongkai demo`: the organizations of the source documents (seeds 000–004), their five
//! documents with real metadata, over 2,000 further records (generated local records and
//! real laws and State Council documents from the corpus), one account per role, a few
//! drafts, a withdrawn record, an amended 指南 and attachments.
//!
//! The data files live in `data/demo/` and are compiled into the binary, so the demo needs
//! nothing but the binary. `data/demo/README.md` says how they were made.

use std::io::Cursor;

use gongkai_domain::{OrgKind, Role, Validity, validate_line};
use gongkai_store::documents::{self, Filter};
use gongkai_store::report_figures;
use serde::Deserialize;

use crate::documents::Actor;
use crate::import::{ImportOptions, ImportProgress, import_documents};
use crate::orgs::{OrgInput, create_in};
use crate::{App, Error, Result, auth, files};

const ORGS: &str = include_str!("../../../data/demo/orgs.json");
const CORPUS_ORGS: &str = include_str!("../../../data/demo/corpus-orgs.json");
const LOCAL: &str = include_str!("../../../data/demo/local.jsonl");
const SEEDS: &str = include_str!("../../../data/demo/seeds.jsonl");
pub(crate) const CORPUS: &str = include_str!("../../../data/demo/corpus.jsonl");
const APPLY: &str = include_str!("../../../data/demo/apply.jsonl");
const REQUESTS: &str = include_str!("../../../data/demo/requests.jsonl");

/// Progress of the demo seeding.
#[derive(Clone, Copy, Debug)]
pub struct DemoProgress {
    /// What is being done, in Chinese.
    pub stage: &'static str,
    /// Units done.
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// A demo account.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
}

/// What the demo created.
#[derive(Clone, Debug, Default)]
pub struct DemoReport {
    /// Accounts, one per role.
    pub accounts: Vec<DemoAccount>,
    /// Published records.
    pub documents: u64,
    /// Information requests (依申请公开) of the 鼓楼区 units, 2019–2026.
    pub requests: u64,
    /// Organizations.
    pub organizations: u64,
    /// A replied request whose letters the applicant downloads: (查询码, 密码).
    pub sample_request: Option<(String, String)>,
}

#[derive(Deserialize)]
struct DemoOrg {
    code: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    parent: Option<String>,
    index_pattern: Option<String>,
}

#[derive(Deserialize)]
struct CorpusOrg {
    code: String,
    name: String,
}

/// The demo accounts: (user name, display name, role, organization code).
const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("clerk", "林经办", Role::Clerk, "GL00101"),
    ("reviewer", "陈审核", Role::Reviewer, "GL00101"),
    ("approver", "王签发", Role::Approver, "GL00101"),
    ("office", "张公开办", Role::Office, "GL00101"),
    ("admin", "平台管理员", Role::Admin, "FZ00101"),
];

/// Seeds an empty database with the demo.
pub async fn seed(app: &App, mut progress: impl FnMut(DemoProgress)) -> Result<DemoReport> {
    let mut c = app.db().conn().await?;
    if !gongkai_store::orgs::all(&mut c).await?.is_empty() {
        return Err(Error::Conflict(
            "数据库中已有机构，演示数据只能写入空数据库".into(),
        ));
    }
    drop(c);

    let orgs: Vec<DemoOrg> =
        serde_json::from_str(ORGS).map_err(|e| Error::internal(format!("orgs.json: {e}")))?;
    let corpus_orgs: Vec<CorpusOrg> = serde_json::from_str(CORPUS_ORGS)
        .map_err(|e| Error::internal(format!("corpus-orgs.json: {e}")))?;
    let mut inputs = Vec::with_capacity(orgs.len() + corpus_orgs.len());
    for o in orgs {
        inputs.push(OrgInput {
            kind: OrgKind::from_code(&o.kind).map_err(|e| Error::internal(e.to_string()))?,
            code: o.code,
            name: o.name,
            short_name: o.short_name,
            parent: o.parent,
            index_pattern: o.index_pattern,
        });
    }
    inputs.extend(corpus_orgs.into_iter().map(|o| OrgInput {
        code: o.code,
        name: o.name,
        short_name: None,
        kind: OrgKind::Other,
        parent: None,
        index_pattern: None,
    }));
    let total_orgs = inputs.len() as u64;
    let mut tx = app.db().begin().await?;
    for (done, input) in inputs.iter().enumerate() {
        create_in(&mut tx, input, app.now()).await?;
        progress(DemoProgress {
            stage: "创建机构",
            done: done as u64 + 1,
            total: total_orgs,
        });
    }
    tx.commit().await?;

    // The annual reports of local.jsonl are written again from the platform's own tables once
    // the requests are in, so that the column, the office's page and the JSON agree.
    let (local, reports) = split_reports(LOCAL)?;
    // Order matters: seeds.jsonl after local.jsonl gives seed 002 its real index number.
    let mut documents = 0;
    for (stage, data) in [
        ("导入本地文件", local.as_str()),
        ("导入源文件", SEEDS),
        ("导入法规文件", CORPUS),
        ("导入申请指南", APPLY),
    ] {
        let total = data.len() as u64;
        let report = import_documents(app, Cursor::new(data), ImportOptions::default(), |p| {
            if let ImportProgress::Read(bytes) = p {
                progress(DemoProgress {
                    stage,
                    done: bytes,
                    total,
                });
            }
        })
        .await?;
        if let Some(p) = report.errors.first() {
            return Err(Error::internal(format!("demo data {stage}: {p}")));
        }
        documents += report.imported as u64;
    }

    let total = REQUESTS.len() as u64;
    let report =
        crate::import::import_requests(app, Cursor::new(REQUESTS), ImportOptions::default(), |p| {
            if let ImportProgress::Read(bytes) = p {
                progress(DemoProgress {
                    stage: "导入依申请公开记录",
                    done: bytes,
                    total,
                });
            }
        })
        .await?;
    if let Some(p) = report.errors.first() {
        return Err(Error::internal(format!("demo data requests: {p}")));
    }
    let requests = report.imported as u64;
    office_figures(app).await?;
    documents += annual_reports(app, &reports, &mut progress).await?;
    let live = live_requests(app).await?;

    progress(DemoProgress {
        stage: "创建演示账号",
        done: 0,
        total: ACCOUNTS.len() as u64,
    });
    let mut accounts = Vec::new();
    let mut staff_of = std::collections::HashMap::new();
    for (i, (username, display, role, org)) in ACCOUNTS.iter().enumerate() {
        let password = format!("{username}-demo-2026");
        let staff = auth::create_user(app, username, display, &password, &[(org, *role)]).await?;
        staff_of.insert(*username, staff.clone());
        accounts.push(DemoAccount {
            username: (*username).to_owned(),
            password,
            role: *role,
            org_code: (*org).to_owned(),
            org_name: staff
                .grants
                .first()
                .map(|g| g.org_name.clone())
                .unwrap_or_default(),
        });
        progress(DemoProgress {
            stage: "创建演示账号",
            done: i as u64 + 1,
            total: ACCOUNTS.len() as u64,
        });
    }

    progress(DemoProgress {
        stage: "草稿、撤回与附件",
        done: 0,
        total: 1,
    });
    workflow_examples(app).await?;
    let mut sample_request = None;
    if let (Some(clerk), Some(reviewer), Some(approver)) = (
        staff_of.get("clerk"),
        staff_of.get("reviewer"),
        staff_of.get("approver"),
    ) {
        queues(app, clerk, reviewer, approver).await?;
        sample_request = reply_examples(app, &live, clerk, reviewer, approver).await?;
    }
    progress(DemoProgress {
        stage: "草稿、撤回与附件",
        done: 1,
        total: 1,
    });

    Ok(DemoReport {
        accounts,
        documents,
        requests,
        organizations: total_orgs,
        sample_request,
    })
}

const DRAFTS: &[&str] = &[
    r#"{"org":"GL00101","title":"福州市鼓楼区人民政府办公室关于印发鼓楼区2027年政务公开工作要点的通知","doc_number":null,"issuer":"福州市鼓楼区人民政府办公室","topic":"综合政务\\政务公开","kind":"通知","written_date":"2026-11-20","published_date":"2026-11-20","validity":"valid","column":"法定主动公开内容/政策文件","body_text":"各街道办事处、洪山镇政府，区直各办、局（公司）：\n现将《鼓楼区2027年政务公开工作要点》印发给你们，请结合实际认真贯彻落实。\n（征求意见稿，尚未发布）"}"#,
    r#"{"org":"GL01007","title":"华大街道2027年老旧小区改造项目计划（草稿）","doc_number":null,"issuer":"福州市鼓楼区华大街道办事处","topic":"城乡建设、环境保护\\城乡建设（含住房）","kind":"方案","written_date":"2026-11-18","published_date":"2026-11-18","validity":"valid","column":"法定主动公开内容/重大建设项目","body_text":"一、项目范围\n二、资金安排\n三、实施步骤\n（内部讨论稿）"}"#,
];

const WITHDRAWN: &str = r#"{"org":"GL00301","title":"关于鼓楼区部分路段临时占道施工的通告","doc_number":"鼓执综〔2026〕88号","issuer":"福州市鼓楼区城市管理局","topic":"城乡建设、环境保护\\城市规划","kind":"通告","written_date":"2026-10-10","published_date":"2026-10-12","validity":"valid","column":"法定主动公开内容/行政处罚和行政强制","body_text":"因施工计划调整，本通告所列路段与时间有误。"}"#;

/// An annual report of the demo's prose: whose, which year, when published, and its text.
struct ProseReport {
    org: String,
    year: i32,
    written: time::Date,
    published: time::Date,
    text: String,
}

/// Takes the annual reports out of the demo's document lines.
fn split_reports(data: &str) -> Result<(String, Vec<ProseReport>)> {
    let mut rest = String::with_capacity(data.len());
    let mut reports = Vec::new();
    for line in data.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::internal(format!("local.jsonl: {e}")))?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default();
        let column_first = field("column").split('/').next().unwrap_or_default();
        let year = gongkai_domain::report::report_year_of(column_first, field("title"));
        let dates = gongkai_domain::parse_date(field("written_date"))
            .ok()
            .zip(gongkai_domain::parse_date(field("published_date")).ok());
        match (year, dates) {
            (Some(year), Some((written, published))) => reports.push(ProseReport {
                org: field("org").to_owned(),
                year,
                written,
                published,
                text: field("body_text").to_owned(),
            }),
            _ => {
                rest.push_str(line);
                rest.push('\n');
            }
        }
    }
    Ok((rest, reports))
}

/// The figures an office wrote in its prose report: table 二's 许可, 处罚, 强制 and 收费, and
/// sections 一, 五 and 六 (the overview's sentence on requests replaced by the platform's
/// figures, which the tables carry).
fn prose_figures(
    p: &ProseReport,
    report: &gongkai_domain::report::AnnualReport,
) -> report_figures::Figures {
    let number = |label: &str| -> i64 {
        p.text
            .split(label)
            .nth(1)
            .map(|t| {
                t.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    };
    let fees_fen = p
        .text
        .split("本年收费金额")
        .nth(1)
        .map(|t| {
            t.chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
        })
        .and_then(|d| d.parse::<f64>().ok())
        .map_or(0, |wan| (wan * 1_000_000.0).round() as i64);
    let section = |head: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut inside = false;
        for line in p.text.lines() {
            if line.starts_with(head) {
                inside = true;
                out.push(line.split_once('。').map_or(line, |(_, t)| t).to_owned());
                continue;
            }
            if inside {
                let next_section = ["二、", "三、", "四、", "五、", "六、"]
                    .iter()
                    .any(|h| line.starts_with(h));
                if next_section || !line.starts_with('（') {
                    break;
                }
                out.push(line.to_owned());
            }
        }
        out.retain(|l| !l.trim().is_empty());
        out
    };
    let cell = |key: &str| {
        gongkai_domain::report::RequestRow::all()
            .find(|r| r.key() == key)
            .map_or(0, |r| {
                report
                    .requests
                    .cell(r, gongkai_domain::report::TOTAL_COLUMN)
            })
    };
    let overview: Vec<String> = section("一、总体情况")
        .into_iter()
        .map(|l| {
            if l.starts_with("（二）依申请公开") {
                format!(
                    "（二）依申请公开。全年新收政府信息公开申请{}件，上年结转{}件，办结{}件，结转下年度继续办理{}件。",
                    cell("new"),
                    cell("carried_in"),
                    cell("outcome.total"),
                    cell("carried_out")
                )
            } else {
                l
            }
        })
        .collect();
    report_figures::Figures {
        licensing_decisions: number("行政许可：本年处理决定"),
        punishments: number("行政处罚：本年处理决定"),
        coercive_measures: number("行政强制：本年处理决定"),
        fees_fen,
        overview: overview.join("\n"),
        problems: section("五、存在的主要问题及改进情况").join("\n"),
        other: section("六、其他需要报告的事项").join("\n"),
        source: "本机关年度统计".to_owned(),
        ..report_figures::Figures::default()
    }
}

/// Publishes the demo's annual reports as the platform writes them: each office's own
/// figures and sections from its prose (鼓楼区人民政府办公室's entered by [`office_figures`]),
/// the tables from the records, published on the day the prose was. Returns how many.
async fn annual_reports(
    app: &App,
    reports: &[ProseReport],
    progress: &mut impl FnMut(DemoProgress),
) -> Result<u64> {
    let tree = crate::orgs::OrgTree::load(app).await?;
    let total = reports.len() as u64;
    for (i, p) in reports.iter().enumerate() {
        let org = tree
            .by_code(&p.org)
            .ok_or_else(|| Error::internal(format!("demo report of unknown {}", p.org)))?;
        let entered = {
            let mut c = app.db().conn().await?;
            report_figures::get(&mut c, org.id, p.year).await?
        };
        if entered.is_none() {
            let (computed, _) = crate::report::annual(app, Actor::System, &p.org, p.year).await?;
            let figures = prose_figures(p, &computed);
            let mut c = app.db().conn().await?;
            report_figures::put(&mut c, org.id, p.year, &figures, app.now()).await?;
        }
        let (report, violations) =
            crate::report::annual(app, Actor::System, &p.org, p.year).await?;
        if let Some(v) = violations.first() {
            return Err(Error::internal(format!(
                "demo report {} {}: {v}",
                p.org, p.year
            )));
        }
        let valid = crate::report::report_record(org, &report, p.written)?;
        let id = crate::documents::create_draft(app, Actor::System, &valid).await?;
        let docx = crate::report_files::docx(&report, &org.name)?;
        crate::files::attach(
            app,
            Actor::System,
            id,
            &format!("{}.docx", valid.title),
            docx,
        )
        .await?;
        crate::documents::publish(app, Actor::System, id, p.published).await?;
        progress(DemoProgress {
            stage: "发布年度报告",
            done: i as u64 + 1,
            total,
        });
    }
    Ok(total)
}

/// The figures 鼓楼区人民政府办公室 enters itself for table 二 and the narrative sections,
/// 2019–2025 (invented for the demo, of a plausible size for a district office).
async fn office_figures(app: &App) -> Result<()> {
    let mut tx = app.db().begin().await?;
    let org = gongkai_store::orgs::by_code(&mut tx, "GL00101")
        .await?
        .ok_or_else(|| Error::internal("demo organization GL00101 missing"))?;
    for (year, licensing, punishments, coercive, fees_fen) in [
        (2019, 1_204, 356, 12, 0),
        (2020, 1_377, 298, 9, 0),
        (2021, 1_512, 341, 15, 0),
        (2022, 1_466, 402, 11, 40_000),
        (2023, 1_598, 377, 8, 0),
        (2024, 1_655, 365, 10, 20_000),
        (2025, 1_731, 389, 7, 0),
    ] {
        let mut figures = gongkai_store::report_figures::Figures {
            licensing_decisions: licensing,
            punishments,
            coercive_measures: coercive,
            fees_fen,
            overview: format!(
                "{year}年，鼓楼区人民政府办公室坚持以公开为常态、不公开为例外，围绕主动公开、依申请公开、\
                 政府信息管理、政府信息公开平台建设、监督保障五方面推进政务公开工作。"
            ),
            problems: "依申请公开答复文书的规范性有待提高，部分街道信息更新不够及时。下一步将加强业务培训，\
                       完善答复模板，落实信息发布审核制度。"
                .to_owned(),
            other: if fees_fen > 0 {
                format!(
                    "依据《政府信息公开信息处理费管理办法》规定，本年度收取信息处理费共计{}元。",
                    fees_fen / 100
                )
            } else {
                "本年度未收取信息处理费。".to_owned()
            },
            source: "行政许可、行政处罚、行政强制数据来自区行政审批局、区司法局年度统计；行政事业性收费来自区财政局非税收入统计。".to_owned(),
            ..gongkai_store::report_figures::Figures::default()
        };
        if year <= gongkai_domain::report::LAST_2019_FORMAT_YEAR {
            // The 2019 format's item lists (权责清单) and 政府集中采购.
            let (items, change) = if year == 2019 { (94, -6) } else { (88, 3) };
            figures.licensing_items = items;
            figures.licensing_change = change;
            figures.other_services_items = 41;
            figures.other_services_change = if year == 2019 { 2 } else { 0 };
            figures.other_services_decisions = 2_316 + i64::from(year - 2019) * 140;
            figures.punishment_items = 312;
            figures.punishment_change = if year == 2019 { -12 } else { 5 };
            figures.coercive_items = 18;
            figures.coercive_change = -i64::from(year == 2019);
            figures.fee_items = 7;
            figures.fee_change = -2 * i64::from(year == 2019);
            figures.procurement_projects = 23 + i64::from(year - 2019) * 4;
            figures.procurement_fen = 486_325_000 + i64::from(year - 2019) * 51_200_000;
        }
        gongkai_store::report_figures::put(&mut tx, org.id, year, &figures, app.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn workflow_examples(app: &App) -> Result<()> {
    for line in DRAFTS {
        let (valid, _) =
            validate_line(line).map_err(|e| Error::internal(format!("demo draft: {e:?}")))?;
        crate::documents::create_draft(app, Actor::System, &valid).await?;
    }
    let (valid, _) =
        validate_line(WITHDRAWN).map_err(|e| Error::internal(format!("demo withdrawn: {e:?}")))?;
    let id = crate::documents::create_draft(app, Actor::System, &valid).await?;
    crate::documents::publish(app, Actor::System, id, valid.published_date).await?;
    crate::documents::withdraw(app, Actor::System, id, "通告所列路段与施工时间有误，已撤回")
        .await?;

    // Older editions of the 鼓楼区 指南 are marked 已修订, pointing at the newest.
    let mut c = app.db().conn().await?;
    let org = gongkai_store::orgs::by_code(&mut c, "GL00101")
        .await?
        .ok_or(Error::NotFound("机构"))?;
    let filter = Filter {
        statuses: vec![gongkai_domain::DocStatus::Published],
        org_ids: Some(vec![org.id]),
        column_path: Some("政府信息公开指南".into()),
        ..Filter::default()
    };
    let (guides, _) = documents::list(&mut c, &filter, 0, 50).await?;
    drop(c);
    if let Some((newest, older)) = guides.split_first() {
        for g in older {
            crate::documents::set_validity(
                app,
                Actor::System,
                g.id,
                Validity::Amended,
                Some(newest.id),
            )
            .await?;
        }
    }

    // Attachments for the seed documents: the task table as Word, and a plain-text version.
    let mut c = app.db().conn().await?;
    let seed = documents::by_doc_number_key(&mut c, "榕政办〔2021〕53号").await?;
    drop(c);
    if let Some(doc) = seed.first() {
        files::attach(
            app,
            Actor::System,
            doc.id,
            "2021年全市政务公开工作主要任务分解表.docx",
            task_table_docx()?,
        )
        .await?;
        files::attach(
            app,
            Actor::System,
            doc.id,
            "2021年全市政务公开工作要点（文字版）.txt",
            "2021年全市政务公开工作主要任务分解表\n一、加强政策解读\n二、提升平台支撑能力\n"
                .as_bytes()
                .to_vec(),
        )
        .await?;
    }
    Ok(())
}

/// Records of 鼓楼区人民政府办公室 at each step of the workflow, so that each demo account
/// finds work waiting: a submitted notice whose body holds an ID number and a phone number
/// (the reviewer's scan), one waiting for sign-off, one signed off, one returned, and a
/// withheld record due for its periodic review.
async fn queues(
    app: &App,
    clerk: &auth::Staff,
    reviewer: &auth::Staff,
    approver: &auth::Staff,
) -> Result<()> {
    use gongkai_domain::workflow::Action;
    let line = |title: &str, body: &str| {
        serde_json::json!({
            "org": "GL00101",
            "title": title,
            "issuer": "福州市鼓楼区人民政府办公室",
            "topic": "综合政务\\政务公开",
            "kind": "公告",
            "written_date": "2026-11-27",
            "published_date": "2026-11-27",
            "validity": "valid",
            "column": "法定主动公开内容/社会保障和民生",
            "body_text": body,
        })
        .to_string()
    };
    let make = |l: String| async move {
        let (valid, _) =
            validate_line(&l).map_err(|e| Error::internal(format!("demo queue: {e:?}")))?;
        crate::documents::create_draft(app, Actor::Staff(clerk), &valid).await
    };
    let step = |id: i64, who: &'static str, action: Action| async move {
        let actor = match who {
            "clerk" => Actor::Staff(clerk),
            "reviewer" => Actor::Staff(reviewer),
            _ => Actor::Staff(approver),
        };
        crate::workflow::act(app, actor, id, &action)
            .await
            .map(|_| ())
    };
    let scan = make(line(
        "鼓楼区2026年第四季度城乡低保审批结果公示",
        "经街道初审、区民政局审核，以下家庭符合城乡低保条件，现予公示。\n张某某，身份证号 350102199003071234，联系电话 13905912345。\n公示期间如有异议，请拨打 12345 反映。"
    ))
    .await?;
    step(scan, "clerk", Action::Submit).await?;
    let sign = make(line(
        "鼓楼区关于做好2027年元旦春节期间困难群众走访慰问工作的通知",
        "各街道办事处：\n现就做好困难群众走访慰问工作通知如下。",
    ))
    .await?;
    step(sign, "clerk", Action::Submit).await?;
    step(sign, "reviewer", Action::Review).await?;
    let publish = make(line(
        "鼓楼区2026年11月政府信息公开工作情况通报",
        "11月，全区主动公开政府信息120条。",
    ))
    .await?;
    step(publish, "clerk", Action::Submit).await?;
    step(publish, "reviewer", Action::Review).await?;
    step(publish, "approver", Action::Approve).await?;
    let returned = make(line(
        "鼓楼区2027年民生实事项目征集公告",
        "现面向社会征集2027年民生实事项目建议。",
    ))
    .await?;
    step(returned, "clerk", Action::Submit).await?;
    step(
        returned,
        "reviewer",
        Action::Return {
            reason: "请补充征集截止日期和反馈渠道".into(),
        },
    )
    .await?;
    let withheld = r#"{"org":"GL00101","title":"鼓楼区人民政府办公室2026年干部选任工作方案","issuer":"福州市鼓楼区人民政府办公室","topic":"综合政务\\政务公开","kind":"方案","written_date":"2026-03-02","published_date":"2026-03-02","validity":"valid","column":"法定主动公开内容/机构职能","body_text":"干部选任工作的程序、职数和时间安排。","disclosure":"withheld","disclosure_ground":"internal_affairs"}"#;
    let withheld = make(withheld.to_owned()).await?;
    step(withheld, "clerk", Action::Submit).await?;
    step(withheld, "reviewer", Action::Review).await?;
    step(withheld, "approver", Action::Approve).await?;
    Ok(())
}

fn task_table_docx() -> Result<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let cell =
        |t: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
    let rows = [
        ("序号", "工作任务", "牵头单位", "完成时限"),
        (
            "1",
            "围绕“十四五”规划开展多元化政策解读",
            "市政府办公厅",
            "2021年12月底前",
        ),
        (
            "2",
            "提出市政府门户网站优化提升方案",
            "市大数据委",
            "2021年7月底前",
        ),
        (
            "3",
            "对上一年度政务公开工作要点落实情况开展“回头看”",
            "各县（市）区政府",
            "2021年10月30日前",
        ),
    ];
    let table = Table::new(
        rows.iter()
            .map(|r| TableRow::new(vec![cell(r.0), cell(r.1), cell(r.2), cell(r.3)]))
            .collect(),
    );
    let mut out = Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text("2021年全市政务公开工作主要任务分解表")
                    .bold(),
            ),
        )
        .add_table(table)
        .build()
        .pack(&mut out)
        .map_err(|e| Error::internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

/// Requests filed in the weeks before today, so the desk shows each state on any day the demo
/// is made: overdue, due soon, paused by a consultation, awaiting a correction, extended,
/// just registered, and two applications waiting to be registered. Returns the 查询码 and
/// secret of the registered ones, in that order.
async fn live_requests(app: &App) -> Result<Vec<(String, String)>> {
    use crate::intake::{Channel, NewEvent, register, store_at};
    let calendar = app.calendar();
    let today = app.today();
    // The date `n` working days before today (today itself when n is 0).
    let back = |n: u32| -> Result<time::Date> {
        let mut d = today;
        let mut left = n;
        while left > 0 {
            d = d
                .previous_day()
                .ok_or_else(|| Error::internal("date underflow"))?;
            if calendar
                .is_workday(d)
                .map_err(|e| Error::internal(e.to_string()))?
            {
                left -= 1;
            }
        }
        Ok(d)
    };
    let at = |d: time::Date| {
        d.with_hms(9, 30, 0)
            .map(|t| t.assume_offset(crate::china_offset()))
            .map_err(|e| Error::internal(e.to_string()))
    };
    let people = [
        (
            "王五",
            "natural_person",
            "2025年鼓楼区老旧小区改造项目的资金使用明细",
        ),
        (
            "福建某某律师事务所",
            "legal.legal_services",
            "鼓楼区2026年第三季度行政处罚决定书的目录",
        ),
        (
            "李四",
            "natural_person",
            "某街道2025年城乡低保审批名单公示的依据文件",
        ),
        (
            "某某科技有限公司",
            "legal.commercial",
            "2026年鼓楼区政府采购意向公开的汇总表",
        ),
        ("赵六", "natural_person", "鼓政办〔2026〕12号文件全文"),
        ("陈七", "natural_person", "鼓楼区2026年政府信息公开工作要点"),
        (
            "某某研究院",
            "legal.research",
            "鼓楼区近三年依申请公开答复情况的统计",
        ),
        (
            "周八",
            "natural_person",
            "华大街道2026年道路维修工程的验收报告",
        ),
    ];
    // Working days before today it was received, and its events with theirs; `None`: filed
    // and still waiting to be registered.
    type Plan = Option<(u32, Vec<(&'static str, u32, serde_json::Value)>)>;
    let mut live = Vec::new();
    let plans: [Plan; 8] = [
        Some((23, vec![])),
        Some((17, vec![])),
        Some((
            8,
            vec![(
                "consultation_sent",
                3,
                serde_json::json!({"id": "1", "letter": {"被征求意见方": "福建某某建设工程有限公司"}}),
            )],
        )),
        Some((
            4,
            vec![(
                "correction_requested",
                2,
                serde_json::json!({"letter": {"补正事项": "请写明所需验收报告对应的道路名称或者工程项目名称", "补正期限": "收到本告知书之日起15日内"}}),
            )],
        )),
        Some((
            19,
            vec![(
                "extension",
                1,
                serde_json::json!({"working_days": 15, "letter": {"延期理由": "所申请信息涉及区财政局、区住建局等多个部门，需要协调核实"}}),
            )],
        )),
        Some((2, vec![])),
        None,
        None,
    ];
    for (i, ((name, kind, description), plan)) in people.iter().zip(plans).enumerate() {
        let application = gongkai_domain::application::validate_application(&serde_json::json!({
            "org": "GL00101",
            "applicant_type": kind,
            "applicant": {"name": name, "id_number": format!("E{:08}", 20_260_000 + i), "phone": format!("1390591{:04}", 1000 + i)},
            "description": description,
            "delivery": "online",
        }))
        .map_err(|p| Error::internal(format!("demo application: {p:?}")))?;
        let filed = match &plan {
            Some((received, _)) => back(*received)?,
            None => back(u32::try_from(i).unwrap_or(7).saturating_sub(6))?,
        };
        let receipt = store_at(
            app,
            Actor::System,
            &application,
            Channel::Online,
            at(filed)?,
        )
        .await?;
        let Some((_, events)) = plan else { continue };
        register(app, Actor::System, &receipt.tracking, filed).await?;
        for (kind, ago, extra) in events {
            let mut event = serde_json::json!({"kind": kind, "date": gongkai_domain::format_date_iso(back(ago)?)});
            let mut letter = None;
            if let (Some(e), serde_json::Value::Object(mut more)) = (event.as_object_mut(), extra) {
                if let Some(serde_json::Value::Object(fields)) = more.remove("letter") {
                    letter = Some(crate::intake::Written {
                        fields: fields
                            .into_iter()
                            .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                            .collect(),
                        to_agency: false,
                    });
                }
                e.extend(more);
            }
            let new = NewEvent {
                event,
                outcome: None,
                letter,
            };
            crate::intake::add_event(app, Actor::System, &receipt.tracking, &new).await?;
        }
        live.push((receipt.tracking.clone(), receipt.secret.clone()));
    }
    Ok(live)
}

/// Replies of the live requests on their way: one waiting for review, one for signature, and
/// one signed, whose letters the applicant downloads (its 查询码 and secret are returned).
async fn reply_examples(
    app: &App,
    live: &[(String, String)],
    clerk: &auth::Staff,
    reviewer: &auth::Staff,
    approver: &auth::Staff,
) -> Result<Option<(String, String)>> {
    use gongkai_domain::LegalBasis;
    use gongkai_domain::workflow::Action;
    let written = |text: &str| {
        let mut m = std::collections::BTreeMap::new();
        m.insert("答复内容".to_owned(), text.to_owned());
        m
    };
    let (Some(overdue), Some(soon), Some(fresh)) = (live.first(), live.get(1), live.get(5)) else {
        return Ok(None);
    };
    crate::replies::submit(
        app,
        Actor::Staff(clerk),
        &overdue.0,
        LegalBasis::NotExist,
        written("经检索本机关档案和相关业务系统，未找到该项目的资金使用明细。"),
    )
    .await?;
    crate::replies::submit(
        app,
        Actor::Staff(clerk),
        &soon.0,
        LegalBasis::CanDisclose,
        written("本机关将通过电子邮件向您提供该目录的电子文本。"),
    )
    .await?;
    crate::replies::act(app, Actor::Staff(reviewer), &soon.0, &Action::Review).await?;
    crate::replies::submit(
        app,
        Actor::Staff(clerk),
        &fresh.0,
        LegalBasis::AlreadyPublic,
        written("该文件已在福州市鼓楼区人民政府门户网站“政府信息公开”专栏“政策文件”栏目公开，您可通过本平台检索“政务公开工作要点”查阅全文。"),
    )
    .await?;
    crate::replies::act(app, Actor::Staff(reviewer), &fresh.0, &Action::Review).await?;
    crate::replies::act(app, Actor::Staff(approver), &fresh.0, &Action::Approve).await?;
    Ok(Some(fresh.clone()))
}
