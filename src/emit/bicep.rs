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
    let metadata = &doc["metadata"];
    if let Some(note) = metadata["notAnArmDeployment"].as_str() {
        let _ = writeln!(out, "//\n// {note}");
        return out;
    }
    let _ = writeln!(out, "// {}", super::t("emit.bicep-generated"));
    for key in ["preDeploymentSteps", "postDeploymentSteps"] {
        if let Some(steps) = metadata[key].as_object() {
            let _ = writeln!(out, "//\n// {}", steps["note"].as_str().unwrap_or_default());
            for step in steps["steps"].as_array().into_iter().flatten() {
                let _ = writeln!(out, "//   - {}", step.as_str().unwrap_or_default());
            }
        }
    }
    let _ = writeln!(out, "\nmetadata description = {}", quote::bicep(title));

    let parameters = doc["parameters"].as_object().into_iter().flatten();
    declare_parameters(&mut out, parameters);
    let resources: Vec<&Value> = doc["resources"].as_array().into_iter().flatten().collect();
    let names: Vec<&str> = doc["parameters"].as_object().into_iter().flatten().map(|(n, _)| n.as_str()).collect();
    declare_resources(&mut out, &names, &resources, doc["outputs"].as_object());
    out
}

fn declare_parameters<'a>(out: &mut String, parameters: impl Iterator<Item = (&'a String, &'a Value)>) {
    for (name, param) in parameters {
        let description = param["metadata"]["description"].as_str().unwrap_or_default();
        let ty = param["type"].as_str().unwrap_or("string");
        let _ = writeln!(out, "\n@description({})", quote::bicep(description));
        if let Some((min, max)) = crate::names::length::of_input(name) {
            let _ = writeln!(out, "@minLength({min})\n@maxLength({max})");
        }
        let _ = writeln!(out, "param {name} {ty}");
    }
}

