//! Staff login (C1): Argon2id passwords, database sessions, lock-out after repeated failures.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use gongkai_domain::Role;
use gongkai_store::users::{self, RoleGrant, User};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::{App, Error, Result};

/// A logged-in staff member and the roles they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    /// Account id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Roles per organization.
    pub grants: Vec<Grant>,
}

/// One role in one organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// Organization id.
    pub org_id: i64,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// The role.
    pub role: Role,
}

impl Staff {
    /// Whether the person holds `role` in organization `org_id` (admins hold every role).
    pub fn has_role(&self, org_id: i64, role: Role) -> bool {
        self.grants
            .iter()
            .any(|g| (g.org_id == org_id && g.role == role) || g.role == Role::Admin)
    }

    /// Whether the person is a platform administrator.
    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::Admin)
    }
}

/// A new session: the cookie value and when it expires.
#[derive(Clone)]
pub struct SessionToken {
    /// Secret to put in the cookie. Only its hash is stored.
    pub token: String,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Hashes a password with Argon2id (default parameters) and a random salt.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))?
}

async fn verify_password(password: &str, hash: &str) -> Result<bool> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| Error::internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))?
}

/// Whether a failure count locks the account, and until when. Pure: `now` is an argument.
pub fn lock_after(
    failed: i64,
    now: OffsetDateTime,
    max_failures: u32,
    lock_minutes: i64,
) -> Option<OffsetDateTime> {
    (failed >= i64::from(max_failures)).then(|| now + Duration::minutes(lock_minutes))
}

/// The outcome of starting a password check.
enum Attempt {
    /// Check the password; this is attempt number `n` since the last success.
    Check(i64),
    /// Refuse without checking.
    Refuse(Error),
}

/// Counts an attempt before its password is checked. Beyond the limit the account is locked
/// (its sessions ended) and the attempt refused unchecked, so a burst of parallel guesses
/// gets at most `lockout_failures` checks.
async fn begin_attempt(app: &App, user_id: i64, now: OffsetDateTime) -> Result<Attempt> {
    let s = app.settings();
    let mut tx = app.db().begin().await?;
    let Some(n) = users::begin_attempt(&mut tx, user_id, now).await? else {
        let until = users::by_id(&mut tx, user_id)
            .await?
            .and_then(|u| u.locked_until);
        return Ok(Attempt::Refuse(Error::Locked {
            minutes: until.map_or(1, |u| minutes_left(u, now)),
        }));
    };
    if n > i64::from(s.lockout_failures) {
        let until = now + Duration::minutes(s.lockout_minutes);
        users::set_login_state(&mut tx, user_id, 0, Some(until)).await?;
        users::delete_sessions_of(&mut tx, user_id).await?;
        tx.commit().await?;
        return Ok(Attempt::Refuse(Error::Locked {
            minutes: minutes_left(until, now),
        }));
    }
    tx.commit().await?;
    Ok(Attempt::Check(n))
}

