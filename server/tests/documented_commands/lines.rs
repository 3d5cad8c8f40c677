//! Finding the server's command lines in the docs, and the arguments and environment each one
//! comes to: a line of the binary itself or of one of its subcommands, `cargo xtask run …`, and
//! the server flags after `cargo xtask cluster … --`.

use std::path::Path;

/// One way to run a documented line: the environment it names and the server's arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
}

/// A line as a document shows it, and what it stands for.
#[derive(Debug)]
pub struct Documented {
    pub doc: String,
    pub line: String,
    pub invocations: Vec<Invocation>,
}

/// What `cargo xtask run` and replica 1 of `cargo xtask cluster` give the server after its
/// settings or before them (xtask/src/run.rs, xtask/src/cluster.rs).
const SERVE_DEMO: [&str; 2] = ["serve", "--demo"];

/// Every server command line in README.md, ARCHITECTURE.md and docs/*.md, once each.
pub fn documented_lines(root: &Path, subcommands: &[String]) -> Vec<Documented> {
    let mut docs = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    let mut more: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let mut found: Vec<Documented> = Vec::new();
    for path in docs {
        let markdown = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        for line in code_spans(&markdown) {
            let invocations = invocations(&line, subcommands);
            if !invocations.is_empty() && !found.iter().any(|known| known.line == line) {
                found.push(Documented { doc: doc.clone(), line, invocations });
            }
        }
    }
    found
}

/// The lines of fenced blocks and the inline code spans, which may wrap across lines.
fn code_spans(markdown: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut prose = String::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if in_fence {
            spans.push(line.trim().to_owned());
        } else {
            prose.push_str(line);
            prose.push(' ');
        }
    }
    let inline = prose.split('`').skip(1).step_by(2);
    spans.extend(inline.map(|span| span.split_whitespace().collect::<Vec<_>>().join(" ")));
    spans
}

/// How the server runs for `line`; none when it is no server command line.
fn invocations(line: &str, subcommands: &[String]) -> Vec<Invocation> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let assignments = words.iter().take_while(|word| is_assignment(word)).count();
    let (assignments, words) = words.split_at(assignments);
    let env: Vec<(String, String)> = assignments
        .iter()
        .filter_map(|word| word.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    let argvs: Vec<Vec<&str>> = match words {
        [program, args @ ..] if program.rsplit('/').next() == Some("beian-verify-server") => vec![args.to_vec()],
        [first, ..] if subcommands.iter().any(|name| name == first) => vec![words.to_vec()],
        // xtask puts the settings before `serve --demo`; after it must work as well.
        ["cargo", "xtask", "run", settings @ ..] => {
            vec![[settings, &SERVE_DEMO].concat(), [&SERVE_DEMO, settings].concat()]
        }
        ["cargo", "xtask", "cluster", options @ ..] => match options.iter().position(|word| *word == "--") {
            Some(dashes) => vec![[&SERVE_DEMO, &options[dashes + 1..]].concat()],
            None => vec![],
        },
        _ => vec![],
    };
    let mut invocations: Vec<Invocation> = Vec::new();
    for args in argvs.into_iter().flat_map(with_and_without_optionals) {
        let invocation = Invocation { env: env.clone(), args };
        if !invocations.contains(&invocation) {
            invocations.push(invocation);
        }
    }
    invocations
}

/// `NAME=value` before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(key, _)| {
        key.starts_with(|c: char| c.is_ascii_uppercase())
            && key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// `serve [--demo]` is `serve` and `serve --demo`.
fn with_and_without_optionals(words: Vec<&str>) -> Vec<Vec<String>> {
    let mut variants = vec![Vec::new()];
    for word in words {
        match word.strip_prefix('[').and_then(|inner| inner.strip_suffix(']')) {
            Some(optional) => {
                let with: Vec<Vec<String>> =
                    variants.iter().map(|variant| [variant.clone(), vec![optional.to_owned()]].concat()).collect();
                variants.extend(with);
            }
            None => variants.iter_mut().for_each(|variant| variant.push(word.to_owned())),
        }
    }
    variants
}