/// The resources of a file and its outputs, each with what it needs declared
/// first. What the template names by `resourceId()` (or by a `scope` string)
/// is a symbol in Bicep: a resource declared in the file, or an `existing`
/// one declared for it (a vault, an identity, a key or a subnet the
/// deployment uses but does not create). A nested deployment into another
/// resource group is a module scoped to that group.
fn declare_resources(
    out: &mut String,
    parameters: &[&str],
    resources: &[&Value],
    outputs: Option<&serde_json::Map<String, Value>>,
) {
    let symbols = symbols(resources, parameters);
    let mut resolver = Resolver::default();
    for (r, symbol) in resources.iter().zip(&symbols) {
        if BicepModule::of(r).is_none() {
            let ty = r["type"].as_str().unwrap_or_default().to_string();
            resolver.targets.push(Target { ty, names: name_segments(&r["name"]), scope: vec![], symbol: symbol.clone() });
        }
    }
    // What the resources and outputs reach but the file does not declare.
    let mut wanted = Vec::new();
    for r in resources.iter().filter(|r| BicepModule::of(r).is_none()) {
        if let Some((ty, name)) = r["scope"].as_str().and_then(scope_target) {
            wanted.push((ty, vec![name], vec![]));
        }
        if let Some((parent, _)) = parent_of(r) {
            wanted.push(parent);
        }
        for (key, value) in r.as_object().into_iter().flatten() {
            if !matches!(key.as_str(), "dependsOn" | "scope") {
                collect_targets(value, &mut wanted);
            }
        }
    }
    for output in outputs.into_iter().flatten() {
        collect_targets(&output.1["value"], &mut wanted);
    }
    let mut existing = Vec::new();
    for (ty, names, scope) in wanted {
        if resolver.find(&ty, &names, &scope).is_some() || existing_api(&ty).is_none() {
            continue;
        }
        let base = base_symbol(&ty);
        let taken =
            |s: &str| parameters.contains(&s) || symbols.iter().any(|t| t == s) || resolver.targets.iter().any(|t| t.symbol == s);
        let mut symbol = if taken(&base) { format!("existing{}{}", base[..1].to_uppercase(), &base[1..]) } else { base };
        let mut n = 2;
        while taken(&symbol) {
            symbol = format!("{}{n}", symbol.trim_end_matches(|c: char| c.is_ascii_digit()));
            n += 1;
        }
        resolver.targets.push(Target { ty: ty.clone(), names: names.clone(), scope: scope.clone(), symbol: symbol.clone() });
        existing.push((ty, names, scope, symbol));
    }
    for (ty, names, scope, symbol) in &existing {
        let mut fields = vec![("name".to_string(), joined_name(names))];
        if !scope.is_empty() {
            fields.push(("scope".into(), format!("resourceGroup({})", scope.join(", "))));
        }
        let api = existing_api(ty).unwrap_or_default();
        let _ = writeln!(out, "\nresource {symbol} {} existing = {}", quote::bicep(&format!("{ty}@{api}")), block(fields, 0));
    }
    let r = &resolver;
    for (resource, symbol) in resources.iter().zip(&symbols) {
        out.push('\n');
        if let Some(comment) = resource["comments"].as_str() {
            let _ = writeln!(out, "// {comment}");
        }
        let depends: Vec<String> = resource["dependsOn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|id| depended(id, resources, &symbols))
            .collect();
        if let Some(module) = BicepModule::of(resource) {
            declare_module(out, symbol, module, resource, depends);
            continue;
        }
        let ty = resource["type"].as_str().unwrap_or_default();
        let api = resource["apiVersion"].as_str().unwrap_or_default();
        let scope = resource["scope"].as_str().and_then(scope_target).and_then(|(t, n)| r.find(&t, &[n], &[]));
        let mut fields: Vec<(String, String)> = scope.into_iter().map(|s| ("scope".to_string(), s.to_string())).collect();
        // A child names its parent's symbol and its own last name segment.
        let parent = parent_of(resource).and_then(|((ty, names, scope), child)| Some((r.find(&ty, &names, &scope)?, child)));
        if let Some((parent, _)) = &parent {
            fields.push(("parent".into(), parent.to_string()));
        }
        for (key_text, value) in resource.as_object().into_iter().flatten() {
            match (key_text.as_str(), &parent) {
                ("type" | "apiVersion" | "comments" | "dependsOn" | "scope", _) => {}
                ("name", Some((_, child))) => fields.push(("name".into(), child.clone())),
                _ => fields.push((key(key_text, Some(r)), render(value, 1, Some(r)))),
            }
        }
        // What the resource refers to, Bicep orders by itself: a dependsOn
        // on it would be one the linter calls unnecessary.
        let depends: Vec<String> = depends.into_iter().filter(|d| !fields.iter().any(|(_, v)| refers_to(v, d))).collect();
        if !depends.is_empty() {
            fields.push(("dependsOn".into(), list(depends, 1)));
        }
        let _ = writeln!(out, "resource {symbol} {} = {}", quote::bicep(&format!("{ty}@{api}")), block(fields, 0));
    }
    for (name, output) in outputs.into_iter().flatten() {
        let ty = output["type"].as_str().unwrap_or("string");
        let _ = writeln!(out, "\noutput {name} {ty} = {}", render(&output["value"], 0, Some(r)));
    }
}

/// A child resource's parent (type, name segments, no scope) and its own
/// name: `vaults/keys` named `format('{0}/{1}', v, k)` is a key `k` of the
/// vault `v`.
fn parent_of(resource: &Value) -> Option<((String, Vec<String>, Vec<String>), String)> {
    let ty = resource["type"].as_str()?;
    let (parent_ty, _) = ty.rsplit_once('/')?;
    let mut names = name_segments(&resource["name"]);
    // A provider and at least one type segment: `Microsoft.KeyVault/vaults`.
    if parent_ty.matches('/').count() < 1 || names.len() < 2 || BicepModule::of(resource).is_some() {
        return None;
    }
    let child = names.pop()?;
    Some(((parent_ty.to_string(), names, vec![]), child))
}

/// Whether a Bicep value refers to `symbol`: `symbol.id`, or the symbol itself
/// (a `scope:` or `parent:`). String literals are not code: only their
/// `${...}` holes are looked at.
fn refers_to(text: &str, symbol: &str) -> bool {
    if text == symbol {
        return true;
    }
    let code = without_literals(text);
    code.match_indices(symbol).any(|(i, _)| {
        let text = &code;
        let before = text[..i].chars().next_back();
        let after = text[i + symbol.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') && after == Some('.')
    })
}

/// Bicep text with the characters of its string literals blanked, holes
/// (`${...}`) kept: what is left is code.
fn without_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Open holes: a `}` closes one when in code inside a string.
    let (mut in_string, mut holes, mut chars) = (false, 0usize, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                out.push(' ');
                if chars.next().is_some() {
                    out.push(' ');
                }
            }
            (true, '$') if chars.peek() == Some(&'{') => {
                chars.next();
                out.push_str("  ");
                in_string = false;
                holes += 1;
            }
            (true, '\'') => {
                out.push(c);
                in_string = false;
            }
            (true, _) => out.push(' '),
            (false, '\'') => {
                out.push(c);
                in_string = true;
            }
            (false, '}') if holes > 0 => {
                out.push(' ');
                holes -= 1;
                in_string = true;
            }
            (false, _) => out.push(c),
        }
    }
    out
}

