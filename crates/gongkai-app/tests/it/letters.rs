//! The letters of a request and its reply signed by three people: numbering, templates an
//! office edits, the remedies quoted, and who may read them.

use std::collections::BTreeMap;

use gongkai_app::auth::{Staff, create_user};
use gongkai_app::documents::Actor;
use gongkai_app::intake::{
    NewEvent, Written, add_event, applicant_letter, register, submit, track,
};
use gongkai_app::letters::{TemplateSource, set_template, staff_letter, templates};
use gongkai_app::replies;
use gongkai_app::{App, Error};
use gongkai_domain::application::validate_application;
use gongkai_domain::letter::{LetterKind, Template, TemplateKey};
use gongkai_domain::workflow::Action;
use gongkai_domain::{LegalBasis, Role};
use gongkai_testkit::builders::org_tree;
use gongkai_testkit::{TestDb, app, db_test};
use serde_json::json;

async fn user(a: &App, name: &str, roles: &[(&str, Role)]) -> Staff {
    create_user(a, name, name, "letters-test-2026", roles)
        .await
        .unwrap()
}

/// Files and registers an application of 张三 to 鼓楼区政府办; returns (tracking, secret).
async fn registered(a: &App, clerk: &Staff, source: &str) -> (String, String) {
    let application = validate_application(&json!({
        "org": "GL00101",
        "applicant_type": "natural_person",
        "applicant": {"name": "张三", "id_number": "350102199003071234", "phone": "13905912345"},
        "description": "2025年鼓楼区老旧小区改造资金使用情况",
    }))
    .unwrap();
    let receipt = submit(a, &application, source).await.unwrap();
    register(a, Actor::Staff(clerk), &receipt.tracking, a.today())
        .await
        .unwrap();
    (receipt.tracking, receipt.secret)
}

fn with_letter(kind: &str, a: &App, fields: &[(&str, &str)], to_agency: bool) -> NewEvent {
    let mut event = json!({"kind": kind, "date": gongkai_domain::format_date_iso(a.today())});
    if kind == "consultation_sent" {
        event["id"] = json!("1");
    }
    NewEvent {
        event,
        outcome: None,
        letter: Some(Written {
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            to_agency,
        }),
    }
}

