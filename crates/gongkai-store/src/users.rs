//! Staff accounts, their roles per organization, and login sessions.
//!
//! Sessions are stored by the SHA-256 of their token: a leaked database does not leak
//! usable cookies.

use time::OffsetDateTime;

use crate::{Handle, Result, dispatch};

/// A staff account.
#[derive(Clone, sqlx::FromRow)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown in the back office.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Disabled accounts cannot log in.
    pub active: bool,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A role held in an organization.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleGrant {
    /// Organization id.
    pub org_id: i64,
    /// Organization code.
    pub org_code: String,
    /// Organization name.
    pub org_name: String,
    /// Role code.
    pub role: String,
}

const COLUMNS: &str = "id, username, display_name, password_hash, active";

/// Inserts an account.
pub async fn insert(
    h: &mut impl Handle,
    username: &str,
    display_name: &str,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<User> {
    let sql = format!(
        "INSERT INTO users (username, display_name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, TRUE, $4) RETURNING {COLUMNS}"
    );
    let now = crate::truncate(now);
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .bind(now)
        .fetch_one(c)
        .await?))
}

/// The account named `username`.
pub async fn by_username(h: &mut impl Handle, username: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(c).await?),
    )
}

/// The account with `id`.
pub async fn by_id(h: &mut impl Handle, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(
        dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?),
    )
}

/// Every account, by user name.
pub async fn all(h: &mut impl Handle) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY username");
    Ok(dispatch!(h, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?))
}

/// Replaces the password hash, keeping the one replaced in the account's history.
pub async fn set_password_hash(
    h: &mut impl Handle,
    id: i64,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let now = crate::truncate(now);
    dispatch!(h, c => sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, replaced_at) \
         SELECT id, password_hash, $2 FROM users WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    dispatch!(h, c => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// The hashes of the `n` passwords the account used last before its current one, newest
/// first.
pub async fn previous_password_hashes(h: &mut impl Handle, id: i64, n: i64) -> Result<Vec<String>> {
    Ok(dispatch!(h, c => sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(id)
    .bind(n)
    .fetch_all(c)
    .await?))
}

/// Grants `role` in `org_id` (idempotent).
pub async fn grant(h: &mut impl Handle, user_id: i64, org_id: i64, role: &str) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO user_roles (user_id, org_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(role)
    .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Roles of a user, by organization code.
pub async fn roles(h: &mut impl Handle, user_id: i64) -> Result<Vec<RoleGrant>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT r.org_id, o.code AS org_code, o.name AS org_name, r.role FROM user_roles r \
         JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 ORDER BY o.position, o.code, r.role",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?))
}

/// Active people holding `role` in `org_id`: (id, display name), by name.
pub async fn holding(h: &mut impl Handle, org_id: i64, role: &str) -> Result<Vec<(i64, String)>> {
    Ok(dispatch!(h, c => sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.org_id = $1 AND r.role = $2 AND u.active ORDER BY u.display_name, u.id",
    )
    .bind(org_id)
    .bind(role)
    .fetch_all(c)
    .await?))
}

/// Stores a session under the hash of its token.
pub async fn insert_session(
    h: &mut impl Handle,
    token_hash: &str,
    user_id: i64,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<()> {
    let (now, expires_at) = (crate::truncate(now), crate::truncate(expires_at));
    dispatch!(h, c => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// The active account of an unexpired session.
pub async fn session_user(
    h: &mut impl Handle,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<User>> {
    let sql = "SELECT u.id, u.username, u.display_name, u.password_hash, u.active \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active";
    let now = crate::truncate(now);
    Ok(dispatch!(h, c => sqlx::query_as(sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(c)
        .await?))
}

/// Deletes a session (logout).
pub async fn delete_session(h: &mut impl Handle, token_hash: &str) -> Result<()> {
    dispatch!(h, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Deletes every session of a user (password change, lock).
pub async fn delete_sessions_of(h: &mut impl Handle, user_id: i64) -> Result<()> {
    dispatch!(h, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Deletes expired sessions; returns how many.
pub async fn purge_sessions(h: &mut impl Handle, now: OffsetDateTime) -> Result<u64> {
    let now = crate::truncate(now);
    let done = dispatch!(h, c => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
    Ok(done)
}

/// Stores an API token under its hash.
pub async fn insert_token(
    h: &mut impl Handle,
    token_hash: &str,
    user_id: i64,
    now: OffsetDateTime,
) -> Result<()> {
    dispatch!(h, c => sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(crate::truncate(now))
    .execute(c)
    .await
    .map(|_| ())?);
    Ok(())
}

/// The active account of an API token that is not revoked.
pub async fn token_user(h: &mut impl Handle, token_hash: &str) -> Result<Option<User>> {
    let sql = "SELECT u.id, u.username, u.display_name, u.password_hash, u.active \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active";
    Ok(dispatch!(h, c => sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(c)
        .await?))
}

/// Revokes every API token of an account; returns how many were active.
pub async fn revoke_tokens(h: &mut impl Handle, user_id: i64, now: OffsetDateTime) -> Result<u64> {
    Ok(dispatch!(h, c => sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(crate::truncate(now))
    .bind(user_id)
    .execute(c)
    .await?
    .rows_affected()))
}