/// After a wrong password: locks the account when this was the last allowed attempt.
async fn wrong_password(
    app: &App,
    user_id: i64,
    attempt: i64,
    now: OffsetDateTime,
) -> Result<Error> {
    let s = app.settings();
    let Some(until) = lock_after(attempt, now, s.lockout_failures, s.lockout_minutes) else {
        tracing::info!(user.id = user_id, "wrong password");
        return Ok(Error::BadCredentials);
    };
    let mut tx = app.db().begin().await?;
    users::set_login_state(&mut tx, user_id, 0, Some(until)).await?;
    users::delete_sessions_of(&mut tx, user_id).await?;
    crate::audit::record_as(
        &mut tx,
        app,
        Some(user_id),
        "system",
        "login.locked",
        "user",
        Some(user_id),
        None,
        serde_json::json!({"failures": attempt}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user.id = user_id, "account locked after wrong passwords");
    Ok(Error::Locked {
        minutes: minutes_left(until, now),
    })
}

fn minutes_left(until: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let secs = (until - now).whole_seconds();
    (secs + 59) / 60
}

/// Logs in: checks the lock, the password, records the outcome and opens a session.
pub async fn login(app: &App, username: &str, password: &str) -> Result<(SessionToken, Staff)> {
    let now = app.now();
    let mut c = app.db().conn().await?;
    let Some(user) = users::by_username(&mut c, username.trim()).await? else {
        // Spend the same time as a real check, so timing does not reveal account names.
        let _ = verify_password(password, DUMMY_HASH).await;
        return Err(Error::BadCredentials);
    };
    if !user.active {
        return Err(Error::BadCredentials);
    }
    drop(c);
    let attempt = match begin_attempt(app, user.id, now).await? {
        Attempt::Check(n) => n,
        Attempt::Refuse(e) => return Err(e),
    };
    if !verify_password(password, &user.password_hash).await? {
        return Err(wrong_password(app, user.id, attempt, now).await?);
    }
    let token = new_token();
    let expires_at = now + Duration::hours(app.settings().session_hours);
    let mut tx = app.db().begin().await?;
    if !users::clear_attempts(&mut tx, user.id, now).await? {
        // A parallel attempt locked the account while this password was checked.
        return Err(Error::Locked {
            minutes: app.settings().lockout_minutes,
        });
    }
    users::purge_sessions(&mut tx, now).await?;
    users::insert_session(&mut tx, &token_hash(&token), user.id, now, expires_at).await?;
    let staff = staff_of(&mut tx, &user).await?;
    crate::audit::record_as(
        &mut tx,
        app,
        Some(user.id),
        &user.username,
        "login",
        "user",
        Some(user.id),
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user.id = user.id, "login");
    Ok((SessionToken { token, expires_at }, staff))
}

/// The staff member of a session cookie, if the session is valid.
pub async fn session(app: &App, token: &str) -> Result<Option<Staff>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let mut c = app.db().conn().await?;
    match users::session_user(&mut c, &token_hash(token), app.now()).await? {
        Some(user) => Ok(Some(staff_of(&mut c, &user).await?)),
        None => Ok(None),
    }
}

/// Ends a session.
pub async fn logout(app: &App, token: &str) -> Result<()> {
    let mut c = app.db().conn().await?;
    users::delete_session(&mut c, &token_hash(token)).await?;
    Ok(())
}

/// Creates an account with roles; `grants` are (organization code, role).
pub async fn create_user(
    app: &App,
    username: &str,
    display_name: &str,
    password: &str,
    grants: &[(&str, Role)],
) -> Result<Staff> {
    check_password_strength(password)?;
    let username = username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(Error::Invalid("用户名不能为空，且不超过 64 个字符".into()));
    }
    let hash = hash_password(password).await?;
    let mut tx = app.db().begin().await?;
    if users::by_username(&mut tx, username).await?.is_some() {
        return Err(Error::Conflict(format!("用户名 {username} 已存在")));
    }
    let user = users::insert(&mut tx, username, display_name, &hash, app.now()).await?;
    for (code, role) in grants {
        let org = gongkai_store::orgs::by_code(&mut tx, code)
            .await?
            .ok_or_else(|| Error::Invalid(format!("机构 {code} 不存在")))?;
        users::grant(&mut tx, user.id, org.id, role.code()).await?;
    }
    let staff = staff_of(&mut tx, &user).await?;
    let roles: Vec<String> = grants
        .iter()
        .map(|(code, role)| format!("{code}:{}", role.code()))
        .collect();
    crate::audit::record(
        &mut tx,
        app,
        crate::documents::Actor::System,
        "user.create",
        "user",
        Some(user.id),
        None,
        serde_json::json!({"username": username, "roles": roles}),
    )
    .await?;
    tx.commit().await?;
    Ok(staff)
}

/// Grants `role` in organization `org_code` to an existing account (idempotent).
pub async fn grant(app: &App, username: &str, org_code: &str, role: Role) -> Result<Staff> {
    let mut tx = app.db().begin().await?;
    let user = users::by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| Error::Invalid(format!("用户 {username} 不存在")))?;
    let org = gongkai_store::orgs::by_code(&mut tx, org_code)
        .await?
        .ok_or_else(|| Error::Invalid(format!("机构 {org_code} 不存在")))?;
    users::grant(&mut tx, user.id, org.id, role.code()).await?;
    let staff = staff_of(&mut tx, &user).await?;
    crate::audit::record(
        &mut tx,
        app,
        crate::documents::Actor::System,
        "user.grant",
        "user",
        Some(user.id),
        Some(org.id),
        serde_json::json!({"role": role.code()}),
    )
    .await?;
    tx.commit().await?;
    Ok(staff)
}

