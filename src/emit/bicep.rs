//! Bicep: the ARM template's parameters, resources and outputs in Bicep's
//! syntax (`main.bicep`, `main.bicepparam`).
//!
//! Rendered from the template document `arm.rs` builds, not from the plan a
//! second time: the two outputs describe one deployment by construction, and
//! a resource the template gets right is right here too. ARM expressions
//! become Bicep expressions (`[parameters('x')]` is `x`; `resourceId`,
//! `reference`, `format`, `guid` and the other template functions are
//! Bicep's own), `dependsOn` lists the resources' symbolic names, and the
//! template's `comments` are comments. Resources in another resource group
//! stay nested deployments, as in the template.

use std::fmt::Write;

use serde_json::Value;

use super::{arm, quote};
use crate::plan::Plan;

/// `main.bicep`.
pub(super) fn main(plan: &Plan, title: &str) -> String {
    let doc = arm::build(plan, title);
    let mut out = String::new();
    let _ = writeln!(out, "// {title}");
    let _ = writeln!(out, "// {}", super::t("emit.bicep-generated"));
    let metadata = &doc["metadata"];
    if let Some(note) = metadata["notAnArmDeployment"].as_str() {
        let _ = writeln!(out, "//\n// {note}");
        return out;
    }
    if reaches_another_group(&doc) {
        let _ = writeln!(out, "//\n// {}", super::t("emit.bicep-other-group"));
        return out;
    }
    for key in ["preDeploymentSteps", "postDeploymentSteps"] {
        if let Some(steps) = metadata[key].as_object() {
            let _ = writeln!(out, "//\n// {}", steps["note"].as_str().unwrap_or_default());
            for step in steps["steps"].as_array().into_iter().flatten() {
                let _ = writeln!(out, "//   - {}", step.as_str().unwrap_or_default());
            }
        }
    }
    let _ = writeln!(out, "\nmetadata description = {}", quote::bicep(title));

    for (name, param) in doc["parameters"].as_object().into_iter().flatten() {
        let description = param["metadata"]["description"].as_str().unwrap_or_default();
        let ty = param["type"].as_str().unwrap_or("string");
        let _ = writeln!(out, "\n@description({})", quote::bicep(description));
        if let Some((min, max)) = crate::names::length::of_input(name) {
            let _ = writeln!(out, "@minLength({min})\n@maxLength({max})");
        }
        let _ = writeln!(out, "param {name} {ty}");
    }

    let resources: Vec<&Value> = doc["resources"].as_array().into_iter().flatten().collect();
    let symbols = symbols(&resources);
    // An extension resource's `scope` is a resource in Bicep, not a string:
    // one declared here, or an `existing` one declared for it.
    let mut existing: Vec<(String, String, String)> = Vec::new();
    let scopes: Vec<Option<String>> = resources
        .iter()
        .map(|r| {
            let scope = r["scope"].as_str()?;
            if let Some(symbol) = scoped(scope, &resources, &symbols) {
                return Some(symbol);
            }
            let (ty, name) = scope_target(scope)?;
            if let Some((_, _, symbol)) = existing.iter().find(|(t, n, _)| *t == ty && *n == name) {
                return Some(symbol.clone());
            }
            let symbol = format!("existing{}", existing.len() + 1);
            existing.push((ty, name, symbol.clone()));
            Some(symbol)
        })
        .collect();
    for (ty, name, symbol) in &existing {
        // Key Vault scopes are the ones written today (the grants on a vault);
        // another type takes the API version the template uses for it.
        let same_type = |r: &&&Value| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(ty));
        let api = if ty.eq_ignore_ascii_case("Microsoft.KeyVault/vaults") {
            arm::api::KEY_VAULT
        } else {
            resources.iter().find(same_type).and_then(|r| r["apiVersion"].as_str()).unwrap_or_default()
        };
        let _ =
            writeln!(out, "\nresource {symbol} {} existing = {{\n  name: {name}\n}}", quote::bicep(&format!("{ty}@{api}")));
    }
    for ((resource, symbol), scope) in resources.iter().zip(&symbols).zip(scopes) {
        out.push('\n');
        if let Some(comment) = resource["comments"].as_str() {
            let _ = writeln!(out, "// {comment}");
        }
        let ty = resource["type"].as_str().unwrap_or_default();
        let api = resource["apiVersion"].as_str().unwrap_or_default();
        let mut fields: Vec<(String, String)> = scope.into_iter().map(|s| ("scope".to_string(), s)).collect();
        for (key_text, value) in resource.as_object().into_iter().flatten() {
            if !matches!(key_text.as_str(), "type" | "apiVersion" | "comments" | "dependsOn" | "scope") {
                fields.push((key(key_text, true), render(value, 1, true)));
            }
        }
        let depends: Vec<String> = resource["dependsOn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|id| depended(id, &resources, &symbols))
            .collect();
        if !depends.is_empty() {
            fields.push(("dependsOn".into(), list(depends, 1)));
        }
        let _ = writeln!(out, "resource {symbol} {} = {}", quote::bicep(&format!("{ty}@{api}")), block(fields, 0));
    }

    for (name, output) in doc["outputs"].as_object().into_iter().flatten() {
        let ty = output["type"].as_str().unwrap_or("string");
        let _ = writeln!(out, "\noutput {name} {ty} = {}", render(&output["value"], 0, true));
    }
    out
}

