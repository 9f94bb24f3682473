//! Build step: the version line `--version` prints (with the git commit when built from a
//! checkout), whether the CJK font is embedded, and on Windows the icon and version resource of
//! the executable.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let line = match commit() {
        Some(c) => format!("{version} (commit {c})"),
        None => version,
    };
    println!("cargo:rustc-env=WXDECRYPT_VERSION={line}");
    println!("cargo:rerun-if-env-changed=WXDECRYPT_COMMIT");
    if Path::new(".git").exists() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/index");
    }
    cjk_font();
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources();
    }
}

/// Whether the CJK font is embedded (`cfg(wxdecrypt_cjk_font)`): it is in the repository, not in
/// the crate published on crates.io (13 MB of it would pass the registry's 10 MB limit; the
/// window then takes CJK glyphs from the system's fonts).
fn cjk_font() {
    const FONT: &str = "assets/fonts/NotoSansCJKsc-Regular.otf";
    println!("cargo::rustc-check-cfg=cfg(wxdecrypt_cjk_font)");
    println!("cargo:rerun-if-changed={FONT}");
    if Path::new(FONT).exists() {
        println!("cargo:rustc-cfg=wxdecrypt_cjk_font");
    }
}

/// The commit: `WXDECRYPT_COMMIT` when a packager sets it, else `git rev-parse` in a checkout
/// (`-dirty` when files differ from it); None outside a checkout (a crate from crates.io).
fn commit() -> Option<String> {
    if let Ok(c) = std::env::var("WXDECRYPT_COMMIT") {
        return Some(c).filter(|c| !c.trim().is_empty());
    }
    if !Path::new(".git").exists() {
        return None;
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let hash = git(&["rev-parse", "--short=12", "HEAD"]).filter(|h| !h.is_empty())?;
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{hash}-dirty") } else { hash })
}

/// The executable's icon and version resource (Explorer's Properties → Details). A missing
/// resource compiler is a warning, or an error when `WXDECRYPT_REQUIRE_RESOURCES=1` (the release
/// workflow sets it).
fn windows_resources() {
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icons/wxdecrypt.ico")
        .set("ProductName", "wxdecrypt")
        .set(
            "FileDescription",
            "wxdecrypt: WeChat mini program open data workbench",
        )
        .set("LegalCopyright", "MIT License, wxdecrypt developers");
    println!("cargo:rerun-if-changed=assets/icons/wxdecrypt.ico");
    println!("cargo:rerun-if-env-changed=WXDECRYPT_REQUIRE_RESOURCES");
    if let Err(e) = res.compile() {
        if std::env::var("WXDECRYPT_REQUIRE_RESOURCES").as_deref() == Ok("1") {
            panic!("the Windows resources could not be compiled: {e}");
        }
        println!("cargo:warning=no icon or version resource in the executable: {e}");
    }
}