db_test!(
    each_letter_is_numbered_in_its_series_and_kept_as_issued,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let clerk = user(&a, "clerk", &[("GL00101", Role::Clerk)]).await;
        let office = user(&a, "office", &[("GL00101", Role::Office)]).await;
        let city = user(&a, "city", &[("FZ00101", Role::Office)]).await;
        let year = a.today().year();
        let (first, secret) = registered(&a, &clerk, "198.51.100.1").await;
        let (second, _) = registered(&a, &clerk, "198.51.100.2").await;

        // Registration issues the 登记回执, numbered in the 公登 series of the unit.
        let seen = track(&a, &first, &secret, "198.51.100.1").await.unwrap();
        assert_eq!(seen.letters.len(), 1);
        assert_eq!(seen.letters[0].number, format!("鼓政办公登〔{year}〕1号"));
        let second_seen = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &second)
            .await
            .unwrap();
        assert_eq!(
            second_seen.letters[0].number,
            format!("鼓政办公登〔{year}〕2号")
        );
        let receipt = applicant_letter(&a, &first, &secret, seen.letters[0].id, "198.51.100.1")
            .await
            .unwrap();
        assert_eq!(receipt.addressee, "张三");
        assert!(receipt.paragraphs.join("").contains(&first));

        // A 补正告知书 without the items is refused and nothing is recorded.
        let refused = add_event(
            &a,
            Actor::Staff(&clerk),
            &first,
            &with_letter("correction_requested", &a, &[], false),
        )
        .await;
        assert!(
            matches!(&refused, Err(Error::Invalid(m)) if m.contains("补正事项")),
            "{refused:?}"
        );
        let view = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &first)
            .await
            .unwrap();
        assert_eq!(view.request.unwrap().events, "[]");
        assert_eq!(view.letters.len(), 1);

        // The city office's wording reaches the district until the district writes its own.
        let key = TemplateKey::of(LetterKind::Correction);
        let city_id = gongkai_app::orgs::OrgTree::load(&a)
            .await
            .unwrap()
            .by_code("FZ00101")
            .unwrap()
            .id;
        let gl_id = gongkai_app::orgs::OrgTree::load(&a)
            .await
            .unwrap()
            .by_code("GL00101")
            .unwrap()
            .id;
        let city_words = Template {
            title: "补正通知书".into(),
            body: "请在{补正期限}前补正：{补正事项}".into(),
        };
        assert!(matches!(
            set_template(&a, Actor::Staff(&clerk), gl_id, key, Some(&city_words)).await,
            Err(Error::Forbidden)
        ));
        let bad = Template {
            title: "x".into(),
            body: "{申请人姓名}".into(),
        };
        assert!(matches!(
            set_template(&a, Actor::Staff(&city), city_id, key, Some(&bad)).await,
            Err(Error::Invalid(m)) if m.contains("申请人姓名") && m.contains("第1段")
        ));
        set_template(&a, Actor::Staff(&city), city_id, key, Some(&city_words))
            .await
            .unwrap();
        let rows = templates(&a, Actor::Staff(&office), gl_id).await.unwrap();
        let row = rows.iter().find(|r| r.key == key).unwrap();
        assert_eq!(
            row.source,
            TemplateSource::Inherited("福州市人民政府办公厅".into())
        );
        assert_eq!(rows.len(), TemplateKey::all().len());

        let fields = [("补正事项", "请写明小区名称"), ("补正期限", "2099年1月5日")];
        add_event(
            &a,
            Actor::Staff(&clerk),
            &first,
            &with_letter("correction_requested", &a, &fields, false),
        )
        .await
        .unwrap();
        let view = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &first)
            .await
            .unwrap();
        let corr = view.letters.last().unwrap();
        assert_eq!(corr.number, format!("鼓政办公补〔{year}〕1号"));
        let l = staff_letter(&a, Actor::Staff(&clerk), &first, corr.id)
            .await
            .unwrap();
        assert_eq!(l.title, "补正通知书");
        assert_eq!(
            l.paragraphs,
            vec!["请在2099年1月5日前补正：请写明小区名称".to_owned()]
        );

        // The district's own wording replaces it; the letter already issued keeps its words.
        let own = Template {
            title: "补正告知书".into(),
            body: "{申请人}：请补正{补正事项}。".into(),
        };
        set_template(&a, Actor::Staff(&office), gl_id, key, Some(&own))
            .await
            .unwrap();
        add_event(
            &a,
            Actor::Staff(&clerk),
            &second,
            &with_letter("correction_requested", &a, &fields, false),
        )
        .await
        .unwrap();
        let again = staff_letter(&a, Actor::Staff(&clerk), &first, corr.id)
            .await
            .unwrap();
        assert_eq!(again, l, "an issued letter never changes");
        let view = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &second)
            .await
            .unwrap();
        let newer = view.letters.last().unwrap();
        assert_eq!(newer.number, format!("鼓政办公补〔{year}〕2号"));
        let l2 = staff_letter(&a, Actor::Staff(&clerk), &second, newer.id)
            .await
            .unwrap();
        assert_eq!(
            l2.paragraphs,
            vec!["张三：请补正请写明小区名称。".to_owned()]
        );
        set_template(&a, Actor::Staff(&office), gl_id, key, None)
            .await
            .unwrap();
        let rows = templates(&a, Actor::Staff(&office), gl_id).await.unwrap();
        assert!(matches!(
            rows.iter().find(|r| r.key == key).unwrap().source,
            TemplateSource::Inherited(_)
        ));

        // A letter to a third party: the applicant neither sees it nor is named in it.
        add_event(
            &a,
            Actor::Staff(&clerk),
            &first,
            &json_event("correction_received", &a),
        )
        .await
        .unwrap();
        add_event(
            &a,
            Actor::Staff(&clerk),
            &first,
            &with_letter(
                "consultation_sent",
                &a,
                &[("被征求意见方", "某某物业公司")],
                false,
            ),
        )
        .await
        .unwrap();
        let view = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &first)
            .await
            .unwrap();
        let consult = view.letters.last().unwrap();
        assert_eq!(consult.number, format!("鼓政办公征〔{year}〕1号"));
        assert!(!consult.to_applicant);
        let l = staff_letter(&a, Actor::Staff(&clerk), &first, consult.id)
            .await
            .unwrap();
        assert_eq!(l.addressee, "某某物业公司");
        assert!(!l.paragraphs.join("").contains("张三"));
        assert!(l.paragraphs.join("").contains("15个工作日"));
        let seen = track(&a, &first, &secret, "198.51.100.1").await.unwrap();
        assert!(seen.letters.iter().all(|l| l.id != consult.id));
        assert!(matches!(
            applicant_letter(&a, &first, &secret, consult.id, "198.51.100.1").await,
            Err(Error::NotFound(_))
        ));
    }
);

