//! The publication workflow on the app layer: who may do what to whose record, separation
//! of duties, the scan before sign-off, and the audit chain with its tampering detected.
use gongkai_app::auth::{Staff, create_user};
use gongkai_app::documents::{Actor, create_draft};
use gongkai_app::workflow::act;
use gongkai_app::{App, Error, audit, review};
use gongkai_domain::audit::Break;
use gongkai_domain::workflow::{Action, Refusal, Stage};
use gongkai_domain::{Role, validate_line};
use gongkai_testkit::builders::{DocLine, org_tree};
use gongkai_testkit::{TestDb, app, db_test};

const PASSWORD: &str = "workflow-test-2026";

async fn user(a: &App, name: &str, grants: &[(&str, Role)]) -> Staff {
    create_user(a, name, name, PASSWORD, grants).await.unwrap()
}

async fn draft(a: &App, clerk: &Staff, body: &str) -> i64 {
    let line = DocLine::new().set("body_text", body).to_line();
    let valid = validate_line(&line).unwrap().0;
    create_draft(a, Actor::Staff(clerk), &valid).await.unwrap()
}

async fn stage(a: &App, id: i64) -> Stage {
    let mut c = a.db().conn().await.unwrap();
    gongkai_store::documents::by_id(&mut c, id)
        .await
        .unwrap()
        .unwrap()
        .stage
}

fn ret() -> Action {
    Action::Return {
        reason: "请补充依据".into(),
    }
}

/// The signers of the own organization (鼓楼区政府办) who move records along.
struct Signers {
    clerk: Staff,
    reviewer: Staff,
    approver: Staff,
}

async fn signers(a: &App) -> Signers {
    Signers {
        clerk: user(a, "clerk1", &[("GL00101", Role::Clerk)]).await,
        reviewer: user(a, "reviewer1", &[("GL00101", Role::Reviewer)]).await,
        approver: user(a, "approver1", &[("GL00101", Role::Approver)]).await,
    }
}

/// A record of GL00101 brought to `target` by the three signers.
async fn at_stage(a: &App, s: &Signers, target: Stage) -> i64 {
    let id = draft(a, &s.clerk, "正文。").await;
    let steps: &[(Stage, &Staff, Action)] = &[
        (Stage::Submitted, &s.clerk, Action::Submit),
        (Stage::Reviewed, &s.reviewer, Action::Review),
        (Stage::Approved, &s.approver, Action::Approve),
        (Stage::Published, &s.clerk, Action::Publish { at: None }),
    ];
    for (reached, who, action) in steps {
        if stage(a, id).await == target {
            break;
        }
        act(a, Actor::Staff(who), id, action).await.unwrap();
        assert_eq!(stage(a, id).await, *reached);
    }
    assert_eq!(stage(a, id).await, target);
    id
}

