use gongkai_app::auth::{change_password, create_user, lock_after, login, logout, session};
use gongkai_app::documents::{Actor, create_draft, publish};
use gongkai_app::{App, Error, Settings};
use gongkai_domain::{Role, validate_line};
use gongkai_testkit::builders::{DocLine, org_tree};
use gongkai_testkit::{TestDb, app, db_test};
use time::macros::{date, datetime};

#[test]
fn the_fifth_failure_locks_for_fifteen_minutes() {
    let now = datetime!(2026-11-28 10:00 UTC);
    for (failed, locked, why) in [
        (1, false, "first failure counts"),
        (4, false, "fourth failure still open"),
        (5, true, "fifth failure locks"),
        (9, true, "parallel guesses past the limit lock too"),
    ] {
        let lock = lock_after(failed, now, 5, 15);
        assert_eq!(
            lock,
            locked.then_some(datetime!(2026-11-28 10:15 UTC)),
            "{why}"
        );
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

db_test!(repeated_failures_lock_the_account, async |t: &TestDb| {
    let a = app_with_clerk(t, 3).await;
    assert!(matches!(
        login(&a, "clerk", "wrong-1").await,
        Err(Error::BadCredentials)
    ));
    assert!(matches!(
        login(&a, "clerk", "wrong-2").await,
        Err(Error::BadCredentials)
    ));
    assert!(matches!(
        login(&a, "clerk", "wrong-3").await,
        Err(Error::Locked { minutes: 15 })
    ));
    // Even the right password is refused while locked.
    assert!(matches!(
        login(&a, "clerk", "correct-horse").await,
        Err(Error::Locked { .. })
    ));
});

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
            Err(Error::Locked { .. }) => locked += 1,
            other => panic!("{other:?}"),
        }
    }
    // At most five passwords are checked (four wrong answers, the fifth locks).
    assert!(checked <= 4, "{checked} guesses were checked");
    assert_eq!(checked + locked, 12);
    assert!(matches!(
        login(&a, "clerk", "correct-horse").await,
        Err(Error::Locked { .. })
    ));
});

db_test!(
    wrong_current_passwords_count_like_failed_logins,
    async |t: &TestDb| {
        let a = app_with_clerk(t, 3).await;
        let (token, staff) = login(&a, "clerk", "correct-horse").await.unwrap();
        for _ in 0..2 {
            assert!(matches!(
                change_password(&a, &staff, "guess", "new-password-1").await,
                Err(Error::BadCredentials)
            ));
        }
        assert!(matches!(
            change_password(&a, &staff, "guess", "new-password-1").await,
            Err(Error::Locked { .. })
        ));
        assert_eq!(
            session(&a, &token.token).await.unwrap(),
            None,
            "locking ends the sessions"
        );
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
