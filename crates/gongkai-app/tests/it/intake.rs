//! Filing, following and working an application: the public's receipt, the unit's
//! registration and clock events, and nobody else seeing the applicant.

use gongkai_app::auth::{Staff, create_user};
use gongkai_app::documents::Actor;
use gongkai_app::intake::{NewEvent, for_staff, register, submit, track};
use gongkai_app::{App, Error};
use gongkai_domain::application::validate_application;
use gongkai_domain::deadline::ClockStatus;
use gongkai_domain::{LegalBasis, Outcome, Role};
use gongkai_testkit::builders::org_tree;
use gongkai_testkit::{TestDb, app, db_test};
use serde_json::json;

async fn user(a: &App, name: &str, roles: &[(&str, Role)]) -> Staff {
    create_user(a, name, name, "intake-test-2026", roles)
        .await
        .unwrap()
}

fn application() -> gongkai_domain::application::Application {
    validate_application(&json!({
        "org": "GL00101",
        "applicant_type": "natural_person",
        "applicant": {"name": "张三", "id_number": "350102199003071234", "phone": "13905912345"},
        "description": "2025年鼓楼区老旧小区改造资金使用情况",
        "delivery": "online"
    }))
    .unwrap()
}

fn event(kind: &str, date: time::Date) -> NewEvent {
    NewEvent {
        event: json!({"kind": kind, "date": gongkai_domain::format_date_iso(date)}),
        outcome: None,
        letter: None,
    }
}

db_test!(
    a_citizen_files_the_unit_registers_and_the_clock_follows_each_event,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let clerk = user(&a, "clerk", &[("GL00101", Role::Clerk)]).await;
        let other = user(&a, "other", &[("LH00201", Role::Clerk)]).await;
        let reviewer = user(&a, "reviewer", &[("GL00101", Role::Reviewer)]).await;
        let receipt = submit(&a, &application(), "203.0.113.9").await.unwrap();
        assert!(receipt.tracking.starts_with("YS"), "{}", receipt.tracking);
        assert!(!format!("{receipt:?}").contains(&receipt.secret));

        // Before registration: filed, waiting for confirmation, no date yet.
        let seen = track(&a, &receipt.tracking, &receipt.secret, "203.0.113.9")
            .await
            .unwrap();
        assert_eq!((seen.status, seen.due.as_deref()), ("submitted", None));
        // Typed in lower case and without dashes it opens all the same.
        let typed = receipt.secret.to_lowercase().replace('-', "");
        track(&a, &receipt.tracking, &typed, "203.0.113.9")
            .await
            .unwrap();
        assert!(matches!(
            track(&a, &receipt.tracking, "wrong", "203.0.113.9").await,
            Err(Error::NotFound(_))
        ));

        // Only the unit's clerk registers it; elsewhere it does not exist.
        let today = a.today();
        assert!(matches!(
            register(&a, Actor::Staff(&other), &receipt.tracking, today).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            register(&a, Actor::Staff(&reviewer), &receipt.tracking, today).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            register(
                &a,
                Actor::Staff(&clerk),
                &receipt.tracking,
                today + time::Duration::days(1)
            )
            .await,
            Err(Error::Invalid(_))
        ));
        let clock = register(&a, Actor::Staff(&clerk), &receipt.tracking, today)
            .await
            .unwrap();
        let calendar = a.calendar();
        assert_eq!(clock.due, calendar.add_workdays(today, 20).ok());
        assert!(matches!(
            register(&a, Actor::Staff(&clerk), &receipt.tracking, today).await,
            Err(Error::Conflict(_))
        ));

        // 补正: no due date until the corrected request comes, then 20 days from it.
        let waiting = gongkai_app::intake::add_event(
            &a,
            Actor::Staff(&clerk),
            &receipt.tracking,
            &event("correction_requested", today),
        )
        .await
        .unwrap();
        assert_eq!(
            (waiting.status, waiting.due),
            (ClockStatus::AwaitingCorrection, None)
        );
        let seen = track(&a, &receipt.tracking, &receipt.secret, "203.0.113.9")
            .await
            .unwrap();
        assert_eq!(seen.status, "awaiting_correction");
        assert!(seen.steps.iter().any(|s| s.effect.contains("补正")));
        let restarted = gongkai_app::intake::add_event(
            &a,
            Actor::Staff(&clerk),
            &receipt.tracking,
            &event("correction_received", today),
        )
        .await
        .unwrap();
        assert_eq!(restarted.due, calendar.add_workdays(today, 20).ok());
        // An impossible event changes nothing and says why.
        assert!(matches!(
                   gongkai_app::intake::add_event(
                       &a,
                       Actor::Staff(&clerk),
                       &receipt.tracking,
                       &NewEvent {
                           event: json!({"kind": "consultation_answered", "date": gongkai_domain::format_date_iso(today), "id": "X"}),
                           outcome: None,
        letter: None,
                       },
                   )
                   .await,
                   Err(Error::Invalid(m)) if m.contains("征求意见")
               ));
        // The reply needs its outcome and a basis that fits it.
        assert!(matches!(
            gongkai_app::intake::add_event(&a, Actor::Staff(&clerk), &receipt.tracking, &event("replied", today)).await,
            Err(Error::Invalid(m)) if m.starts_with("outcome")
        ));
        let mut reply = event("replied", today);
        reply.outcome = Some((Outcome::Disclosed, vec![LegalBasis::NotExist]));
        assert!(matches!(
            gongkai_app::intake::add_event(&a, Actor::Staff(&clerk), &receipt.tracking, &reply).await,
            Err(Error::Invalid(m)) if m.starts_with("basis")
        ));
        reply.outcome = Some((Outcome::Disclosed, vec![LegalBasis::CanDisclose]));
        let done =
            gongkai_app::intake::add_event(&a, Actor::Staff(&clerk), &receipt.tracking, &reply)
                .await
                .unwrap();
        assert_eq!(done.status, ClockStatus::Replied);
        let seen = track(&a, &receipt.tracking, &receipt.secret, "203.0.113.9")
            .await
            .unwrap();
        assert_eq!(seen.status, "replied");
        assert!(matches!(
            gongkai_app::intake::add_event(
                &a,
                Actor::Staff(&clerk),
                &receipt.tracking,
                &event("withdrawn", today)
            )
            .await,
            Err(Error::Conflict(_))
        ));

        // The unit's staff see the applicant; another unit's do not even see the request.
        let view = for_staff(&a, Actor::Staff(&reviewer), &receipt.tracking)
            .await
            .unwrap();
        assert!(view.intake.unwrap().applicant.contains("张三"));
        assert!(view.request.unwrap().replied_date.is_some());
        assert!(matches!(
            for_staff(&a, Actor::Staff(&other), &receipt.tracking).await,
            Err(Error::NotFound(_))
        ));
        // Nothing personal in the audit chain.
        let entries = gongkai_app::audit::entries_after(&a, 0, 1000)
            .await
            .unwrap();
        assert!(entries.iter().any(|e| e.action == "request.register"));
        assert!(
            entries
                .iter()
                .all(|e| !e.detail.contains("张三") && !e.detail.contains("13905912345"))
        );
    }
);