/// A resource a Bicep file can name by its symbol: its type, its name's
/// segments and the resource group (and subscription) it is in, as Bicep
/// expressions (an empty scope: the file's own group).
struct Target {
    ty: String,
    names: Vec<String>,
    scope: Vec<String>,
    symbol: String,
}

/// Turns the template's `resourceId()` and `reference(resourceId())` into
/// symbols: `identity.id`, `identity.properties.principalId`.
#[derive(Default)]
struct Resolver {
    targets: Vec<Target>,
}

impl Resolver {
    fn find(&self, ty: &str, names: &[String], scope: &[String]) -> Option<&str> {
        self.targets
            .iter()
            .find(|t| t.ty.eq_ignore_ascii_case(ty) && t.names == names && t.scope == scope)
            .map(|t| t.symbol.as_str())
    }

    /// The symbol a `resourceId(...)` call's arguments name.
    fn resource_id(&self, args: &[Expr]) -> Option<&str> {
        let (ty, names, scope) = id_parts(args, &Resolver::default())?;
        self.find(&ty, &names, &scope)
    }

    /// The Bicep of an ARM expression: `parameters('x')` is the parameter `x`.
    fn bicep(&self, e: &Expr) -> String {
        match e {
            Expr::Str(s) => quote::bicep(s),
            Expr::Num(n) => n.clone(),
            Expr::Call(name, args, access) => {
                let symbol = match (name.as_str(), args.as_slice()) {
                    ("resourceId", _) => self.resource_id(args).map(|s| format!("{s}.id")),
                    // reference(id, api, 'full'): the whole resource (its identity).
                    ("reference", [Expr::Call(f, id_args, inner), _, Expr::Str(full)])
                        if f == "resourceId" && inner.is_empty() && full == "full" =>
                    {
                        self.resource_id(id_args).map(str::to_string)
                    }
                    // reference(id[, api]): the resource's properties.
                    ("reference", [Expr::Call(f, id_args, inner), ..]) if f == "resourceId" && inner.is_empty() => {
                        self.resource_id(id_args).map(|s| format!("{s}.properties"))
                    }
                    _ => None,
                };
                let mut text = match (symbol, name.as_str(), args.as_slice()) {
                    (Some(symbol), ..) => symbol,
                    (None, "parameters", [Expr::Str(p)]) => p.clone(),
                    // A string concatenation is an interpolated string in Bicep.
                    (None, "concat", [Expr::Str(_), ..]) => {
                        let mut text = String::from("'");
                        for a in args {
                            match a {
                                Expr::Str(literal) => {
                                    let quoted = quote::bicep(literal);
                                    text.push_str(&quoted[1..quoted.len() - 1]);
                                }
                                other => {
                                    let _ = write!(text, "${{{}}}", self.bicep(other));
                                }
                            }
                        }
                        text.push('\'');
                        text
                    }
                    _ => format!("{name}({})", args.iter().map(|a| self.bicep(a)).collect::<Vec<_>>().join(", ")),
                };
                for a in access {
                    match a {
                        Access::Member(m) => {
                            text.push('.');
                            text.push_str(m);
                        }
                        Access::Index(i) => {
                            let _ = write!(text, "[{}]", self.bicep(i));
                        }
                    }
                }
                text
            }
        }
    }
}