fn json_event(kind: &str, a: &App) -> NewEvent {
    NewEvent {
        event: json!({"kind": kind, "date": gongkai_domain::format_date_iso(a.today())}),
        outcome: None,
        letter: None,
    }
}

db_test!(
    a_reply_is_signed_by_three_people_and_quotes_the_remedies,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let clerk = user(&a, "clerk", &[("GL00101", Role::Clerk)]).await;
        let both = user(
            &a,
            "both",
            &[("GL00101", Role::Reviewer), ("GL00101", Role::Approver)],
        )
        .await;
        let approver = user(&a, "approver", &[("GL00101", Role::Approver)]).await;
        let (tracking, secret) = registered(&a, &clerk, "198.51.100.7").await;
        let mut written = BTreeMap::new();
        written.insert("答复内容".to_owned(), "该信息涉及他人个人隐私。".to_owned());

        // Only the unit's 经办人 writes it; nothing to review before it is written.
        assert!(matches!(
            replies::act(&a, Actor::Staff(&both), &tracking, &Action::Review).await,
            Err(Error::Conflict(_))
        ));
        assert!(
            replies::submit(
                &a,
                Actor::Staff(&both),
                &tracking,
                LegalBasis::ThirdPartyRights,
                written.clone()
            )
            .await
            .is_err()
        );
        replies::submit(
            &a,
            Actor::Staff(&clerk),
            &tracking,
            LegalBasis::ThirdPartyRights,
            written.clone(),
        )
        .await
        .unwrap();
        // The clerk cannot review it, nor sign it.
        assert!(
            replies::act(&a, Actor::Staff(&clerk), &tracking, &Action::Review)
                .await
                .is_err()
        );
        assert!(
            replies::act(&a, Actor::Staff(&approver), &tracking, &Action::Approve)
                .await
                .is_err()
        );
        // A return needs a reason and clears the signatures.
        assert!(matches!(
            replies::act(
                &a,
                Actor::Staff(&both),
                &tracking,
                &Action::Return { reason: " ".into() }
            )
            .await,
            Err(Error::Refused(_))
        ));
        replies::act(
            &a,
            Actor::Staff(&both),
            &tracking,
            &Action::Return {
                reason: "请写明依据".into(),
            },
        )
        .await
        .unwrap();
        replies::submit(
            &a,
            Actor::Staff(&clerk),
            &tracking,
            LegalBasis::ThirdPartyRights,
            written.clone(),
        )
        .await
        .unwrap();
        replies::act(&a, Actor::Staff(&both), &tracking, &Action::Review)
            .await
            .unwrap();
        // Whoever reviewed it cannot also sign it, even holding the role.
        assert!(matches!(
            replies::act(&a, Actor::Staff(&both), &tracking, &Action::Approve).await,
            Err(Error::Refused(_))
        ));
        // Recording the reply around the signatures is refused while it is being signed.
        let direct = NewEvent {
            event: json!({"kind": "replied", "date": gongkai_domain::format_date_iso(a.today())}),
            outcome: Some((
                LegalBasis::ThirdPartyRights.outcome(),
                vec![LegalBasis::ThirdPartyRights],
            )),
            letter: None,
        };
        assert!(matches!(
            add_event(&a, Actor::Staff(&clerk), &tracking, &direct).await,
            Err(Error::Conflict(_))
        ));
        let clock = replies::act(&a, Actor::Staff(&approver), &tracking, &Action::Approve)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(clock.status.code(), "replied");

        let seen = track(&a, &tracking, &secret, "198.51.100.7").await.unwrap();
        assert_eq!(seen.status, "replied");
        let reply = seen.letters.last().unwrap();
        assert_eq!(
            reply.number,
            format!("鼓政办公复〔{}〕1号", a.today().year())
        );
        let l = applicant_letter(&a, &tracking, &secret, reply.id, "198.51.100.7")
            .await
            .unwrap();
        let text = l.paragraphs.join("\n");
        assert!(
            text.contains("《中华人民共和国政府信息公开条例》第十五条"),
            "{text}"
        );
        assert!(text.contains("该信息涉及他人个人隐私。"), "{text}");
        // A refusal since 2024 goes to 行政复议 first, before the district government.
        assert!(
            text.contains("向福州市鼓楼区人民政府申请行政复议"),
            "{text}"
        );
        assert!(!text.contains("六个月"), "{text}");
        let view = gongkai_app::intake::for_staff(&a, Actor::Staff(&clerk), &tracking)
            .await
            .unwrap();
        let r = view.request.unwrap();
        assert_eq!(r.outcome.as_deref(), Some("withheld.third_party_rights"));
        assert_eq!(r.replied_date, Some(a.today()));
        assert!(
            replies::submit(
                &a,
                Actor::Staff(&clerk),
                &tracking,
                LegalBasis::NotExist,
                BTreeMap::new()
            )
            .await
            .is_err()
        );
    }
);