/// A template with a nested deployment reaches into another resource group,
/// which Bicep does with a module in a file of its own (a `resourceGroup`
/// property on a deployments resource is refused: BCP038).
fn reaches_another_group(doc: &Value) -> bool {
    doc["resources"].as_array().into_iter().flatten().any(|r| r["type"] == "Microsoft.Resources/deployments")
}

/// `main.bicepparam`: the values of `parameters.json`.
pub(super) fn params(plan: &Plan) -> String {
    let mut out = String::from("using 'main.bicep'\n");
    if let Some(note) = plan.arm_note {
        let _ = writeln!(out, "\n// {}", super::t(note));
        return out;
    }
    if reaches_another_group(&arm::build(plan, "")) {
        let _ = writeln!(out, "\n// {}", super::t("emit.bicep-other-group"));
        return out;
    }
    for (name, value) in arm::parameter_values(plan) {
        let _ = write!(out, "\nparam {name} = {}\n", render(&value, 0, false));
    }
    out
}

/// Symbolic names: the resource type's last segment in the singular, with a
/// number when a type comes more than once.
fn symbols(resources: &[&Value]) -> Vec<String> {
    let base: Vec<String> = resources
        .iter()
        .map(|r| {
            let last = r["type"].as_str().unwrap_or("resource").rsplit('/').next().unwrap_or("resource");
            match last {
                "registries" => "registry".into(),
                "userAssignedIdentities" => "identity".into(),
                "vaults" => "vault".into(),
                "accessPolicies" => "accessPolicy".into(),
                "versions" => "imageVersion".into(),
                other => other.strip_suffix('s').unwrap_or(other).to_string(),
            }
        })
        .collect();
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            let same = base.iter().filter(|x| *x == b).count();
            let nth = base[..i].iter().filter(|x| *x == b).count() + 1;
            if same > 1 {
                format!("{b}{nth}")
            } else {
                b.clone()
            }
        })
        .collect()
}

/// The type and the name (a Bicep expression) of a `scope` written as
/// `[format('Microsoft.KeyVault/vaults/{0}', parameters('v'))]`.
fn scope_target(scope: &str) -> Option<(String, String)> {
    let expr = parse(scope.strip_prefix('[')?.strip_suffix(']')?)?;
    let Expr::Call(f, args, access) = expr else { return None };
    let (Some(Expr::Str(pattern)), [name]) = (args.first(), &args[1..]) else { return None };
    let ty = pattern.strip_suffix("/{0}")?;
    (f == "format" && access.is_empty()).then(|| (ty.to_string(), bicep(name)))
}

