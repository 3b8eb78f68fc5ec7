//! Errors of the use cases: what the user did wrong, kept apart from what broke.

use gongkai_store::StoreError;

/// A use-case error. `web` maps each variant to a status and a Chinese page.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not logged in.
    #[error("请先登录")]
    Unauthenticated,
    /// Logged in but not allowed to do this with this object.
    #[error("无权执行此操作")]
    Forbidden,
    /// The object does not exist (or is not visible to this user).
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// Wrong user name or password.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed attempts from this address or on this account: wait before the next.
    #[error("尝试次数过多，请于 {}后再试", wait_text(*seconds))]
    Throttled {
        /// Seconds to wait.
        seconds: i64,
    },
    /// Input that breaks a rule; the message says which field and why (Chinese).
    #[error("{0}")]
    Invalid(String),
    /// Something that exists already, or someone else changed the object first.
    #[error("{0}")]
    Conflict(String),
    /// The workflow refuses the action (wrong stage, missing role, same signer, …).
    #[error(transparent)]
    Refused(#[from] gongkai_domain::workflow::Refusal),
    /// The database cannot be reached.
    #[error("无法连接数据库：{0}")]
    Unavailable(String),
    /// A failure the user cannot fix; logged with context, shown as a plain 500.
    #[error("internal error: {0}")]
    Internal(String),
}

fn wait_text(seconds: i64) -> String {
    if seconds < 60 {
        format!("{seconds} 秒")
    } else {
        format!("{} 分钟", (seconds + 59) / 60)
    }
}

impl Error {
    /// An internal error with context.
    pub fn internal(msg: impl Into<String>) -> Error {
        Error::Internal(msg.into())
    }

    /// Whether this is the user's error (4xx) rather than ours.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Internal(_))
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { constraint } => {
                Error::Conflict(format!("与已有记录冲突（{constraint}）"))
            }
            e if e.is_unavailable() => Error::Unavailable(e.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;
