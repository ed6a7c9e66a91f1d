//! Every `lambda-rs` command written in the workspace's docs, examples and messages parses.
//!
//! The checker reads every Markdown and Rust file of the workspace and finds command lines:
//! code spans holding `lambda-rs ...` or `cargo run -p lambda-cli -- ...`, and lines that are a
//! command on their own (doc comments of examples, fenced code blocks). Each is split like a shell
//! would and given to the real argument parser ([`Cli::try_parse_from`]); a code span that only
//! names a subcommand (`` `lambda-rs serve` ``) must name one that exists. Commands of the
//! emulator's old binary (`lambda-emulator serve`, `cargo run -p lambda-emulator --`) are stale.
//! A wrong flag in a doc comment (`--extensions` for `--extensions-dir`) then fails the tests.

use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::Parser;

use crate::cli::Cli;

/// Where a command was written.
#[derive(Debug)]
struct Found {
    file: PathBuf,
    line: usize,
    /// The words after `lambda-rs`.
    words: Vec<String>,
    /// A code span that only names the command (no flags): the subcommand must exist.
    mention: bool,
}

/// The workspace root (this crate's parent directory).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Markdown and Rust files under `dir`, skipping build output, VCS data, fuzz corpora and this
/// file (whose docs show wrong commands on purpose).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            let skip = name.starts_with('.')
                || ["target", "corpus", "artifacts", "node_modules"].contains(&name.as_str());
            if !skip {
                sources(&path, out);
            }
        } else if (name.ends_with(".md") || name.ends_with(".rs"))
            && !path.ends_with("lambda-cli/src/doc_commands.rs")
        {
            out.push(path);
        }
    }
}

/// The text of a line without its comment marker.
fn strip_comment(line: &str) -> &str {
    let t = line.trim_start();
    for marker in ["//!", "///", "//"] {
        if let Some(rest) = t.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    t
}

/// Where a command starts in `text`, and how many bytes of `text` the prefix takes: `lambda-rs `
/// (also as `target/release/lambda-rs `) or `cargo run [-q] -p lambda-cli -- `.
fn command_start(text: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut consider = |at: usize, len: usize| {
        if best.is_none_or(|(b, _)| at < b) {
            best = Some((at, len));
        }
    };
    for (at, _) in text.match_indices("lambda-rs ") {
        let before = text[..at].chars().next_back();
        let boundary = before.is_none_or(|c| c.is_whitespace() || "`/'\"(".contains(c));
        let next = text[at + "lambda-rs ".len()..].chars().next();
        if boundary && next.is_some_and(|c| c.is_ascii_lowercase() || c == '-') {
            consider(at, "lambda-rs ".len());
        }
    }
    for prefix in [
        "cargo run -p lambda-cli -- ",
        "cargo run -q -p lambda-cli -- ",
    ] {
        if let Some(at) = text.find(prefix) {
            consider(at, prefix.len());
        }
    }
    best
}

/// Splits a command like a POSIX shell (quotes and backslashes), stopping at `&&`, `;`, `|`,
/// a redirect `>` or a final `&`.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            // `>` starts a redirect, unless it closes a placeholder such as `<program>`.
            '>' if !in_word => break,
            // A shell comment: `lambda-rs build --zip  # a deployment zip`.
            '#' if !in_word => break,
            ';' | '|' | '&' => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The commands written in one file.
fn commands_in(file: &Path, text: &str, stale: &mut Vec<String>) -> Vec<Found> {
    let is_rust = file.extension().is_some_and(|e| e == "rs");
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    // In Markdown, a line is a command on its own only inside a fenced code block (elsewhere a
    // wrapped sentence may start with `lambda-rs`).
    let mut in_fence = false;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i];
        if !is_rust && raw.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let is_comment = raw.trim_start().starts_with("//");
        let mut line = strip_comment(raw).to_owned();
        // A shell continuation joins the next line.
        while line.trim_end().ends_with('\\') && i + 1 < lines.len() {
            i += 1;
            line = format!(
                "{} {}",
                line.trim_end().trim_end_matches('\\'),
                strip_comment(lines[i])
            );
        }
        i += 1;
        // Format strings write braces twice.
        let line = if is_rust && !is_comment {
            line.replace("{{", "{").replace("}}", "}")
        } else {
            line
        };
        for old in [
            "run -p lambda-emulator --",
            "lambda-emulator invoke",
            "lambda-emulator serve",
        ] {
            if line.contains(old) {
                stale.push(format!(
                    "{}:{number}: `{old}`: the emulator's binary is now `lambda-rs` (`cargo run -p lambda-cli --`)",
                    file.display()
                ));
            }
        }
        // Code spans: `...`.
        let spans: Vec<&str> = line.split('`').collect();
        for span in spans.iter().skip(1).step_by(2) {
            if let Some((at, len)) = command_start(span) {
                let words = shell_words(&span[at + len..]);
                found.push(Found {
                    file: file.to_path_buf(),
                    line: number,
                    mention: words.len() <= 1,
                    words,
                });
            }
        }
        // A line that is a command by itself (doc comments of examples, code blocks).
        let bare = line.trim_start().trim_start_matches("$ ");
        let starts_command = bare.starts_with("cargo ")
            || bare.starts_with("lambda-rs ")
            || bare
                .split_whitespace()
                .next()
                .is_some_and(|w| w.ends_with("/lambda-rs") && !w.contains('`'));
        if starts_command && !line.contains('`') && (is_rust || in_fence) {
            if let Some((at, len)) = command_start(bare) {
                found.push(Found {
                    file: file.to_path_buf(),
                    line: number,
                    words: shell_words(&bare[at + len..]),
                    mention: false,
                });
            }
        }
    }
    found
}

