//! The native command-line tool: `emit`, `check`, `example`, `schema`.
//!
//! Exit codes: 0 success, 1 the spec has error findings, 2 bad usage or bad
//! input (unreadable file, malformed JSON, unknown field, future version).
//! Every failure is one line on stderr naming the file and the JSON path.

use std::io::{Read, Write};

use crate::emit::{self, Format};
use crate::i18n::Locale;
use crate::rules::{self, Finding, Severity};
use crate::spec::Spec;
use crate::{examples, spec_json};

const USAGE: &str = "\
usage:
  registry-wizard emit --format FORMAT SPEC.json [-o FILE]
    FORMAT: azcli, powershell; arm, arm-parameters, arm-pre-deploy[-ps], arm-post-deploy[-ps];
    bicep, bicepparam, bicep-module-identity|key-vault|key-access|key;
    terraform, terraform-variables, terraform-tfvars, terraform-outputs (one file each)
  registry-wizard check SPEC.json [--json]
  registry-wizard import REGISTRY.json      (az acr show, or its ARM resource JSON: a day-2 spec)
  registry-wizard example NAME | --list
  registry-wizard schema
SPEC.json may be - for standard input.";

/// A failed command: what to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure { code: 2, message: format!("{}\n{USAGE}", message.into()) }
}

fn bad_input(message: impl Into<String>) -> Failure {
    Failure { code: 2, message: message.into() }
}

/// Runs the tool with `args` (without the program name). Output goes to `out`;
/// the caller prints a failure's message to stderr and exits with its code.
pub fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), Failure> {
    let (command, rest) = args.split_first().ok_or_else(|| usage("missing command"))?;
    match command.as_str() {
        "emit" => cmd_emit(rest, stdin, out),
        "check" => cmd_check(rest, stdin, out),
        "example" => cmd_example(rest, out),
        #[cfg(feature = "day2")]
        "import" => cmd_import(rest, stdin, out),
        "schema" => {
            no_more(rest)?;
            write(out, &schema())
        }
        "-h" | "--help" | "help" => write(out, &format!("{USAGE}\n")),
        other => Err(usage(format!("unknown command '{other}'"))),
    }
}

fn no_more(rest: &[String]) -> Result<(), Failure> {
    match rest.first() {
        Some(arg) => Err(usage(format!("unexpected argument '{arg}'"))),
        None => Ok(()),
    }
}

fn write(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes()).map_err(|e| bad_input(format!("cannot write output: {e}")))
}

/// Options of `emit` and `check`: the spec path and flags.
#[derive(Default)]
struct Options {
    spec: Option<String>,
    format: Option<String>,
    output: Option<String>,
    json: bool,
}

fn parse_options(args: &[String], allowed: &[&str]) -> Result<Options, Failure> {
    let mut opts = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or_else(|| usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--format" | "-f" if allowed.contains(&"--format") => opts.format = Some(value("--format")?),
            "-o" | "--output" if allowed.contains(&"-o") => opts.output = Some(value("-o")?),
            "--json" if allowed.contains(&"--json") => opts.json = true,
            flag if flag.starts_with('-') && flag != "-" => return Err(usage(format!("unknown option '{flag}'"))),
            path if opts.spec.is_none() => opts.spec = Some(path.to_string()),
            extra => return Err(usage(format!("unexpected argument '{extra}'"))),
        }
    }
    Ok(opts)
}

/// A registry's JSON to a day-2 spec on stdout; what was not mapped, and what
/// was assumed, on stderr.
#[cfg(feature = "day2")]
fn cmd_import(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), Failure> {
    let opts = parse_options(args, &[])?;
    let path = opts.spec.as_deref().ok_or_else(|| usage("missing REGISTRY.json"))?;
    let text = read_text(path, stdin)?;
    let name = if path == "-" { "<stdin>" } else { path };
    let imported = crate::import::resource(&text).map_err(|e| bad_input(format!("{name}: {e}")))?;
    let mut err = std::io::stderr();
    for path in &imported.unmapped {
        let _ = writeln!(err, "not mapped: {path}");
    }
    for note in &imported.assumed {
        let _ = writeln!(err, "assumed: {note}");
    }
    write(out, &spec_json::to_json(&imported.spec))
}