db_test!(
    every_action_by_every_role_of_own_and_foreign_organizations,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        // Everyone who might try, none of whom signed anything yet.
        let mut people = Vec::new();
        for (unit, label) in [
            ("GL00101", "own"),
            ("LH00201", "foreign"),
            ("GL01007", "child"),
        ] {
            for role in [Role::Clerk, Role::Reviewer, Role::Approver, Role::Office] {
                let name = format!("{label}-{}", role.code());
                people.push((name.clone(), user(&a, &name, &[(unit, role)]).await));
            }
        }
        people.push((
            "parent-office".into(),
            user(&a, "parent-office", &[("FZ00101", Role::Office)]).await,
        ));
        people.push((
            "admin".into(),
            user(&a, "admin", &[("FZ00101", Role::Admin)]).await,
        ));
        let cases: Vec<(Stage, Action, &[&str])> = vec![
            (Stage::Draft, Action::Submit, &["own-clerk"]),
            (Stage::Submitted, Action::Review, &["own-reviewer"]),
            (Stage::Submitted, ret(), &["own-reviewer"]),
            (Stage::Reviewed, Action::Approve, &["own-approver"]),
            (Stage::Reviewed, ret(), &["own-approver"]),
            (
                Stage::Approved,
                Action::Publish { at: None },
                &["own-clerk", "own-approver"],
            ),
            (Stage::Approved, ret(), &["own-approver"]),
            (
                Stage::Published,
                Action::Withdraw {
                    reason: "内容有误".into(),
                },
                &["own-approver"],
            ),
        ];
        for (from, action, allowed) in &cases {
            for (name, who) in &people {
                let id = at_stage(&a, &s, *from).await;
                let got = act(&a, Actor::Staff(who), id, action).await;
                if allowed.contains(&name.as_str()) {
                    assert!(got.is_ok(), "{name} {} at {from:?}: {got:?}", action.code());
                    assert_ne!(stage(&a, id).await, *from);
                } else {
                    assert!(
                        matches!(
                            got,
                            Err(Error::Refused(Refusal::MissingRole { .. }) | Error::NotFound(_))
                        ),
                        "{name} {} at {from:?}: {got:?}",
                        action.code()
                    );
                    assert_eq!(stage(&a, id).await, *from, "{name} changed nothing");
                }
                // Who cannot see the unit's records gets "not found", not "forbidden".
                if name.starts_with("foreign") || name.starts_with("child") {
                    assert!(matches!(got, Err(Error::NotFound(_))), "{name}: {got:?}");
                }
            }
        }
        // Actions that do not apply to a stage are refused for everyone, the right role too.
        let id = at_stage(&a, &s, Stage::Draft).await;
        for action in [
            Action::Review,
            Action::Approve,
            Action::Publish { at: None },
        ] {
            assert!(matches!(
                act(&a, Actor::Staff(&s.approver), id, &action).await,
                Err(Error::Refused(_))
            ));
        }
        // The platform itself signs nothing.
        assert!(matches!(
            act(&a, Actor::System, id, &Action::Submit).await,
            Err(Error::Refused(Refusal::MissingRole { .. }))
        ));
    }
);

db_test!(
    one_person_never_signs_two_steps_of_a_record,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let all = [
            ("GL00101", Role::Clerk),
            ("GL00101", Role::Reviewer),
            ("GL00101", Role::Approver),
        ];
        let one = user(&a, "one", &all).await;
        let two = user(&a, "two", &all).await;
        let id = draft(&a, &one, "正文。").await;
        act(&a, Actor::Staff(&one), id, &Action::Submit)
            .await
            .unwrap();
        assert!(matches!(
            act(&a, Actor::Staff(&one), id, &Action::Review).await,
            Err(Error::Refused(Refusal::SameSigner { .. }))
        ));
        act(&a, Actor::Staff(&two), id, &Action::Review)
            .await
            .unwrap();
        for who in [&one, &two] {
            assert!(matches!(
                act(&a, Actor::Staff(who), id, &Action::Approve).await,
                Err(Error::Refused(Refusal::SameSigner { .. }))
            ));
        }
        // A return starts a new round: the reviewer may now be the one who submits.
        act(&a, Actor::Staff(&two), id, &ret()).await.unwrap();
        let three = user(&a, "three", &all).await;
        act(&a, Actor::Staff(&two), id, &Action::Submit)
            .await
            .unwrap();
        act(&a, Actor::Staff(&one), id, &Action::Review)
            .await
            .unwrap();
        act(&a, Actor::Staff(&three), id, &Action::Approve)
            .await
            .unwrap();
        let done = act(&a, Actor::Staff(&one), id, &Action::Publish { at: None })
            .await
            .unwrap();
        assert_eq!(done.stage, Stage::Published);
        assert!(done.index_number.unwrap().starts_with("GL00101"));
    }
);

