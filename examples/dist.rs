//! The generated files an installation ships, written into a folder (`tools/build-deb.sh` and the
//! release workflow run it): the man pages (`man/wxdecrypt.1` and one per subcommand, from the
//! command definitions with clap_mangen) and the shell completions (`completions/`, the same
//! scripts `wxdecrypt completions SHELL` prints). Never written by hand.
//!
//! `cargo run --example dist -- OUT_DIR`

use std::path::PathBuf;

use clap::CommandFactory as _;
use clap_complete::Shell;

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/dist".into()),
    );
    let man = out.join("man");
    let completions = out.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    let cmd = wxdecrypt::cli::Cli::command()
        .version(wxdecrypt::cli::VERSION)
        .long_version(wxdecrypt::cli::VERSION);
    clap_mangen::generate_to(cmd.clone(), &man)?;
    for (shell, name) in [
        (Shell::Bash, "wxdecrypt.bash"),
        (Shell::Zsh, "_wxdecrypt"),
        (Shell::Fish, "wxdecrypt.fish"),
        (Shell::PowerShell, "_wxdecrypt.ps1"),
        (Shell::Elvish, "wxdecrypt.elv"),
    ] {
        let mut cmd = cmd.clone();
        let mut f = std::fs::File::create(completions.join(name))?;
        clap_complete::generate(shell, &mut cmd, "wxdecrypt", &mut f);
    }
    println!("{}", out.display());
    Ok(())
}
