//! Chinese wording of operating-system errors for clerks: the kind in words, the OS code for
//! IT staff.

use std::io::{Error, ErrorKind};

/// Why an operation on a file or folder failed, in Chinese: e.g. `文件或文件夹不存在（系统错误
/// 2）`. Kinds without a wording keep the operating system's own text.
pub fn reason(err: &Error) -> String {
    let what = match err.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有访问权限（可能被其他程序占用或权限不足）",
        ErrorKind::AlreadyExists => "同名文件已存在",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一部分不是文件夹",
        ErrorKind::StorageFull => "磁盘空间不足",
        ErrorKind::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        ErrorKind::InvalidData => "内容无法识别（编码或格式不对）",
        ErrorKind::UnexpectedEof => "文件不完整",
        _ => return err.to_string(),
    };
    match err.raw_os_error() {
        Some(code) => format!("{what}（系统错误 {code}）"),
        None => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_kinds_are_said_in_chinese_with_the_os_code() {
        let missing = std::fs::read("/nonexistent/roundup/x").unwrap_err();
        assert!(
            reason(&missing).starts_with("文件或文件夹不存在"),
            "{}",
            reason(&missing)
        );
        assert!(!reason(&missing).contains("No such file"));
        let plain = Error::new(ErrorKind::PermissionDenied, "x");
        assert_eq!(reason(&plain), "没有访问权限（可能被其他程序占用或权限不足）");
        let other = Error::other("磁盘坏了");
        assert_eq!(reason(&other), "磁盘坏了");
    }
}