/// `resourceId([subscription,] [group,] 'Type', names...)` as its type, its
/// names and its scope (the deployment's own group, `resourceGroup().name`,
/// is no scope).
fn id_parts(args: &[Expr], r: &Resolver) -> Option<(String, Vec<String>, Vec<String>)> {
    let at = args.iter().position(|a| matches!(a, Expr::Str(s) if s.contains('/')))?;
    let Expr::Str(ty) = &args[at] else { return None };
    let names = args[at + 1..].iter().map(|a| r.bicep(a)).collect();
    let mut scope: Vec<String> = args[..at].iter().map(|a| r.bicep(a)).collect();
    if scope == ["resourceGroup().name"] {
        scope.clear();
    }
    Some((ty.clone(), names, scope))
}

/// Every `resourceId()` target in a template value.
fn collect_targets(v: &Value, into: &mut Vec<(String, Vec<String>, Vec<String>)>) {
    fn walk(e: &Expr, into: &mut Vec<(String, Vec<String>, Vec<String>)>) {
        if let Expr::Call(name, args, access) = e {
            if name == "resourceId" {
                if let Some(target) = id_parts(args, &Resolver::default()) {
                    if !into.contains(&target) {
                        into.push(target);
                    }
                }
            }
            args.iter().for_each(|a| walk(a, into));
            for a in access {
                if let Access::Index(i) = a {
                    walk(i, into);
                }
            }
        }
    }
    match v {
        Value::String(s) => {
            if let Some(e) = s.strip_prefix('[').filter(|t| !t.starts_with('[')).and_then(|t| t.strip_suffix(']')).and_then(parse)
            {
                walk(&e, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_targets(i, into)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            collect_targets(&Value::String(k.clone()), into);
            collect_targets(v, into);
        }),
        _ => {}
    }
}

/// The API version of an `existing` declaration, for the types a deployment
/// uses without creating them; None for any other type (a role definition, a
/// nested deployment): those stay `resourceId()` calls.
fn existing_api(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "Microsoft.ManagedIdentity/userAssignedIdentities" => arm::api::IDENTITY,
        "Microsoft.KeyVault/vaults" | "Microsoft.KeyVault/vaults/keys" => arm::api::KEY_VAULT,
        "Microsoft.ContainerRegistry/registries" => arm::api::REGISTRY,
        "Microsoft.Network/virtualNetworks/subnets" => arm::api::NETWORK,
        "Microsoft.Compute/galleries/images" => arm::api::GALLERY,
        _ => return None,
    })
}

/// A child's name from its segments: `'${vnetName}/${subnetName}'`.
fn joined_name(names: &[String]) -> String {
    if let [one] = names {
        return one.clone();
    }
    let parts: Vec<String> = names
        .iter()
        .map(|n| match n.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')) {
            Some(literal) => literal.to_string(),
            None => format!("${{{n}}}"),
        })
        .collect();
    format!("'{}'", parts.join("/"))
}

