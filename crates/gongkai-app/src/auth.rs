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

    /// Whether the person holds `role` in `org_id` itself (an administrator's reach not
    /// counted): who may work a unit's requests.
    pub fn holds(&self, org_id: i64, role: Role) -> bool {
        self.grants
            .iter()
            .any(|g| g.org_id == org_id && g.role == role)
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

/// Where a login comes from: the client's address, or a name for attempts that have none
/// (a password change inside a session, the command line).
pub type Source<'a> = &'a str;

/// Failures from one address, on any accounts, before it is slowed down.
const PER_SOURCE_FREE: u32 = 20;
/// Failures on one account from everywhere before everyone is slowed down, a little: a
/// flood from many addresses then costs the owner at most a minute, never the account.
const PER_ACCOUNT_FREE: u32 = 50;
const PER_ACCOUNT_MAX_WAIT: Duration = Duration::minutes(1);

/// The limits an attempt on `username` from `source` counts under; the first one is the
/// account at this address, cleared by a success.
fn limits(app: &App, username: &str, source: Source<'_>) -> Vec<(String, crate::throttle::Rule)> {
    use crate::throttle::{Rule, account_key};
    let s = app.settings();
    let max_wait = Duration::minutes(s.lockout_minutes.max(1));
    vec![
        (
            format!("{}@{source}", account_key(username)),
            Rule {
                free: s.lockout_failures,
                max_wait,
            },
        ),
        (
            format!("src:{source}"),
            Rule {
                free: PER_SOURCE_FREE,
                max_wait,
            },
        ),
        (
            account_key(username),
            Rule {
                free: PER_ACCOUNT_FREE,
                max_wait: PER_ACCOUNT_MAX_WAIT,
            },
        ),
    ]
}

fn throttled(wait: Duration) -> Error {
    Error::Throttled {
        seconds: wait.whole_seconds().max(1),
    }
}

/// Checks a password with at most a few hashes at a time: a flood of logins queues here
/// instead of taking every core and gigabytes of memory (Argon2id uses 19 MiB each).
async fn check_password(app: &App, password: &str, hash: &str) -> Result<bool> {
    let permit = tokio::time::timeout(std::time::Duration::from_secs(10), app.hashing().acquire())
        .await
        .map_err(|_| Error::Unavailable("too many logins at once".into()))?
        .map_err(|_| Error::internal("hashing semaphore closed"))?;
    let ok = verify_password(password, hash).await;
    drop(permit);
    ok
}

/// Logs in from `source` (the client's address): counts the attempt against the limits,
/// checks the password (of a real account, or a stand-in hash for an unknown name, so both
/// take the same path and time), opens a session.
pub async fn login_from(
    app: &App,
    username: &str,
    password: &str,
    source: Source<'_>,
) -> Result<(SessionToken, Staff)> {
    let now = app.now();
    let reservation = app
        .throttle()
        .attempt(&limits(app, username, source), now)
        .map_err(throttled)?;
    let mut c = app.db().conn().await?;
    let user = users::by_username(&mut c, username.trim()).await?;
    drop(c);
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .map_or(DUMMY_HASH, |u| u.password_hash.as_str());
    let ok = check_password(app, password, hash).await?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        tracing::info!(source = source, "failed login");
        return Err(Error::BadCredentials);
    };
    app.throttle().succeeded(reservation);
    let token = new_token();
    let expires_at = now + Duration::hours(app.settings().session_hours);
    let mut tx = app.db().begin().await?;
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

/// [`login_from`] with no address (the command line, tests).
pub async fn login(app: &App, username: &str, password: &str) -> Result<(SessionToken, Staff)> {
    login_from(app, username, password, "-").await
}

/// Clears the limits of an account on this node (an administrator's unlock).
pub fn unlock(app: &App, username: &str) {
    app.throttle().clear_account(username);
}

/// [`unlock`] by a person, audited: only a platform administrator.
pub async fn unlock_as(
    app: &App,
    actor: crate::documents::Actor<'_>,
    username: &str,
) -> Result<()> {
    require_admin(actor)?;
    let mut tx = app.db().begin().await?;
    let user = users::by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| Error::Invalid(format!("用户 {username} 不存在")))?;
    crate::audit::record(
        &mut tx,
        app,
        actor,
        "user.unlock",
        "user",
        Some(user.id),
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    unlock(app, username);
    Ok(())
}

fn require_admin(actor: crate::documents::Actor<'_>) -> Result<()> {
    match actor {
        crate::documents::Actor::Staff(s) if !s.is_admin() => Err(Error::Forbidden),
        _ => Ok(()),
    }
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
    create_user_as(
        app,
        crate::documents::Actor::System,
        username,
        display_name,
        password,
        grants,
    )
    .await
}

/// [`create_user`] by a person: only a platform administrator.
pub async fn create_user_as(
    app: &App,
    actor: crate::documents::Actor<'_>,
    username: &str,
    display_name: &str,
    password: &str,
    grants: &[(&str, Role)],
) -> Result<Staff> {
    require_admin(actor)?;
    check_password_strength(password, &[username, display_name])?;
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
        actor,
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
    grant_as(
        app,
        crate::documents::Actor::System,
        username,
        org_code,
        role,
    )
    .await
}

/// [`grant`] by a person: only a platform administrator.
pub async fn grant_as(
    app: &App,
    actor: crate::documents::Actor<'_>,
    username: &str,
    org_code: &str,
    role: Role,
) -> Result<Staff> {
    require_admin(actor)?;
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
        actor,
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

/// Passwords remembered besides the current one: a change may not go back to any of them.
const REMEMBERED_PASSWORDS: i64 = 4;

/// Changes a password after checking the old one and that the new one is neither weak nor one
/// of the account's last five; ends every session of the account.
pub async fn change_password(app: &App, staff: &Staff, old: &str, new: &str) -> Result<()> {
    check_password_strength(new, &[&staff.username, &staff.display_name])?;
    if old == new {
        return Err(Error::Invalid("新密码不能与当前密码相同".into()));
    }
    let mut c = app.db().conn().await?;
    let user = users::by_id(&mut c, staff.id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    drop(c);
    // Current-password checks count like logins: a stolen session cannot guess freely.
    let reservation = app
        .throttle()
        .attempt(&limits(app, &user.username, "session"), app.now())
        .map_err(throttled)?;
    if !check_password(app, old, &user.password_hash).await? {
        return Err(Error::BadCredentials);
    }
    app.throttle().succeeded(reservation);
    let mut c = app.db().conn().await?;
    let previous = users::previous_password_hashes(&mut c, user.id, REMEMBERED_PASSWORDS).await?;
    drop(c);
    for old_hash in &previous {
        if check_password(app, new, old_hash).await? {
            return Err(Error::Invalid(format!(
                "新密码不能与最近用过的 {} 个密码相同",
                REMEMBERED_PASSWORDS + 1
            )));
        }
    }
    let hash = hash_password(new).await?;
    let mut tx = app.db().begin().await?;
    users::set_password_hash(&mut tx, user.id, &hash, app.now()).await?;
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

/// Passwords of at least 10 characters that zxcvbn scores 3 or more.
pub fn check_password_strength(password: &str, personal: &[&str]) -> Result<()> {
    if password.chars().count() < 10 {
        return Err(Error::Invalid("密码至少需要 10 个字符".into()));
    }
    if password.trim().is_empty() {
        return Err(Error::Invalid("密码不能只由空格组成".into()));
    }
    // zxcvbn estimates the guesses an attacker needs, knowing common passwords, keyboard
    // patterns, dates and the account's own names; score 3 is about 10^10 guesses.
    let estimate = zxcvbn::zxcvbn(password, personal);
    if (estimate.score() as u8) < 3 {
        return Err(Error::Invalid(
            "密码太容易被猜中（如常见密码、键盘顺序、日期或用户名），请使用更长、更少规律的密码，例如几个不相关的词加数字".into(),
        ));
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

/// A random token (256 bits, hex), for secrets such as the login form's token.
pub fn random_token() -> String {
    new_token()
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