db_test!(
    an_id_number_blocks_review_until_redacted_and_the_redaction_is_verified,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(
            &a,
            &s.clerk,
            "申请人张某，身份证号 350102199003071234，电话 13905912345。",
        )
        .await;
        act(&a, Actor::Staff(&s.clerk), id, &Action::Submit)
            .await
            .unwrap();
        let got = act(&a, Actor::Staff(&s.reviewer), id, &Action::Review).await;
        assert!(
            matches!(
                got,
                Err(Error::Refused(Refusal::UnresolvedFindings { count: 2, .. }))
            ),
            "{got:?}"
        );
        let mut c = a.db().conn().await.unwrap();
        let doc = gongkai_store::documents::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap();
        let r = review::review_of(&mut c, &a, &doc).await.unwrap();
        drop(c);
        let masked: Vec<&str> = r.findings.iter().map(|f| f.masked.as_str()).collect();
        assert_eq!(masked, ["350102********1234", "139****2345"]);
        // The mobile is the office's hotline: kept with a reason; the ID is redacted.
        let mobile = &r.findings[1];
        review::keep(
            &a,
            Actor::Staff(&s.reviewer),
            id,
            &mobile.source,
            &mobile.value_hash,
            "  ",
        )
        .await
        .unwrap_err();
        review::keep(
            &a,
            Actor::Staff(&s.reviewer),
            id,
            &mobile.source,
            &mobile.value_hash,
            "单位公开的办事电话",
        )
        .await
        .unwrap();
        assert_eq!(
            review::redact_body(&a, Actor::Staff(&s.reviewer), id, None)
                .await
                .unwrap(),
            1
        );
        act(&a, Actor::Staff(&s.reviewer), id, &Action::Review)
            .await
            .unwrap();
        let mut c = a.db().conn().await.unwrap();
        let doc = gongkai_store::documents::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap();
        assert!(doc.body_html.contains("350102********1234"));
        assert!(!doc.body_html.contains("350102199003071234"));
        // Someone outside the unit cannot touch the findings.
        let outsider = user(&a, "outsider", &[("LH00201", Role::Reviewer)]).await;
        assert!(matches!(
            review::redact_body(&a, Actor::Staff(&outsider), id, None).await,
            Err(Error::Forbidden)
        ));
    }
);

db_test!(
    two_people_acting_at_once_cannot_both_succeed,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let other = user(&a, "approver2", &[("GL00101", Role::Approver)]).await;
        let id = at_stage(&a, &s, Stage::Reviewed).await;
        let (x, y) = tokio::join!(
            act(&a, Actor::Staff(&s.approver), id, &Action::Approve),
            act(&a, Actor::Staff(&other), id, &Action::Approve),
        );
        // The second reads the new stage (SQLite: one writer) or fails its compare-and-set.
        for r in [&x, &y] {
            assert!(
                matches!(
                    r,
                    Ok(_) | Err(Error::Conflict(_) | Error::Refused(Refusal::WrongStage { .. }))
                ),
                "{r:?}"
            );
        }
        assert!(
            x.is_ok() != y.is_ok(),
            "exactly one succeeds: {x:?} / {y:?}"
        );
    }
);

db_test!(
    scheduled_publication_waits_for_its_time,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = at_stage(&a, &s, Stage::Approved).await;
        let later = a.now() + time::Duration::hours(2);
        let done = act(
            &a,
            Actor::Staff(&s.clerk),
            id,
            &Action::Publish { at: Some(later) },
        )
        .await
        .unwrap();
        assert_eq!(done.stage, Stage::Scheduled);
        assert_eq!(gongkai_app::workflow::publish_due(&a).await.unwrap(), 0);
        assert!(matches!(
            act(&a, Actor::Staff(&s.clerk), id, &Action::PublishDue).await,
            Err(Error::Refused(Refusal::SystemOnly))
        ));
        // Due now: the time is moved back in the database, as if two hours had passed.
        t.execute_raw(&format!(
            "UPDATE documents SET scheduled_at = created_at WHERE id = {id}"
        ))
        .await;
        assert_eq!(gongkai_app::workflow::publish_due(&a).await.unwrap(), 1);
        assert_eq!(stage(&a, id).await, Stage::Published);
    }
);

/// A chain of a few entries: organizations and accounts created, a draft created,
/// submitted, reviewed, approved, published. Returns the number of entries.
async fn chain(a: &App) -> i64 {
    org_tree(a).await;
    let s = signers(a).await;
    let before = audit::verify(a, |_, _| {}).await.unwrap().unwrap().entries;
    at_stage(a, &s, Stage::Published).await;
    let v = audit::verify(a, |_, _| {}).await.unwrap().unwrap();
    assert_eq!(v.entries, before + 5, "five steps, five entries");
    v.entries
}