/// `module SYMBOL 'modules/FILE.bicep'`: the nested deployment's name, its
/// resource group as the scope, and the parameters its resource reads.
fn declare_module(out: &mut String, symbol: &str, module: BicepModule, deployment: &Value, depends: Vec<String>) {
    let inner = module_resource(deployment);
    let mut fields = vec![
        ("name".to_string(), render(&deployment["name"], 1, Some(&Resolver::default()))),
        ("scope".to_string(), format!("resourceGroup({})", render(&deployment["resourceGroup"], 1, Some(&Resolver::default())))),
    ];
    let params: Vec<(String, String)> = module_parameters(&inner)
        .into_iter()
        .map(|name| {
            let value = if name == DEPLOYMENT_GROUP { "resourceGroup().name".to_string() } else { name.clone() };
            (name, value)
        })
        .collect();
    fields.push(("params".into(), block(params, 1)));
    if !depends.is_empty() {
        fields.push(("dependsOn".into(), list(depends, 1)));
    }
    let _ = writeln!(out, "module {symbol} {} = {}", quote::bicep(module.file_name()), block(fields, 0));
}

/// A module's parameter that holds the deploying resource group's name: the
/// nested deployment's expressions are evaluated in the template's scope, a
/// module's in the group it deploys to.
const DEPLOYMENT_GROUP: &str = "deploymentResourceGroup";