/// A usage line rather than a command: it holds `[optional]` parts, `a|b` choices, `{{template}}`
/// slots or UPPER-CASE placeholders (`--http PORT`, `help COMMAND`).
fn is_synopsis(words: &[String]) -> bool {
    words.iter().any(|word| {
        let bare = word.trim_matches(|c: char| "[](),.".contains(c));
        word.starts_with('[')
            || word.contains("{{")
            || (word.contains('|') && !word.starts_with('{'))
            || (bare.len() > 1
                && bare.chars().any(|c| c.is_ascii_uppercase())
                && bare
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || "_:.".contains(c)))
    })
}

/// A usage line: its subcommand must exist and every `--flag` it names must be one of that
/// subcommand's options.
fn check_synopsis(command: &Found) -> Option<String> {
    let cli = <Cli as clap::CommandFactory>::command();
    let problem = |what: String| {
        Some(format!(
            "{}:{}: `lambda-rs {}`: {what}",
            command.file.display(),
            command.line,
            command.words.join(" ")
        ))
    };
    let name = command.words.first()?;
    if name == "help" {
        return None;
    }
    let Some(sub) = cli.find_subcommand(name) else {
        return problem(format!("there is no subcommand `{name}`"));
    };
    for word in &command.words[1..] {
        let flag = word.trim_matches(|c: char| "[]()".contains(c));
        // A `{{slot}}` a template fills in is not part of the flag.
        let flag = flag.split("{{").next().unwrap_or_default();
        if flag == "--" {
            break; // What follows goes to the function or to cargo.
        }
        let Some(long) = flag.strip_prefix("--") else {
            continue;
        };
        let long = long.split('=').next().unwrap_or_default();
        let known = sub.get_arguments().any(|arg| {
            arg.get_long() == Some(long) || arg.get_all_aliases().is_some_and(|a| a.contains(&long))
        });
        if !known && long != "help" {
            return problem(format!("`{name}` has no option `--{long}`"));
        }
    }
    None
}

/// Parses one command with the real parser; `None` if it is fine.
fn check(command: &Found) -> Option<String> {
    if is_synopsis(&command.words) {
        return check_synopsis(command);
    }
    let mut argv = vec!["lambda-rs".to_owned()];
    argv.extend(command.words.iter().cloned());
    if command.mention {
        argv.push("--help".to_owned());
    }
    match Cli::try_parse_from(&argv) {
        Ok(_) => None,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => None,
        Err(e) => Some(format!(
            "{}:{}: `{}` does not parse: {}",
            command.file.display(),
            command.line,
            argv.join(" "),
            e.to_string().lines().next().unwrap_or_default()
        )),
    }
}

/// Every command in the workspace and what is wrong with each.
fn scan(root: &Path) -> (Vec<Found>, Vec<String>) {
    let mut files = Vec::new();
    sources(root, &mut files);
    files.sort();
    let mut stale = Vec::new();
    let mut found = Vec::new();
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            let relative = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            found.extend(commands_in(&relative, &text, &mut stale));
        }
    }
    let mut problems = stale;
    problems.extend(found.iter().filter_map(check));
    (found, problems)
}

#[test]
fn every_command_in_docs_examples_and_messages_parses() {
    let (found, problems) = scan(&workspace_root());
    // The README alone shows several: a scan that finds nothing is broken.
    assert!(
        found.len() >= 10,
        "found only {} commands: {found:?}",
        found.len()
    );
    assert!(
        problems.is_empty(),
        "commands written in the docs that lambda-rs rejects:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_catches_a_wrong_flag_a_stale_binary_and_an_unknown_subcommand() {
    let text = "//! ```text\n\
                //! cargo run -p lambda-cli -- serve --extensions opt/extensions -- bin/echo\n\
                //! ```\n\
                //! Locally, `lambda-rs invok` runs it.\n\
                /// cargo run -p lambda-emulator -- serve -- bin/echo (`cargo doc -p lambda-emulator --open` is fine)\n\
                fn f() { e(\"use `lambda-rs invoke --event '{{}}' -- <this program>`\") }\n\
                //! lambda-rs invoke \\\n\
                //!     --timeout 3 -- bin/echo &\n";
    let mut stale = Vec::new();
    let found = commands_in(Path::new("x.rs"), text, &mut stale);
    let problems: Vec<String> = found.iter().filter_map(check).collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("x.rs:2:"), "{problems:?}");
    assert!(problems[0].contains("--extensions"), "{problems:?}");
    assert!(problems[1].contains("x.rs:4:"), "{problems:?}");
    // The format string's braces, the placeholder and the continuation all parse.
    assert_eq!(
        found[2].words,
        ["invoke", "--event", "{}", "--", "<this", "program>"]
    );
    assert_eq!(
        found[3].words,
        ["invoke", "--timeout", "3", "--", "bin/echo"]
    );
}

#[test]
fn usage_lines_and_shell_comments_are_checked_by_their_flags() {
    let text =
        "Prose that wraps onto a line starting with\nlambda-rs checkout words is not a command.\n\
                ```sh\n\
                lambda-rs build --zip --arm64  # a comment\n\
                lambda-rs serve [--port PORT] [--http PORT [--http-format FORMAT]] -- COMMAND\n\
                lambda-rs serve [--port PORT] [--htp PORT] -- COMMAND\n\
                lambda-rs nosuch [OPTIONS]\n\
                ```\n";
    let mut stale = Vec::new();
    let found = commands_in(Path::new("x.md"), text, &mut stale);
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(found[0].words, ["build", "--zip", "--arm64"]);
    let problems: Vec<String> = found.iter().filter_map(check).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("no option `--htp`"), "{problems:?}");
    assert!(
        problems[1].contains("no subcommand `nosuch`"),
        "{problems:?}"
    );
}