db_test!(
    one_address_filing_in_bulk_is_slowed_down,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        // Six go through (five free, the sixth starts the wait)…
        for _ in 0..6 {
            submit(&a, &application(), "198.51.100.7").await.unwrap();
        }
        assert!(matches!(
            submit(&a, &application(), "198.51.100.7").await,
            Err(Error::Throttled { .. })
        ));
        // Another address is not affected.
        submit(&a, &application(), "198.51.100.8").await.unwrap();
    }
);

#[test]
fn reminders_count_at_the_settings_two_distances() {
    use gongkai_app::intake::{Desk, OpenRow, WaitingRow, reminders};
    use gongkai_domain::deadline::Clock;
    let row = |status: ClockStatus, days_left: Option<u32>| OpenRow {
        tracking: "T".into(),
        org: "鼓楼区".into(),
        received: time::macros::date!(2026 - 11 - 02),
        clock: Clock {
            due: Some(time::macros::date!(2026 - 12 - 01)),
            extension: 0,
            paused: 0,
            status,
            days_left,
            steps: Vec::new(),
            warnings: Vec::new(),
            provisional: Vec::new(),
        },
        consulting: false,
        awaiting_fee: false,
        reply_stage: None,
        assignee: None,
    };
    let desk = Desk {
        waiting: vec![WaitingRow {
            tracking: "W".into(),
            org: "鼓楼区".into(),
            channel: "网上",
            submitted_at: String::new(),
        }],
        open: vec![
            row(ClockStatus::Overdue, None),
            row(ClockStatus::Open, Some(0)),
            row(ClockStatus::Open, Some(1)),
            row(ClockStatus::Open, Some(5)),
            row(ClockStatus::Open, Some(6)),
            row(ClockStatus::Paused, None),
        ],
    };
    let r = reminders(&desk, &gongkai_app::Settings::default());
    assert_eq!((r.overdue, r.last, r.first, r.waiting), (1, 2, 3, 1));
    let wider = gongkai_app::Settings {
        reminder_first_days: 6,
        ..gongkai_app::Settings::default()
    };
    assert_eq!(reminders(&desk, &wider).first, 4);
}
