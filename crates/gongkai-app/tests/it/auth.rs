use gongkai_app::auth::{
    change_password, check_password_strength, create_user, login, login_from, logout, session,
    unlock,
};
use gongkai_app::documents::{Actor, create_draft, publish};
use gongkai_app::throttle::{Rule, wait_after};
use gongkai_app::{App, Error, Settings};
use gongkai_domain::{Role, validate_line};
use gongkai_testkit::builders::{DocLine, org_tree};
use gongkai_testkit::{TestDb, app, db_test};
use time::Duration;
use time::macros::date;

#[test]
fn failures_past_the_free_ones_wait_two_seconds_doubling_to_the_ceiling() {
    let rule = Rule {
        free: 5,
        max_wait: Duration::minutes(15),
    };
    for (failures, wait) in [
        (1, None),
        (5, None),
        (6, Some(2)),
        (7, Some(4)),
        (13, Some(256)),
        (14, Some(512)),
        (15, Some(900)),
        (1_000, Some(900)),
        (u32::MAX, Some(900)),
    ] {
        assert_eq!(
            wait_after(failures, rule),
            wait.map(Duration::seconds),
            "{failures}"
        );
    }
}

#[test]
fn weak_passwords_are_refused() {
    for weak in [
        "password",
        "        ",
        "          ",
        "1234567890",
        "qwertyuiop",
        "password123",
        "1qaz2wsx3edc",
    ] {
        assert!(
            matches!(
                check_password_strength(weak, &["clerk"]),
                Err(Error::Invalid(_))
            ),
            "{weak:?}"
        );
    }
    for strong in [
        "correct-horse-9",
        "鼓楼区政务公开2026年度",
        "Gongkai#2026!x",
    ] {
        check_password_strength(strong, &["clerk"]).unwrap();
    }
}

db_test!(
    login_opens_a_session_and_logout_ends_it,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        create_user(
            &a,
            "clerk",
            "林经办",
            "correct-horse",
            &[("GL00101", Role::Clerk)],
        )
        .await
        .unwrap();
        let (token, staff) = login(&a, "clerk", "correct-horse").await.unwrap();
        assert_eq!(staff.grants[0].role, Role::Clerk);
        assert!(
            !format!("{token:?}").contains(&token.token),
            "Debug must not print the token"
        );
        assert_eq!(
            session(&a, &token.token).await.unwrap().unwrap().username,
            "clerk"
        );
        assert_eq!(session(&a, "forged").await.unwrap(), None);
        logout(&a, &token.token).await.unwrap();
        assert_eq!(session(&a, &token.token).await.unwrap(), None);
        assert!(matches!(
            login(&a, "nobody", "correct-horse").await,
            Err(Error::BadCredentials)
        ));
    }
);

db_test!(
    repeated_failures_slow_down_that_source_and_not_the_owner,
    async |t: &TestDb| {
        let a = app_with_clerk(t, 3).await;
        for i in 0..4 {
            assert!(matches!(
                login_from(&a, "clerk", &format!("wrong-{i}"), "198.51.100.7").await,
                Err(Error::BadCredentials)
            ));
        }
        // The fourth failure made this address wait, even with the right password.
        assert!(matches!(
            login_from(&a, "clerk", "correct-horse", "198.51.100.7").await,
            Err(Error::Throttled { seconds: 1..=2 })
        ));
        // The owner, elsewhere, is not kept out.
        login_from(&a, "clerk", "correct-horse", "203.0.113.9")
            .await
            .unwrap();
        // An unknown name takes the same path: the same answers, the same slowdown.
        for i in 0..4 {
            assert!(matches!(
                login_from(&a, "nobody", &format!("wrong-{i}"), "198.51.100.8").await,
                Err(Error::BadCredentials)
            ));
        }
        assert!(matches!(
            login_from(&a, "nobody", "correct-horse", "198.51.100.8").await,
            Err(Error::Throttled { .. })
        ));
        // An administrator clears the waits of an account.
        unlock(&a, "clerk");
        login_from(&a, "clerk", "correct-horse", "198.51.100.7")
            .await
            .unwrap();
    }
);

db_test!(
    password_change_needs_the_old_one_and_ends_sessions,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        create_user(
            &a,
            "clerk",
            "林经办",
            "correct-horse",
            &[("GL00101", Role::Clerk)],
        )
        .await
        .unwrap();
        let (token, staff) = login(&a, "clerk", "correct-horse").await.unwrap();
        assert!(matches!(
            change_password(&a, &staff, "bad", "new-password-1").await,
            Err(Error::BadCredentials)
        ));
        assert!(matches!(
            change_password(&a, &staff, "correct-horse", "short").await,
            Err(Error::Invalid(_))
        ));
        change_password(&a, &staff, "correct-horse", "new-password-1")
            .await
            .unwrap();
        assert_eq!(session(&a, &token.token).await.unwrap(), None);
        login(&a, "clerk", "new-password-1").await.unwrap();
    }
);

