//! `wxdecrypt completions SHELL`: the shell completions, generated from the command definitions
//! (clap_complete), so they always match the binary that prints them.

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::{Cli, EXIT_OK};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish
    shell: Shell,
}

/// The completion script of `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "wxdecrypt", &mut out);
    out
}

pub fn run(a: Args) -> Result<i32, String> {
    super::emit(&String::from_utf8_lossy(&script(a.shell)));
    Ok(EXIT_OK)
}