db_test!(
    only_the_unit_and_the_applicant_read_the_applicant_and_the_letters,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let clerk = user(&a, "clerk", &[("GL00101", Role::Clerk)]).await;
        let (tracking, secret) = registered(&a, &clerk, "198.51.100.9").await;
        let seen = track(&a, &tracking, &secret, "198.51.100.9").await.unwrap();
        let id = seen.letters[0].id;
        // Each of these people: another unit, the office above, the unit below, an
        // administrator of the platform.
        let outsiders = [
            user(&a, "other", &[("LH00201", Role::Clerk)]).await,
            user(
                &a,
                "city",
                &[("FZ00101", Role::Office), ("FZ00101", Role::Clerk)],
            )
            .await,
            user(&a, "street", &[("GL01007", Role::Clerk)]).await,
            user(&a, "admin", &[("FZ00101", Role::Admin)]).await,
        ];
        for who in &outsiders {
            let actor = Actor::Staff(who);
            assert!(
                matches!(
                    gongkai_app::intake::for_staff(&a, actor, &tracking).await,
                    Err(Error::NotFound(_))
                ),
                "{}",
                who.username
            );
            assert!(matches!(
                staff_letter(&a, actor, &tracking, id).await,
                Err(Error::NotFound(_))
            ));
            assert!(
                add_event(&a, actor, &tracking, &json_event("withdrawn", &a))
                    .await
                    .is_err()
            );
            assert!(
                replies::submit(&a, actor, &tracking, LegalBasis::NotExist, BTreeMap::new())
                    .await
                    .is_err()
            );
        }
        // Every role of the unit reads it.
        for role in [Role::Clerk, Role::Reviewer, Role::Approver, Role::Office] {
            let who = user(&a, &format!("gl-{}", role.code()), &[("GL00101", role)]).await;
            let v = gongkai_app::intake::for_staff(&a, Actor::Staff(&who), &tracking)
                .await
                .unwrap();
            assert!(v.request.unwrap().applicant.contains("张三"));
            staff_letter(&a, Actor::Staff(&who), &tracking, id)
                .await
                .unwrap();
        }
        // The applicant with the secret; a wrong secret, or another request's code, nothing.
        applicant_letter(&a, &tracking, &secret, id, "198.51.100.9")
            .await
            .unwrap();
        assert!(matches!(
            applicant_letter(&a, &tracking, "WRONG-SECRET", id, "198.51.100.9").await,
            Err(Error::NotFound(_))
        ));
        let (other, other_secret) = registered(&a, &clerk, "198.51.100.10").await;
        assert!(matches!(
            applicant_letter(&a, &other, &other_secret, id, "198.51.100.10").await,
            Err(Error::NotFound(_))
        ));
    }
);