/// Every account with its roles.
pub async fn list_users(app: &App) -> Result<Vec<Staff>> {
    let mut c = app.db().conn().await?;
    let mut out = Vec::new();
    for u in users::all(&mut c).await? {
        out.push(staff_of(&mut c, &u).await?);
    }
    Ok(out)
}

/// Changes a password after checking the old one; ends every session of the account.
pub async fn change_password(app: &App, staff: &Staff, old: &str, new: &str) -> Result<()> {
    check_password_strength(new)?;
    let mut c = app.db().conn().await?;
    let user = users::by_id(&mut c, staff.id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    drop(c);
    // Current-password checks count like logins: a stolen session cannot guess.
    let now = app.now();
    let attempt = match begin_attempt(app, user.id, now).await? {
        Attempt::Check(n) => n,
        Attempt::Refuse(e) => return Err(e),
    };
    if !verify_password(old, &user.password_hash).await? {
        return Err(wrong_password(app, user.id, attempt, now).await?);
    }
    let hash = hash_password(new).await?;
    let mut tx = app.db().begin().await?;
    users::clear_attempts(&mut tx, user.id, now).await?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    users::delete_sessions_of(&mut tx, user.id).await?;
    crate::audit::record(
        &mut tx,
        app,
        crate::documents::Actor::Staff(staff),
        "user.password",
        "user",
        Some(user.id),
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Passwords of at least 8 characters.
pub fn check_password_strength(password: &str) -> Result<()> {
    if password.chars().count() < 8 {
        return Err(Error::Invalid("密码至少需要 8 个字符".into()));
    }
    Ok(())
}

async fn staff_of(h: &mut impl gongkai_store::Handle, user: &User) -> Result<Staff> {
    let grants = users::roles(h, user.id)
        .await?
        .into_iter()
        .filter_map(|g: RoleGrant| {
            Role::from_code(&g.role).ok().map(|role| Grant {
                org_id: g.org_id,
                org_code: g.org_code,
                org_name: g.org_name,
                role,
            })
        })
        .collect();
    Ok(Staff {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        grants,
    })
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

// Argon2id hash of a random string, verified when the account does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Yl6Ku9yjj3GzmY4hQ0gUe5u8GZr3bpnf1cbO7mWtOg8";

/// Makes an API token for an account (SPEC "HTTP API"): returned once, stored hashed; it
/// acts with the account's roles until revoked.
pub async fn issue_token(app: &App, username: &str) -> Result<String> {
    let mut tx = app.db().begin().await?;
    let user = users::by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| Error::Invalid(format!("用户 {username} 不存在")))?;
    let token = format!("gk_{}", new_token());
    users::insert_token(&mut tx, &token_hash(&token), user.id, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        crate::documents::Actor::System,
        "user.token",
        "user",
        Some(user.id),
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes every API token of an account; returns how many were active.
pub async fn revoke_tokens(app: &App, username: &str) -> Result<u64> {
    let mut tx = app.db().begin().await?;
    let user = users::by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| Error::Invalid(format!("用户 {username} 不存在")))?;
    let n = users::revoke_tokens(&mut tx, user.id, app.now()).await?;
    crate::audit::record(
        &mut tx,
        app,
        crate::documents::Actor::System,
        "user.token_revoke",
        "user",
        Some(user.id),
        None,
        serde_json::json!({"revoked": n}),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The staff member of an API token, if it is valid.
pub async fn token_staff(app: &App, token: &str) -> Result<Option<Staff>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let mut c = app.db().conn().await?;
    match users::token_user(&mut c, &token_hash(token)).await? {
        Some(user) => Ok(Some(staff_of(&mut c, &user).await?)),
        None => Ok(None),
    }
}