db_test!(audit_verify_names_an_altered_entry, async |t: &TestDb| {
    let a = app(t);
    chain(&a).await;
    t.execute_raw("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
        .await;
    assert_eq!(
        audit::verify(&a, |_, _| {}).await.unwrap(),
        Err(Break::Altered { seq: 3 })
    );
});

db_test!(audit_verify_names_a_removed_entry, async |t: &TestDb| {
    let a = app(t);
    chain(&a).await;
    t.execute_raw("DELETE FROM audit_log WHERE seq = 2").await;
    assert_eq!(
        audit::verify(&a, |_, _| {}).await.unwrap(),
        Err(Break::Removed { seq: 2 })
    );
});

db_test!(
    audit_verify_names_the_last_entry_removed,
    async |t: &TestDb| {
        let a = app(t);
        let last = chain(&a).await;
        t.execute_raw(&format!("DELETE FROM audit_log WHERE seq = {last}"))
            .await;
        assert_eq!(
            audit::verify(&a, |_, _| {}).await.unwrap(),
            Err(Break::Removed { seq: last })
        );
    }
);

db_test!(
    audit_verify_names_a_removal_hidden_by_renumbering,
    async |t: &TestDb| {
        let a = app(t);
        let last = chain(&a).await;
        t.execute_raw("DELETE FROM audit_log WHERE seq = 2").await;
        for seq in 3..=last {
            t.execute_raw(&format!(
                "UPDATE audit_log SET seq = {} WHERE seq = {seq}",
                seq - 1
            ))
            .await;
        }
        t.execute_raw(&format!("UPDATE audit_head SET seq = {}", last - 1))
            .await;
        assert_eq!(
            audit::verify(&a, |_, _| {}).await.unwrap(),
            Err(Break::Relinked { seq: 2 })
        );
    }
);

db_test!(audit_verify_names_a_reordered_entry, async |t: &TestDb| {
    let a = app(t);
    chain(&a).await;
    t.execute_raw("UPDATE audit_log SET seq = -1 WHERE seq = 2")
        .await;
    t.execute_raw("UPDATE audit_log SET seq = 2 WHERE seq = 3")
        .await;
    t.execute_raw("UPDATE audit_log SET seq = 3 WHERE seq = -1")
        .await;
    assert_eq!(
        audit::verify(&a, |_, _| {}).await.unwrap(),
        Err(Break::Reordered { seq: 2, follows: 3 })
    );
});

db_test!(
    a_withheld_record_is_signed_but_never_published_and_comes_back_for_review,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let no_ground = DocLine::new().set("disclosure", "withheld").to_line();
        let problems = validate_line(&no_ground).unwrap_err();
        assert_eq!(problems[0].field, "disclosure_ground");
        let line = DocLine::new()
            .title("内部人事调整方案")
            .set("disclosure", "不予公开")
            .set("disclosure_ground", "internal_affairs")
            .to_line();
        let id = create_draft(&a, Actor::Staff(&s.clerk), &validate_line(&line).unwrap().0)
            .await
            .unwrap();
        act(&a, Actor::Staff(&s.clerk), id, &Action::Submit)
            .await
            .unwrap();
        act(&a, Actor::Staff(&s.reviewer), id, &Action::Review)
            .await
            .unwrap();
        act(&a, Actor::Staff(&s.approver), id, &Action::Approve)
            .await
            .unwrap();
        assert!(matches!(
            act(
                &a,
                Actor::Staff(&s.clerk),
                id,
                &Action::Publish { at: None }
            )
            .await,
            Err(Error::Refused(Refusal::NotProactive { .. }))
        ));
        // Written in 2021: its review is long due.
        let work = gongkai_app::staff::my_work(&a, &s.reviewer).await.unwrap();
        assert_eq!(
            work.withheld_due.iter().map(|d| d.id).collect::<Vec<_>>(),
            [id]
        );
        review::review_withheld(
            &a,
            Actor::Staff(&s.reviewer),
            id,
            review::WithheldDecision::Keep,
            "仍属内部事务",
        )
        .await
        .unwrap();
        let work = gongkai_app::staff::my_work(&a, &s.reviewer).await.unwrap();
        assert!(
            work.withheld_due.is_empty(),
            "reviewed today: due in six months"
        );
        // Someone else's reviewer cannot decide, nor can a clerk.
        assert!(matches!(
            review::review_withheld(
                &a,
                Actor::Staff(&s.clerk),
                id,
                review::WithheldDecision::Disclose,
                "x"
            )
            .await,
            Err(Error::Forbidden)
        ));
        review::review_withheld(
            &a,
            Actor::Staff(&s.reviewer),
            id,
            review::WithheldDecision::Disclose,
            "方案已执行完毕",
        )
        .await
        .unwrap();
        let work = gongkai_app::staff::my_work(&a, &s.clerk).await.unwrap();
        assert_eq!(work.returned.iter().map(|d| d.id).collect::<Vec<_>>(), [id]);
        let doc = &work.returned[0];
        assert_eq!(
            doc.disclosure,
            gongkai_domain::disclosure::Attribute::Proactive
        );
        assert_eq!(doc.handled_by, None);
        assert!(
            doc.returned_reason
                .as_deref()
                .unwrap()
                .contains("方案已执行完毕")
        );
    }
);