/// The symbol of the resource a `scope` names, when it is declared here.
fn scoped(scope: &str, resources: &[&Value], symbols: &[String]) -> Option<String> {
    let (ty, name) = scope_target(scope)?;
    resources.iter().zip(symbols).find_map(|(r, symbol)| {
        let same_type = r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(&ty));
        (same_type && name_segments(&r["name"]) == [name.clone()]).then(|| symbol.clone())
    })
}

/// The symbol of the resource a `dependsOn` entry (`[resourceId(...)]`) names.
fn depended(id: &str, resources: &[&Value], symbols: &[String]) -> Option<String> {
    let call = parse(id.strip_prefix('[')?.strip_suffix(']')?)?;
    let Expr::Call(name, args, _) = &call else { return None };
    if name != "resourceId" {
        return None;
    }
    // resourceId([group,] 'Type', name, ...): the type is the first literal with a '/'.
    let at = args.iter().position(|a| matches!(a, Expr::Str(s) if s.contains('/')))?;
    let Expr::Str(ty) = &args[at] else { return None };
    let names: Vec<String> = args[at + 1..].iter().map(bicep).collect();
    resources.iter().zip(symbols).find_map(|(r, symbol)| {
        let same_type = r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(ty));
        (same_type && name_segments(&r["name"]) == names).then(|| symbol.clone())
    })
}

/// A resource name's segments as Bicep expressions: `[format('{0}/{1}', a, b)]`
/// is `[a, b]`; `[parameters('x')]` is `[x]`.
fn name_segments(name: &Value) -> Vec<String> {
    let text = name.as_str().unwrap_or_default();
    match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).and_then(parse) {
        Some(Expr::Call(f, args, access)) if f == "format" && access.is_empty() => match args.first() {
            Some(Expr::Str(pattern)) => pattern
                .split('/')
                .map(|part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(n) => n.parse::<usize>().ok().and_then(|n| args.get(n + 1)).map(bicep).unwrap_or_default(),
                    None => quote::bicep(part),
                })
                .collect(),
            _ => vec![],
        },
        Some(expr) => vec![bicep(&expr)],
        None => text.split('/').map(quote::bicep).collect(),
    }
}

/// A JSON value as Bicep. With `expressions`, one of the template's: a string
/// `[...]` is an ARM expression, written as Bicep's (`[[` is a literal `[`).
/// Without, a value the user gave (a parameter's): every string, and every
/// key, is literal.
fn render(v: &Value, indent: usize, expressions: bool) -> String {
    match v {
        Value::String(s) if expressions => {
            match s.strip_prefix('[').filter(|t| !t.starts_with('[')).and_then(|t| t.strip_suffix(']')) {
                Some(expr) => parse(expr).map(|e| bicep(&e)).unwrap_or_else(|| quote::bicep(s)),
                None => quote::bicep(s.strip_prefix('[').filter(|t| t.starts_with('[')).unwrap_or(s)),
            }
        }
        Value::String(s) => quote::bicep(s),
        Value::Array(items) => list(items.iter().map(|i| render(i, indent + 1, expressions)).collect(), indent),
        Value::Object(map) => {
            let fields = map.iter().map(|(k, v)| (key(k, expressions), render(v, indent + 1, expressions)));
            block(fields.collect(), indent)
        }
        other => other.to_string(),
    }
}

/// `[ ... ]`, one item a line.
fn list(items: Vec<String>, indent: usize) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let pad = "  ".repeat(indent + 1);
    let inner: String = items.iter().map(|i| format!("{pad}{i}\n")).collect();
    format!("[\n{inner}{}]", "  ".repeat(indent))
}

/// `{ ... }`, one `key: value` a line.
fn block(fields: Vec<(String, String)>, indent: usize) -> String {
    if fields.is_empty() {
        return "{}".into();
    }
    let pad = "  ".repeat(indent + 1);
    let inner: String = fields.iter().map(|(k, v)| format!("{pad}{k}: {v}\n")).collect();
    format!("{{\n{inner}{}}}", "  ".repeat(indent))
}

