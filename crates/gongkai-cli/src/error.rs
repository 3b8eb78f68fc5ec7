//! Errors of the command: the user's (a bad file, a bad value) print one line, `错误：…`;
//! ours print their whole chain. Both exit with 1.

use std::fmt;
use std::io::Write;

/// A mistake the user can fix; the message is Chinese and complete.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// A user error with this message.
pub fn user(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(message.into()))
}

/// Whether the error is the user's: ours, or one `gongkai-app` says is.
pub fn is_user_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<UserError>().is_some()
        || e.downcast_ref::<gongkai_app::Error>()
            .is_some_and(gongkai_app::Error::is_user_error)
}

/// An I/O error in Chinese, for messages about the user's files.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "文件或目录不存在".to_owned(),
        ErrorKind::PermissionDenied => "没有权限".to_owned(),
        ErrorKind::AlreadyExists => "已存在".to_owned(),
        ErrorKind::IsADirectory => "这是一个目录".to_owned(),
        ErrorKind::AddrInUse => "地址已被占用".to_owned(),
        ErrorKind::AddrNotAvailable => "本机没有这个地址".to_owned(),
        _ => e.to_string(),
    }
}

/// Prints the error on stderr.
pub fn report(e: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    if is_user_error(e) {
        let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
        let _ = writeln!(err, "错误：{}", chain.join("："));
    } else {
        let _ = writeln!(err, "错误：{e}");
        for cause in e.chain().skip(1) {
            let _ = writeln!(err, "  原因：{cause}");
        }
    }
}