db_test!(
    attachments_join_a_draft_and_their_text_is_scanned,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(&a, &s.clerk, "正文。").await;
        gongkai_app::files::attach(
            &a,
            Actor::Staff(&s.clerk),
            id,
            "名单.txt",
            "王五 13905912345\n".as_bytes().to_vec(),
        )
        .await
        .unwrap();
        act(&a, Actor::Staff(&s.clerk), id, &Action::Submit)
            .await
            .unwrap();
        assert!(matches!(
            act(&a, Actor::Staff(&s.reviewer), id, &Action::Review).await,
            Err(Error::Refused(Refusal::UnresolvedFindings { count: 1, .. }))
        ));
        // After submission nothing can be attached: it would skip the review.
        assert!(matches!(
            gongkai_app::files::attach(&a, Actor::Staff(&s.clerk), id, "补充.txt", b"x".to_vec())
                .await,
            Err(Error::Invalid(_))
        ));
        let mut c = a.db().conn().await.unwrap();
        let doc = gongkai_store::documents::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap();
        let r = review::review_of(&mut c, &a, &doc).await.unwrap();
        drop(c);
        assert_eq!(r.findings[0].source_label, "名单.txt");
        assert_eq!(r.findings[0].masked, "139****2345");
        review::keep(
            &a,
            Actor::Staff(&s.reviewer),
            id,
            &r.findings[0].source,
            &r.findings[0].value_hash,
            "公示名单依法须公开联系电话",
        )
        .await
        .unwrap();
        act(&a, Actor::Staff(&s.reviewer), id, &Action::Review)
            .await
            .unwrap();
    }
);

/// A webhook that answers 200 and hands each body it receives to the test.
async fn webhook() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = s.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if body.len() >= len {
                            let _ = tx.send(body.to_owned());
                            break;
                        }
                    }
                }
                let _ = s
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (format!("http://{addr}/hook"), rx)
}