/// An object key: an identifier as it is, a template's expression as an
/// interpolated string, anything else quoted.
fn key(k: &str, expressions: bool) -> String {
    if let Some(expr) = k.strip_prefix('[').and_then(|t| t.strip_suffix(']')).and_then(parse).filter(|_| expressions) {
        return format!("'${{{}}}'", bicep(&expr));
    }
    let identifier = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        k.to_string()
    } else {
        quote::bicep(k)
    }
}

/// An ARM template expression: calls, string literals, numbers, and member
/// or index access after a call.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Str(String),
    Num(String),
    Call(String, Vec<Expr>, Vec<Access>),
}

#[derive(Debug, Clone, PartialEq)]
enum Access {
    Member(String),
    Index(Expr),
}

/// The Bicep of an ARM expression: `parameters('x')` is the parameter `x`.
fn bicep(e: &Expr) -> String {
    match e {
        Expr::Str(s) => quote::bicep(s),
        Expr::Num(n) => n.clone(),
        Expr::Call(name, args, access) => {
            let mut text = match (name.as_str(), args.as_slice()) {
                ("parameters", [Expr::Str(p)]) => p.clone(),
                _ => format!("{name}({})", args.iter().map(bicep).collect::<Vec<_>>().join(", ")),
            };
            for a in access {
                match a {
                    Access::Member(m) => {
                        text.push('.');
                        text.push_str(m);
                    }
                    Access::Index(i) => {
                        let _ = write!(text, "[{}]", bicep(i));
                    }
                }
            }
            text
        }
    }
}

fn parse(text: &str) -> Option<Expr> {
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let e = p.expr()?;
    p.ws();
    (p.i == p.s.len()).then_some(e)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let ok = self.s.get(self.i) == Some(&c);
        if ok {
            self.i += 1;
        }
        ok
    }
    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    fn expr(&mut self) -> Option<Expr> {
        self.ws();
        match self.s.get(self.i)? {
            b'\'' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    let c = *self.s.get(self.i)?;
                    self.i += 1;
                    if c == b'\'' {
                        if self.s.get(self.i) == Some(&b'\'') {
                            self.i += 1;
                            out.push(b'\'');
                        } else {
                            break;
                        }
                    } else {
                        out.push(c);
                    }
                }
                Some(Expr::Str(String::from_utf8(out).ok()?))
            }
            c if c.is_ascii_digit() || *c == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                Some(Expr::Num(String::from_utf8_lossy(&self.s[start..self.i]).into_owned()))
            }
            _ => {
                let name = self.ident()?;
                if !self.eat(b'(') {
                    return None;
                }
                let mut args = Vec::new();
                if !self.eat(b')') {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(b')') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                let mut access = Vec::new();
                loop {
                    if self.eat(b'.') {
                        access.push(Access::Member(self.ident()?));
                    } else if self.eat(b'[') {
                        access.push(Access::Index(self.expr()?));
                        if !self.eat(b']') {
                            return None;
                        }
                    } else {
                        break;
                    }
                }
                Some(Expr::Call(name, args, access))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_become_bicep() {
        let b = |t: &str| bicep(&parse(t).unwrap());
        assert_eq!(b("parameters('registryName')"), "registryName");
        assert_eq!(
            b("reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), '2024-11-30').principalId"),
            "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', identityName), '2024-11-30').principalId"
        );
        assert_eq!(b("format('{0}/{1}', parameters('a'), 'it''s')"), "format('{0}/{1}', a, 'it\\'s')");
        assert!(parse("resourceId('a'").is_none(), "an unclosed call is not an expression");
    }

    /// A user's tag name that looks like an expression stays a name in
    /// main.bicepparam; in the template, an expression key is interpolated.
    #[test]
    fn only_template_keys_are_expressions() {
        let doc = serde_json::json!({ "[parameters('x')]": "[parameters('y')]" });
        assert_eq!(render(&doc, 0, false), "{\n  '[parameters(\\'x\\')]': '[parameters(\\'y\\')]'\n}");
        assert_eq!(render(&doc, 0, true), "{\n  '${x}': y\n}");
    }
}