db_test!(roles_are_checked_on_each_record, async |t: &TestDb| {
    let a = app(t);
    org_tree(&a).await;
    let clerk = create_user(
        &a,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let approver = create_user(
        &a,
        "approver",
        "王签发",
        "correct-horse",
        &[("GL01007", Role::Approver)],
    )
    .await
    .unwrap();
    let line = validate_line(&DocLine::new().to_line()).unwrap().0;
    let id = create_draft(&a, Actor::Staff(&clerk), &line).await.unwrap();
    // A clerk cannot sign off, and an approver of another unit cannot either.
    assert!(matches!(
        publish(&a, Actor::Staff(&clerk), id, date!(2021 - 06 - 09)).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        publish(&a, Actor::Staff(&approver), id, date!(2021 - 06 - 09)).await,
        Err(Error::Forbidden)
    ));
    let other = validate_line(&DocLine::new().org("LH00201").to_line())
        .unwrap()
        .0;
    assert!(matches!(
        create_draft(&a, Actor::Staff(&clerk), &other).await,
        Err(Error::Forbidden)
    ));
});

db_test!(parallel_wrong_guesses_each_count, async |t: &TestDb| {
    let a = app_with_clerk(t, 5).await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let a = a.clone();
        tasks.push(tokio::spawn(async move {
            login(&a, "clerk", &format!("wrong-{i}")).await
        }));
    }
    let (mut checked, mut locked) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Err(Error::BadCredentials) => checked += 1,
            Err(Error::Throttled { .. }) => locked += 1,
            other => panic!("{other:?}"),
        }
    }
    // Each attempt is counted before its check: at most six of twelve are checked (five
    // free, the sixth starts the wait).
    assert!(checked <= 6, "{checked} guesses were checked");
    assert_eq!(checked + locked, 12);
    assert!(matches!(
        login(&a, "clerk", "correct-horse").await,
        Err(Error::Throttled { .. })
    ));
});

db_test!(
    wrong_current_passwords_count_like_failed_logins,
    async |t: &TestDb| {
        let a = app_with_clerk(t, 3).await;
        let (_, staff) = login(&a, "clerk", "correct-horse").await.unwrap();
        for _ in 0..4 {
            assert!(matches!(
                change_password(&a, &staff, "guess", "new-password-19").await,
                Err(Error::BadCredentials)
            ));
        }
        assert!(matches!(
            change_password(&a, &staff, "correct-horse", "new-password-19").await,
            Err(Error::Throttled { .. })
        ));
        assert!(matches!(
            change_password(&a, &staff, "correct-horse", "correct-horse").await,
            Err(Error::Invalid(_))
        ));
    }
);

db_test!(
    attachments_need_a_clerk_of_the_records_organization,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        let clerk = create_user(
            &a,
            "clerk",
            "林经办",
            "correct-horse",
            &[("LH00201", Role::Clerk)],
        )
        .await
        .unwrap();
        let line = validate_line(&DocLine::new().to_line()).unwrap().0;
        let id = create_draft(&a, Actor::System, &line).await.unwrap();
        let r =
            gongkai_app::files::attach(&a, Actor::Staff(&clerk), id, "a.txt", b"x".to_vec()).await;
        assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
        assert!(
            !t.dir.path().join("files").exists(),
            "nothing is written before the check"
        );
        let r =
            gongkai_app::files::attach(&a, Actor::System, 987_654, "a.txt", b"x".to_vec()).await;
        assert!(matches!(r, Err(Error::NotFound(_))), "{r:?}");
    }
);

/// An application whose lock-out comes after `failures` attempts, with the demo tree and a
/// clerk of 鼓楼区人民政府办公室 (password `correct-horse`).
async fn app_with_clerk(t: &TestDb, failures: u32) -> App {
    let a = App::new(
        t.db.clone(),
        t.dir.path(),
        Settings {
            lockout_failures: failures,
            ..Settings::default()
        },
    );
    org_tree(&a).await;
    create_user(
        &a,
        "clerk",
        "林经办",
        "correct-horse",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    a
}

db_test!(
    a_password_change_cannot_go_back_to_the_last_five,
    async |t: &TestDb| {
        let a = app(t);
        org_tree(&a).await;
        create_user(
            &a,
            "clerk",
            "林经办",
            "correct-horse",
            &[("GL00101", Role::Clerk)],
        )
        .await
        .unwrap();
        let (_, staff) = login(&a, "clerk", "correct-horse").await.unwrap();
        let chain = [
            "correct-horse",
            "lantern-meadow-41",
            "copper-walrus-27",
            "quiet-harbor-93",
            "violet-anchor-58",
            "amber-thicket-16",
        ];
        for pair in chain.windows(2) {
            change_password(&a, &staff, pair[0], pair[1]).await.unwrap();
        }
        // The four before the current one are refused, with the reason.
        let current = chain[chain.len() - 1];
        for used in &chain[1..chain.len() - 1] {
            match change_password(&a, &staff, current, used).await {
                Err(Error::Invalid(m)) => assert!(m.contains("最近用过"), "{m}"),
                other => panic!("{used}: {other:?}"),
            }
        }
        // One more change and the oldest of them is forgotten.
        change_password(&a, &staff, current, "ember-falcon-72")
            .await
            .unwrap();
        change_password(&a, &staff, "ember-falcon-72", "lantern-meadow-41")
            .await
            .unwrap();
    }
);