fn read_text(path: &str, stdin: &mut dyn Read) -> Result<String, Failure> {
    if path == "-" {
        let mut text = String::new();
        stdin.read_to_string(&mut text).map_err(|e| bad_input(format!("<stdin>: cannot read: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| bad_input(format!("{path}: cannot read: {e}")))
    }
}

fn read_spec(path: Option<&str>, stdin: &mut dyn Read) -> Result<Spec, Failure> {
    let path = path.ok_or_else(|| usage("missing SPEC.json"))?;
    let text = read_text(path, stdin)?;
    let name = if path == "-" { "<stdin>" } else { path };
    spec_json::from_json(&text).map_err(|e| bad_input(format!("{name}: {e}")))
}

fn cmd_emit(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), Failure> {
    let opts = parse_options(args, &["--format", "-o"])?;
    let format_name = opts.format.as_deref().ok_or_else(|| usage("missing --format"))?;
    let format = Format::from_name(format_name).ok_or_else(|| usage(format!("unknown format '{format_name}'")))?;
    let spec = read_spec(opts.spec.as_deref(), stdin)?;
    let code = emit::emit(&spec, format).map_err(|findings| Failure { code: 1, message: human(&findings) })?;
    if code.is_empty() {
        return Err(Failure { code: 1, message: format!("{format_name}: this deployment needs no such file\n") });
    }
    match &opts.output {
        Some(path) => {
            std::fs::write(path, format.file_bytes(&code)).map_err(|e| bad_input(format!("{path}: cannot write: {e}")))
        }
        None => write(out, &code),
    }
}

fn cmd_check(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), Failure> {
    let opts = parse_options(args, &["--json"])?;
    let spec = read_spec(opts.spec.as_deref(), stdin)?;
    let findings = rules::check(&spec);
    let text = if opts.json {
        let list: Vec<_> = findings.iter().map(|f| f.to_json(Locale::En)).collect();
        format!("{}\n", serde_json::to_string_pretty(&list).expect("JSON values serialize"))
    } else {
        human(&findings)
    };
    write(out, &text)?;
    if rules::has_errors(&findings) {
        return Err(Failure { code: 1, message: String::new() });
    }
    Ok(())
}

/// Findings for a terminal: `error ACR-CMK-PREMIUM registry.sku: message`.
pub fn human(findings: &[Finding]) -> String {
    let mut text = String::new();
    for f in findings {
        let source = f.rule.source();
        text.push_str(&format!(
            "{} {} {}: {}\n    see: {} — {} <{}>\n",
            f.severity().as_str(),
            f.rule.id(),
            f.field,
            f.message(Locale::En),
            source.document(),
            source.section(),
            source.url()
        ));
    }
    let errors = findings.iter().filter(|f| f.severity() == Severity::Error).count();
    text.push_str(&format!("{errors} error(s), {} other finding(s)\n", findings.len() - errors));
    text
}

fn cmd_example(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    match args {
        [flag] if flag == "--list" => {
            let mut text = String::new();
            for e in examples::EXAMPLES {
                text.push_str(&format!("{:34} {}\n", e.name, crate::i18n::text(Locale::En, e.description)));
            }
            write(out, &text)
        }
        [name] => {
            let example = examples::find(name)
                .ok_or_else(|| bad_input(format!("no example named '{name}'; see: registry-wizard example --list")))?;
            write(out, example.json)
        }
        _ => Err(usage("example takes one NAME or --list")),
    }
}

/// JSON Schema of the spec (draft 2020-12), from the Rust types themselves.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Spec);
    format!("{}\n", serde_json::to_string_pretty(&schema).expect("schema serializes"))
}
