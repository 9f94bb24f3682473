//! Atomic file writes: a temporary file in the same folder, synced, then renamed over the target,
//! so a crash or a full disk never leaves half a file; mode 0600 because what we write (cases, key
//! rings, exports) holds keys or personal data.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Prefix and suffix of the temporary files.
const TMP_PREFIX: &str = ".wxdecrypt-";
const TMP_SUFFIX: &str = ".tmp";
/// Temporary files older than this are left over from a write that was killed: they are removed.
const STALE: Duration = Duration::from_secs(10 * 60);

/// Writes `bytes` to `path` atomically with mode 0600 (on Unix). A read-only file is not
/// replaced (a rename would go around its permissions): that is a `PermissionDenied` error.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(std::io::ErrorKind::PermissionDenied.into());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    remove_stale(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .suffix(TMP_SUFFIX)
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes temporary files that a killed write left in `dir` (they may hold keys). Best effort:
/// what cannot be removed stays.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "old contents, longer than the new").unwrap();
        super::write(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Issue 11, item 12: a read-only file is not replaced through the rename.
    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wxcase.json");
        std::fs::write(&path, "kept").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = super::write(&path, b"new").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }

    /// Issue 11, item 12: a temporary file left by a killed write (it may hold a key) is removed
    /// by the next write in that folder once it is stale; a fresh one is not touched.
    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".wxdecrypt-abc123.tmp");
        let fresh = dir.path().join(".wxdecrypt-def456.tmp");
        std::fs::write(&stale, "key").unwrap();
        std::fs::write(&fresh, "key").unwrap();
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        super::write(&dir.path().join("b.json"), b"x").unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists());
    }
}