db_test!(
    the_fee_is_worked_out_from_the_units_rule_and_quoted_on_the_notice,
    async |t: &TestDb| {
        use gongkai_domain::FeeRule;
        let a = app(t);
        org_tree(&a).await;
        let clerk = user(&a, "clerk", &[("GL00101", Role::Clerk)]).await;
        let office = user(&a, "office", &[("GL00101", Role::Office)]).await;
        let gl = gongkai_app::orgs::OrgTree::load(&a)
            .await
            .unwrap()
            .by_code("GL00101")
            .unwrap()
            .id;
        let mut filed = Vec::new();
        for i in 0..11 {
            filed.push(registered(&a, &clerk, &format!("198.51.100.{}", 20 + i)).await);
        }
        // 按件: the tenth request of the month is free, the eleventh costs 100 元.
        assert_eq!(
            gongkai_app::fees::rule_of(&a, gl).await.unwrap(),
            FeeRule::ByCount
        );
        let (_, tenth) = gongkai_app::fees::quote_for(&a, Actor::Staff(&clerk), &filed[9].0, None)
            .await
            .unwrap();
        assert_eq!(tenth.amount, 0, "{}", tenth.explanation);
        let (_, eleventh) =
            gongkai_app::fees::quote_for(&a, Actor::Staff(&clerk), &filed[10].0, None)
                .await
                .unwrap();
        assert_eq!(eleventh.amount, 100);
        assert!(
            eleventh.explanation.contains("第11件"),
            "{}",
            eleventh.explanation
        );

        // 按量, chosen by the office: the pages decide.
        assert!(
            gongkai_app::fees::set_rule(&a, Actor::Staff(&clerk), gl, FeeRule::ByVolume)
                .await
                .is_err()
        );
        gongkai_app::fees::set_rule(&a, Actor::Staff(&office), gl, FeeRule::ByVolume)
            .await
            .unwrap();
        assert!(matches!(
            gongkai_app::fees::quote_for(&a, Actor::Staff(&clerk), &filed[0].0, None).await,
            Err(Error::Invalid(m)) if m.contains("页数")
        ));
        let (_, q) = gongkai_app::fees::quote_for(&a, Actor::Staff(&clerk), &filed[0].0, Some(250))
            .await
            .unwrap();
        assert_eq!(q.amount, 4700);

        // The notice pauses the clock (the default setting) and quotes the amount; payment
        // resumes it.
        let (tracking, secret) = &filed[0];
        let notice = with_letter(
            "fee_notice",
            &a,
            &[
                ("费用金额", &q.amount.to_string()),
                ("计费说明", &q.explanation),
            ],
            false,
        );
        let clock = add_event(&a, Actor::Staff(&clerk), tracking, &notice)
            .await
            .unwrap();
        assert_eq!(clock.status.code(), "paused");
        let seen = track(&a, tracking, secret, "198.51.100.20").await.unwrap();
        let fee = seen
            .letters
            .iter()
            .find(|l| l.kind == "fee_notice")
            .unwrap();
        let l = applicant_letter(&a, tracking, secret, fee.id, "198.51.100.20")
            .await
            .unwrap();
        let text = l.paragraphs.join("");
        assert!(text.contains("信息处理费4700元"), "{text}");
        assert!(text.contains("合计4700元"), "{text}");
        let clock = add_event(
            &a,
            Actor::Staff(&clerk),
            tracking,
            &json_event("fee_paid", &a),
        )
        .await
        .unwrap();
        assert_eq!(clock.status.code(), "open");
    }
);
