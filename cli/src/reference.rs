//! The command line's reference in Markdown, generated from its argument definitions: every
//! command's and subcommand's help as clap prints it. `survey reference` (hidden) writes it;
//! `docs/cli.md` holds it, and a test fails when the two differ.

use std::fmt::Write as _;

/// The reference of `command` (the whole command line, not yet built).
pub(crate) fn markdown(mut command: clap::Command) -> String {
    command.build();
    let mut out = String::from(
        "# The `survey` command: reference\n\n\
         Every command's help, as `survey COMMAND --help` prints it. Generated from the \
         argument definitions (`survey reference > docs/cli.md`); a test fails when this \
         page and the command differ. What each command prints, with examples, is in \
         [commands.md](commands.md).\n",
    );
    section(&mut out, &mut command);
    out
}

fn section(out: &mut String, command: &mut clap::Command) {
    if command.is_hide_set() {
        return;
    }
    let name = command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .to_owned();
    let help = command.render_long_help().to_string();
    let _ = write!(out, "\n## `{name}`\n\n```text\n{}\n```\n", help.trim_end());
    for sub in command.get_subcommands_mut() {
        if sub.get_name() != "help" {
            section(out, sub);
        }
    }
}