db_test!(
    a_published_record_reaches_each_channel_and_failures_are_retried_and_shown,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let (url, mut received) = webhook().await;
        gongkai_app::outbox::add_channel(&a, Actor::System, Some("FZ00101"), "榕城发布", &url)
            .await
            .unwrap();
        // Nothing listens here: every attempt fails.
        gongkai_app::outbox::add_channel(
            &a,
            Actor::System,
            None,
            "停用的网站",
            "http://127.0.0.1:9/x",
        )
        .await
        .unwrap();
        // An organization elsewhere does not receive this unit's records.
        let (other, mut unused) = webhook().await;
        gongkai_app::outbox::add_channel(&a, Actor::System, Some("LH00201"), "柳河发布", &other)
            .await
            .unwrap();
        assert!(matches!(
            gongkai_app::outbox::add_channel(&a, Actor::System, None, "坏地址", "ftp://x").await,
            Err(Error::Invalid(_))
        ));
        let id = at_stage(&a, &s, Stage::Published).await;
        let (sent, failed) = gongkai_app::outbox::deliver_due(&a, "http://gongkai.test")
            .await
            .unwrap();
        assert_eq!((sent, failed), (1, 1));
        let body: serde_json::Value =
            serde_json::from_str(&received.recv().await.unwrap()).unwrap();
        assert_eq!(body["id"], id);
        assert_eq!(body["url"], format!("http://gongkai.test/doc/{id}"));
        assert!(
            body["index_number"]
                .as_str()
                .unwrap()
                .starts_with("GL00101")
        );
        assert!(unused.try_recv().is_err());
        // The failure waits for its retry; nothing is due right now.
        assert_eq!(
            gongkai_app::outbox::deliver_due(&a, "http://gongkai.test")
                .await
                .unwrap(),
            (0, 0)
        );
        let tree = gongkai_app::orgs::OrgTree::load(&a).await.unwrap();
        let office = create_user(
            &a,
            "office",
            "office",
            PASSWORD,
            &[("GL00101", Role::Office)],
        )
        .await
        .unwrap();
        let log = gongkai_app::outbox::log(&a, &office, &tree).await.unwrap();
        assert_eq!(log.len(), 2);
        assert!(log[0].row.delivered_at.is_none() && !log[0].overdue);
        assert!(
            log[0]
                .row
                .last_error
                .as_deref()
                .unwrap()
                .contains("无法送达")
        );
        // Thirteen hours later it is past the repost limit.
        t.execute_raw(
            "UPDATE outbox SET created_at = '2020-01-01T00:00:00Z' WHERE delivered_at IS NULL",
        )
        .await;
        let log = gongkai_app::outbox::log(&a, &office, &tree).await.unwrap();
        assert!(log[0].overdue);
        assert!(!log[1].overdue, "delivered is never overdue");
    }
);

db_test!(
    two_nodes_delivering_at_once_post_each_record_once,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let (url, mut received) = webhook().await;
        gongkai_app::outbox::add_channel(&a, Actor::System, None, "榕城发布", &url)
            .await
            .unwrap();
        at_stage(&a, &s, Stage::Published).await;
        // A second node: its own App over the same database.
        let b = app(t);
        let (one, two) = tokio::join!(
            gongkai_app::outbox::deliver_due(&a, "http://gongkai.test"),
            gongkai_app::outbox::deliver_due(&b, "http://gongkai.test"),
        );
        let (one, two) = (one.unwrap(), two.unwrap());
        assert_eq!(one.0 + two.0, 1, "{one:?} {two:?}");
        assert_eq!(one.1 + two.1, 0);
        received.recv().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(received.try_recv().is_err(), "delivered twice");
    }
);

fn docx_with(runs: &[&str]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut p = Paragraph::new();
    for r in runs {
        p = p.add_run(Run::new().add_text(*r));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new().add_paragraph(p).build().pack(&mut out).unwrap();
    out.into_inner()
}

db_test!(
    an_attachment_is_redacted_into_a_verified_copy,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(&a, &s.clerk, "正文。").await;
        let clean = gongkai_app::files::attach(
            &a,
            Actor::Staff(&s.clerk),
            id,
            "名单.docx",
            docx_with(&["李四，身份证号 350102199003071234，已审核。"]),
        )
        .await
        .unwrap();
        let split = gongkai_app::files::attach(
            &a,
            Actor::Staff(&s.clerk),
            id,
            "拆开的.docx",
            docx_with(&["王五 3501021990", "03071234"]),
        )
        .await
        .unwrap();
        assert_eq!(
            review::redact_attachment(&a, Actor::Staff(&s.clerk), id, clean.id, None)
                .await
                .unwrap(),
            1
        );
        let mut c = a.db().conn().await.unwrap();
        let after = gongkai_store::attachments::by_id(&mut c, clean.id)
            .await
            .unwrap()
            .unwrap();
        drop(c);
        assert!(after.text.contains("350102********1234"), "{}", after.text);
        assert_ne!(after.sha256, clean.sha256, "a new file");
        let served = gongkai_app::files::read(&a, &after).await.unwrap();
        let text = gongkai_search::extract("名单.docx", &served).unwrap().text;
        assert!(!text.contains("350102199003071234"));
        // The unredacted bytes are gone from the disk, not only from the record.
        assert!(gongkai_app::files::read(&a, &clean).await.is_err());
        // A value split across runs survives a text replace: the copy is refused.
        assert!(matches!(
            review::redact_attachment(&a, Actor::Staff(&s.clerk), id, split.id, None).await,
            Err(Error::Invalid(m)) if m.contains("未被遮盖")
        ));
    }
);

