use gongkai_store::{StoreError, orgs, settings, users};
use gongkai_testkit::{TestDb, db_test};
use time::Duration;

use crate::{now, org};

db_test!(
    organizations_form_a_tree_with_unique_codes,
    async |t: &TestDb| {
        let city = org(t, "FZ00101", None).await;
        let district = org(t, "GL00101", Some(city.id)).await;
        assert_eq!(district.parent_id, Some(city.id));
        assert_eq!(district.short_name.as_deref(), Some("鼓政办"));

        let mut c = t.db.conn().await.unwrap();
        let found = orgs::by_code(&mut c, "GL00101").await.unwrap().unwrap();
        assert_eq!(found, district);
        assert_eq!(
            orgs::by_id(&mut c, city.id).await.unwrap().unwrap().code,
            "FZ00101"
        );
        assert!(orgs::by_code(&mut c, "NOPE").await.unwrap().is_none());
        assert_eq!(orgs::all(&mut c).await.unwrap().len(), 2);
        drop(c);

        let mut tx = t.db.begin().await.unwrap();
        let again = orgs::insert(
            &mut tx,
            &orgs::NewOrg {
                code: "FZ00101",
                name: "重复",
                short_name: None,
                kind: "office",
                parent_id: None,
                index_pattern: "{org_code}/{year}-{serial:05}",
                position: 0,
            },
            now(),
        )
        .await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{again:?}"
        );
    }
);

db_test!(users_hold_roles_and_sessions_expire, async |t: &TestDb| {
    let o = org(t, "GL00101", None).await;
    let mut tx = t.db.begin().await.unwrap();
    let u = users::insert(&mut tx, "clerk", "经办人", "$argon2id$fake", now())
        .await
        .unwrap();
    users::grant(&mut tx, u.id, o.id, "clerk").await.unwrap();
    users::grant(&mut tx, u.id, o.id, "clerk").await.unwrap();
    users::grant(&mut tx, u.id, o.id, "reviewer").await.unwrap();
    users::insert_session(&mut tx, "hash-1", u.id, now(), now() + Duration::hours(8))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut c = t.db.conn().await.unwrap();
    let roles = users::roles(&mut c, u.id).await.unwrap();
    assert_eq!(
        roles.iter().map(|r| r.role.as_str()).collect::<Vec<_>>(),
        ["clerk", "reviewer"]
    );
    assert_eq!(roles[0].org_code, "GL00101");
    let s = users::session_user(&mut c, "hash-1", now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.id, u.id);
    assert!(
        users::session_user(&mut c, "hash-1", now() + Duration::hours(9))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        users::session_user(&mut c, "other", now())
            .await
            .unwrap()
            .is_none()
    );

    let found = users::by_username(&mut c, "clerk").await.unwrap().unwrap();
    assert!(
        !format!("{found:?}").contains("argon2"),
        "Debug must not print the hash"
    );

    users::delete_session(&mut c, "hash-1").await.unwrap();
    assert!(
        users::session_user(&mut c, "hash-1", now())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(users::purge_sessions(&mut c, now()).await.unwrap(), 0);
});

db_test!(settings_are_upserted, async |t: &TestDb| {
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        settings::get(&mut c, "lockout.failures").await.unwrap(),
        None
    );
    settings::set(&mut c, "lockout.failures", "5")
        .await
        .unwrap();
    settings::set(&mut c, "lockout.failures", "7")
        .await
        .unwrap();
    assert_eq!(
        settings::get(&mut c, "lockout.failures")
            .await
            .unwrap()
            .as_deref(),
        Some("7")
    );
});

db_test!(
    accounts_are_listed_and_passwords_replaced,
    async |t: &TestDb| {
        let mut tx = t.db.begin().await.unwrap();
        let b = users::insert(&mut tx, "zhang", "张", "hash-z", now())
            .await
            .unwrap();
        let a = users::insert(&mut tx, "chen", "陈", "hash-c", now())
            .await
            .unwrap();
        users::insert_session(&mut tx, "s1", a.id, now(), now() + Duration::hours(1))
            .await
            .unwrap();
        users::insert_session(&mut tx, "s2", a.id, now(), now() + Duration::hours(1))
            .await
            .unwrap();
        users::insert_session(&mut tx, "s3", b.id, now(), now() + Duration::hours(1))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut c = t.db.conn().await.unwrap();
        assert_eq!(
            users::all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|u| u.username.as_str())
                .collect::<Vec<_>>(),
            ["chen", "zhang"]
        );
        users::set_password_hash(&mut c, a.id, "hash-2", now())
            .await
            .unwrap();
        users::set_password_hash(&mut c, a.id, "hash-new", now())
            .await
            .unwrap();
        assert_eq!(
            users::previous_password_hashes(&mut c, a.id, 5)
                .await
                .unwrap(),
            ["hash-2", a.password_hash.as_str()]
        );
        assert_eq!(
            users::previous_password_hashes(&mut c, a.id, 1)
                .await
                .unwrap(),
            ["hash-2"]
        );
        assert_eq!(
            users::by_id(&mut c, a.id)
                .await
                .unwrap()
                .unwrap()
                .password_hash,
            "hash-new"
        );
        assert!(users::by_id(&mut c, 9999).await.unwrap().is_none());
        users::delete_sessions_of(&mut c, a.id).await.unwrap();
        assert!(
            users::session_user(&mut c, "s1", now())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            users::session_user(&mut c, "s2", now())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            users::session_user(&mut c, "s3", now())
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            users::purge_sessions(&mut c, now() + Duration::hours(2))
                .await
                .unwrap(),
            1
        );
    }
);