/// The resource of a nested deployment, with what meant the deployment's own
/// resource group made explicit: `resourceGroup().name`, and `resourceId()`
/// without a group, name the module's parameter instead. The expressions are
/// the template's own (user values are parameters, never expression text).
fn module_resource(deployment: &Value) -> Value {
    // Its own group, the deployment's `resourceGroup`: implicit in the module.
    let own = deployment["resourceGroup"].as_str().and_then(|g| g.strip_prefix('[')?.strip_suffix(']')).unwrap_or_default();
    fn rewrite(v: &Value, own: &str) -> Value {
        match v {
            Value::String(s) if s.starts_with('[') && !s.starts_with("[[") => {
                let group = format!("parameters('{DEPLOYMENT_GROUP}')");
                let mut text = s.replace("resourceGroup().name", &group);
                let mut at = 0;
                while let Some(found) = text[at..].find("resourceId('") {
                    let i = at + found;
                    let standalone = !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric());
                    let insert = i + "resourceId(".len();
                    if standalone {
                        text.insert_str(insert, &format!("{group}, "));
                    }
                    at = insert;
                }
                if !own.is_empty() {
                    text = text.replace(&format!("resourceId({own}, "), "resourceId(");
                }
                Value::String(text)
            }
            Value::Array(items) => Value::Array(items.iter().map(|i| rewrite(i, own)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = match rewrite(&Value::String(k.clone()), own) {
                            Value::String(s) => s,
                            _ => k.clone(),
                        };
                        (key, rewrite(v, own))
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    rewrite(&deployment["properties"]["template"]["resources"][0], own)
}

/// The template parameters a module's resource reads, in the order it reads them.
fn module_parameters(resource: &Value) -> Vec<String> {
    let text = serde_json::to_string(resource).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for piece in text.split("parameters('").skip(1) {
        if let Some(name) = piece.split('\'').next() {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The module files of `main.bicep`: one for each kind of resource the
/// template may deploy into another resource group (where the identity or
/// the key vault is), through a nested deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BicepModule {
    Identity,
    KeyVault,
    KeyAccess,
    Key,
}

impl BicepModule {
    pub const ALL: [BicepModule; 4] =
        [BicepModule::Identity, BicepModule::KeyVault, BicepModule::KeyAccess, BicepModule::Key];

    /// The module a template resource is deployed through: a nested
    /// deployment's, by the type of the resource it holds.
    fn of(resource: &Value) -> Option<BicepModule> {
        if resource["type"] != "Microsoft.Resources/deployments" || resource.get("resourceGroup").is_none() {
            return None;
        }
        match resource["properties"]["template"]["resources"][0]["type"].as_str()? {
            "Microsoft.ManagedIdentity/userAssignedIdentities" => Some(BicepModule::Identity),
            "Microsoft.KeyVault/vaults" => Some(BicepModule::KeyVault),
            "Microsoft.Authorization/roleAssignments" | "Microsoft.KeyVault/vaults/accessPolicies" => {
                Some(BicepModule::KeyAccess)
            }
            "Microsoft.KeyVault/vaults/keys" => Some(BicepModule::Key),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BicepModule::Identity => "identity",
            BicepModule::KeyVault => "key-vault",
            BicepModule::KeyAccess => "key-access",
            BicepModule::Key => "key",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            BicepModule::Identity => "modules/identity.bicep",
            BicepModule::KeyVault => "modules/key-vault.bicep",
            BicepModule::KeyAccess => "modules/key-access.bicep",
            BicepModule::Key => "modules/key.bicep",
        }
    }
}

/// A module file: the resource a nested deployment of the template holds, and
/// the parameters it reads. Empty when the template has no such deployment.
pub(super) fn module(plan: &Plan, module: BicepModule) -> String {
    let doc = arm::build(plan, "");
    let Some(deployment) =
        doc["resources"].as_array().into_iter().flatten().find(|r| BicepModule::of(r) == Some(module))
    else {
        return String::new();
    };
    let resource = module_resource(deployment);
    let mut out = String::new();
    let _ = writeln!(out, "// {}", super::t("emit.bicep-module"));
    let parameters = doc["parameters"].as_object();
    let descriptions: Vec<(String, Value)> = module_parameters(&resource)
        .into_iter()
        .map(|name| {
            let param = parameters.and_then(|p| p.get(&name)).cloned().unwrap_or_else(|| {
                serde_json::json!({ "type": "string", "metadata": { "description": super::t("emit.bicep-deployment-group") } })
            });
            (name, param)
        })
        .collect();
    declare_parameters(&mut out, descriptions.iter().map(|(n, p)| (n, p)));
    let names: Vec<&str> = descriptions.iter().map(|(n, _)| n.as_str()).collect();
    declare_resources(&mut out, &names, &[&resource], None);
    out
}

/// `main.bicepparam`: the values of `parameters.json`.
pub(super) fn params(plan: &Plan) -> String {
    let mut out = String::from("using 'main.bicep'\n");
    if let Some(note) = plan.arm_note {
        let _ = writeln!(out, "\n// {}", super::t(note));
        return out;
    }
    for (name, value) in arm::parameter_values(plan) {
        let _ = write!(out, "\nparam {name} = {}\n", render(&value, 0, None));
    }
    out
}

/// A type's symbol: its last segment in the singular.
fn base_symbol(ty: &str) -> String {
    match ty.rsplit('/').next().unwrap_or("resource") {
        "registries" => "registry".into(),
        "userAssignedIdentities" => "identity".into(),
        "vaults" => "vault".into(),
        "accessPolicies" => "accessPolicy".into(),
        "versions" => "version".into(),
        "images" => "imageDefinition".into(),
        other => other.strip_suffix('s').unwrap_or(other).to_string(),
    }
}

/// Symbolic names: the resource type's last segment in the singular, with a
/// number when a type comes more than once.
/// Parameters share Bicep's namespace with resources and modules: a symbol
/// that is a parameter's name gets `Resource` appended.
fn symbols(resources: &[&Value], parameters: &[&str]) -> Vec<String> {
    let base: Vec<String> = resources
        .iter()
        .map(|r| {
            // A nested deployment's symbol is that of the resource it deploys.
            let ty = match r["type"].as_str() {
                Some("Microsoft.Resources/deployments") => r["properties"]["template"]["resources"][0]["type"].as_str(),
                other => other,
            };
            base_symbol(ty.unwrap_or("resource"))
        })
        .collect();
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            let same = base.iter().filter(|x| *x == b).count();
            let nth = base[..i].iter().filter(|x| *x == b).count() + 1;
            let symbol = if same > 1 { format!("{b}{nth}") } else { b.clone() };
            if parameters.contains(&symbol.as_str()) {
                format!("{symbol}Resource")
            } else {
                symbol
            }
        })
        .collect()
}

/// The type and the name (a Bicep expression) of a `scope` written as
/// `[format('Microsoft.KeyVault/vaults/{0}', parameters('v'))]`.
fn scope_target(scope: &str) -> Option<(String, String)> {
    let expr = parse(scope.strip_prefix('[')?.strip_suffix(']')?)?;
    let Expr::Call(f, args, access) = expr else { return None };
    let [Expr::Str(pattern), name] = args.as_slice() else { return None };
    let ty = pattern.strip_suffix("/{0}")?;
    (f == "format" && access.is_empty()).then(|| (ty.to_string(), bicep(name)))
}

/// The symbol of what a `dependsOn` entry names: a resource of the file by
/// `resourceId(...)` or, for an extension resource (a role assignment on a
/// vault), `extensionResourceId(..., 'Type', name)`; a resource a nested
/// deployment holds is its module's symbol.
fn depended(id: &str, resources: &[&Value], symbols: &[String]) -> Option<String> {
    let call = parse(id.strip_prefix('[')?.strip_suffix(']')?)?;
    let Expr::Call(name, args, _) = &call else { return None };
    let (ty, names) = match name.as_str() {
        "resourceId" => {
            let (ty, names, _) = id_parts(args, &Resolver::default())?;
            (ty, names)
        }
        "extensionResourceId" => match args.as_slice() {
            [_, Expr::Str(ty), rest @ ..] => (ty.clone(), rest.iter().map(bicep).collect()),
            _ => return None,
        },
        _ => return None,
    };
    let names_it = |r: &Value| {
        r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(&ty)) && name_segments(&r["name"]) == names
    };
    resources.iter().zip(symbols).find_map(|(r, symbol)| {
        let held = BicepModule::of(r).map(|_| &r["properties"]["template"]["resources"][0]);
        (names_it(r) || held.is_some_and(names_it)).then(|| symbol.clone())
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
fn render(v: &Value, indent: usize, expressions: Option<&Resolver>) -> String {
    match v {
        Value::String(s) if expressions.is_some() => {
            let r = expressions.unwrap_or_else(|| unreachable!());
            match s.strip_prefix('[').filter(|t| !t.starts_with('[')).and_then(|t| t.strip_suffix(']')) {
                Some(expr) => parse(expr).map(|e| r.bicep(&e)).unwrap_or_else(|| quote::bicep(s)),
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
fn key(k: &str, expressions: Option<&Resolver>) -> String {
    if let (Some(expr), Some(r)) = (k.strip_prefix('[').and_then(|t| t.strip_suffix(']')).and_then(parse), expressions) {
        return format!("'${{{}}}'", r.bicep(&expr));
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

/// The Bicep of an ARM expression, without symbols (names, scopes).
fn bicep(e: &Expr) -> String {
    Resolver::default().bicep(e)
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

    #[test]
    fn a_symbol_in_a_literal_is_no_reference() {
        assert!(refers_to("vault.id", "vault"));
        assert!(refers_to("'${vault.id}/x'", "vault"));
        assert!(!refers_to("'https://x/vault.azure.net'", "vault"));
        assert!(!refers_to("myvault.id", "vault"));
        assert!(refers_to("vault", "vault"));
    }

    /// A user's tag name that looks like an expression stays a name in
    /// main.bicepparam; in the template, an expression key is interpolated.
    #[test]
    fn only_template_keys_are_expressions() {
        let doc = serde_json::json!({ "[parameters('x')]": "[parameters('y')]" });
        assert_eq!(render(&doc, 0, None), "{\n  '[parameters(\\'x\\')]': '[parameters(\\'y\\')]'\n}");
        assert_eq!(render(&doc, 0, Some(&Resolver::default())), "{\n  '${x}': y\n}");
    }
}