db_test!(
    a_pdf_attachment_is_redacted_into_page_images_with_no_text_layer,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(&a, &s.clerk, "正文。").await;
        let pdf = include_bytes!("../../../gongkai-search/tests/fixtures/pdf/libreoffice.pdf");
        let att =
            gongkai_app::files::attach(&a, Actor::Staff(&s.clerk), id, "通知.pdf", pdf.to_vec())
                .await
                .unwrap();
        assert!(att.text.contains("350102199003071234"));
        // The reviewer asks for one finding; a PDF is flattened once, so all go together.
        let mut c = a.db().conn().await.unwrap();
        let doc = gongkai_store::documents::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap();
        let before = review::review_of(&mut c, &a, &doc).await.unwrap();
        drop(c);
        let first = before
            .findings
            .iter()
            .find(|f| f.source == format!("attachment:{}", att.id))
            .unwrap();
        let masked = review::redact_attachment(
            &a,
            Actor::Staff(&s.clerk),
            id,
            att.id,
            Some(&first.value_hash),
        )
        .await
        .unwrap();
        assert_eq!(masked, 3, "ID, mobile and e-mail");
        let mut c = a.db().conn().await.unwrap();
        let after = gongkai_store::attachments::by_id(&mut c, att.id)
            .await
            .unwrap()
            .unwrap();
        drop(c);
        // The stored text shows the masks; the file itself has no text left to leak.
        assert!(after.text.contains("350102********1234"), "{}", after.text);
        assert!(after.text.contains("139****2345"), "{}", after.text);
        assert!(!after.text.contains("350102199003071234"));
        assert_eq!(after.text_problem, None);
        let served = gongkai_app::files::read(&a, &after).await.unwrap();
        assert!(served.starts_with(b"%PDF-"));
        let again = gongkai_search::extract("通知.pdf", &served).unwrap();
        assert_eq!(again.text.trim(), "");
        assert!(gongkai_app::files::read(&a, &att).await.is_err());
        // Nothing is left for the reviewer: the findings of the attachment are gone.
        let mut c = a.db().conn().await.unwrap();
        let doc = gongkai_store::documents::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap();
        let left = review::review_of(&mut c, &a, &doc).await.unwrap();
        assert_eq!(left.unresolved(), 0, "{:?}", left.findings);
    }
);

db_test!(
    an_xlsx_attachment_is_redacted_and_its_number_cells_stay_readable,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(&a, &s.clerk, "正文。").await;
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(0, 1, "身份证号").unwrap();
        sheet.write_string(0, 2, "手机").unwrap();
        sheet.write_string(1, 0, "李四").unwrap();
        sheet.write_string(1, 1, "350102199003071234").unwrap();
        sheet.write_number(1, 2, 13905912345.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let att = gongkai_app::files::attach(&a, Actor::Staff(&s.clerk), id, "名单.xlsx", bytes)
            .await
            .unwrap();
        assert!(att.text.contains("13905912345"), "{}", att.text);
        review::redact_attachment(&a, Actor::Staff(&s.clerk), id, att.id, None)
            .await
            .unwrap();
        let mut c = a.db().conn().await.unwrap();
        let after = gongkai_store::attachments::by_id(&mut c, att.id)
            .await
            .unwrap()
            .unwrap();
        drop(c);
        let served = gongkai_app::files::read(&a, &after).await.unwrap();
        let text = gongkai_search::extract("名单.xlsx", &served).unwrap().text;
        assert!(text.contains("350102********1234"), "{text}");
        assert!(text.contains("139****2345"), "{text}");
        assert!(!text.contains("13905912345") && !text.contains("350102199003071234"));
    }
);

db_test!(
    a_draft_s_attachment_can_be_removed_by_its_clerk_only,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let s = signers(&a).await;
        let id = draft(&a, &s.clerk, "正文。").await;
        let att =
            gongkai_app::files::attach(&a, Actor::Staff(&s.clerk), id, "扫描件.txt", b"x".to_vec())
                .await
                .unwrap();
        // The same bytes twice: removing one keeps them for the other.
        let twin =
            gongkai_app::files::attach(&a, Actor::Staff(&s.clerk), id, "副本.txt", b"x".to_vec())
                .await
                .unwrap();
        assert!(matches!(
            gongkai_app::files::remove(&a, Actor::Staff(&s.reviewer), id, att.id).await,
            Err(Error::Forbidden)
        ));
        gongkai_app::files::remove(&a, Actor::Staff(&s.clerk), id, att.id)
            .await
            .unwrap();
        assert_eq!(gongkai_app::files::read(&a, &twin).await.unwrap(), b"x");
        gongkai_app::files::remove(&a, Actor::Staff(&s.clerk), id, twin.id)
            .await
            .unwrap();
        assert!(gongkai_app::files::read(&a, &att).await.is_err());
        assert!(matches!(
            gongkai_app::files::remove(&a, Actor::Staff(&s.clerk), id, att.id).await,
            Err(Error::NotFound(_))
        ));
        let history: Vec<String> = audit::of_document(&a, id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            history,
            [
                "document.create",
                "document.attach",
                "document.attach",
                "document.attachment_removed",
                "document.attachment_removed"
            ]
        );
    }
);

#[tokio::test]
async fn a_pdf_upload_proposes_its_head_and_rejoins_its_wrapped_lines() {
    let pdf = include_bytes!("../../../gongkai-search/tests/fixtures/pdf/libreoffice.pdf");
    let d = gongkai_app::drafts::from_upload("通知.pdf", pdf.to_vec())
        .await
        .unwrap();
    assert_eq!(
        d.title.as_deref(),
        Some("福州市鼓楼区人民政府办公室关于做好2026年政务公开工作的通知")
    );
    assert_eq!(d.doc_number.as_deref(), Some("鼓政办〔2026〕12号"));
    assert!(
        !d.body_html.contains("关于做好"),
        "the head is not body: {}",
        d.body_html
    );
    // The line the page broke after 电子邮箱 is one paragraph again, digits unspaced.
    assert!(
        d.body_html.contains(
            "身份证号350102199003071234，手机13905912345，电子邮箱zhangsan@example.com。"
        ),
        "{}",
        d.body_html
    );
    assert!(
        d.body_html.contains("<p>二、信息处理费按件计收。</p>"),
        "{}",
        d.body_html
    );
}

#[tokio::test]
async fn a_task_table_in_a_pdf_stays_a_table_in_the_draft() {
    let pdf = include_bytes!("../../../gongkai-search/tests/fixtures/pdf/chromium-table.pdf");
    let d = gongkai_app::drafts::from_upload("分工.pdf", pdf.to_vec())
        .await
        .unwrap();
    assert_eq!(d.title.as_deref(), Some("鼓楼区2026年政务公开重点任务分工"));
    assert_eq!(d.doc_number.as_deref(), Some("鼓政办〔2026〕88号"));
    let html = &d.body_html;
    assert!(
        html.contains("<th>序号</th><th>工作任务</th><th>责任单位</th><th>完成时限</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td>1</td><td>按时发布政府信息公开工作年度报告</td><td>区政府办</td><td>2026年1月31日前</td>"),
        "{html}"
    );
    assert!(html.contains("<td>区司法局、区政府办</td>"), "{html}");
    // The paragraphs around it stay paragraphs, in order.
    let before = html.find("<p>为做好").unwrap();
    let table = html.find("<table>").unwrap();
    let after = html.find("<p>各单位要明确专人负责。</p>").unwrap();
    assert!(before < table && table < after, "{html}");
}
