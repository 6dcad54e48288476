//! Emitters: a plan rendered as Azure CLI bash, Azure PowerShell, an ARM
//! template and its parameters file, Bicep, or a Terraform root module.
//!
//! Emitters never decide what to deploy; they translate plan steps. Output is
//! deterministic (same spec, same bytes) so that golden files can be diffed.

mod arm;
mod bash;
mod bicep;
pub use bicep::BicepModule;
#[cfg(feature = "day2")]
mod bash_change;
mod call;
mod powershell;
#[cfg(feature = "day2")]
mod powershell_change;
pub mod quote;
mod terraform;

pub use powershell::CMDLET_MODULES;

use crate::i18n;
use crate::plan::{self, Plan};
use crate::rules::Finding;
use crate::spec::Spec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    AzCli,
    PowerShell,
    Arm,
    ArmParameters,
    /// What must exist before the ARM template deploys (bash, PowerShell).
    ArmPreDeploy,
    ArmPreDeployPs,
    /// What the ARM template cannot do itself, run after it (bash, PowerShell).
    ArmPostDeploy,
    ArmPostDeployPs,
    /// The ARM template's deployment in Bicep, and its parameters file.
    Bicep,
    BicepParam,
    /// The same deployment as a Terraform root module, one file each.
    Terraform,
    TerraformVariables,
    TerraformValues,
    TerraformOutputs,
    /// A module file of `main.bicep` (a resource in another resource group).
    BicepModule(BicepModule),
}

impl Format {
    /// Whether the output is a PowerShell script.
    pub fn is_powershell(self) -> bool {
        matches!(self, Format::PowerShell | Format::ArmPreDeployPs | Format::ArmPostDeployPs)
    }

    /// The bytes of an output as a file. Windows PowerShell 5.1 reads a `.ps1`
    /// without a byte-order mark in the system's code page and mangles any
    /// non-ASCII text (a Korean tag value), so such a script starts with the
    /// UTF-8 BOM; PowerShell 7 reads both. Everything else stays BOM-less.
    pub fn file_bytes(self, code: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(code.len() + 3);
        if self.is_powershell() && !code.is_ascii() {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(code.as_bytes());
        bytes
    }
}

/// Where a script stands relative to an ARM deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The whole deployment, by itself.
    Whole,
    BeforeArm,
    AfterArm,
}

impl Format {
    /// The outputs every plan has (the wizard's output tabs).
    pub const ALL: [Format; 10] = [
        Format::AzCli,
        Format::PowerShell,
        Format::Arm,
        Format::ArmParameters,
        Format::Bicep,
        Format::BicepParam,
        Format::Terraform,
        Format::TerraformVariables,
        Format::TerraformValues,
        Format::TerraformOutputs,
    ];
    /// The scripts around an ARM deployment: empty when a plan needs none.
    pub const AROUND_ARM: [Format; 4] =
        [Format::ArmPreDeploy, Format::ArmPreDeployPs, Format::ArmPostDeploy, Format::ArmPostDeployPs];

    /// The module files `main.bicep` may use: empty when it uses none.
    pub const BICEP_MODULES: [Format; 4] = [
        Format::BicepModule(BicepModule::Identity),
        Format::BicepModule(BicepModule::KeyVault),
        Format::BicepModule(BicepModule::KeyAccess),
        Format::BicepModule(BicepModule::Key),
    ];

    /// Every output: the tabs, then the files only some plans have.
    pub fn every() -> impl Iterator<Item = Format> {
        Format::ALL.into_iter().chain(Format::AROUND_ARM).chain(Format::BICEP_MODULES)
    }

    /// The family a file belongs to, named by its first file: the wizard shows
    /// a tab per family (Azure CLI, PowerShell, ARM, Bicep, Terraform) and,
    /// within one, a tab per file.
    pub fn family(self) -> Format {
        match self {
            Format::AzCli => Format::AzCli,
            Format::PowerShell => Format::PowerShell,
            Format::Arm
            | Format::ArmParameters
            | Format::ArmPreDeploy
            | Format::ArmPreDeployPs
            | Format::ArmPostDeploy
            | Format::ArmPostDeployPs => Format::Arm,
            Format::Bicep | Format::BicepParam | Format::BicepModule(_) => Format::Bicep,
            Format::Terraform | Format::TerraformVariables | Format::TerraformValues | Format::TerraformOutputs => {
                Format::Terraform
            }
        }
    }

    /// The name the CLI's `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::AzCli => "azcli",
            Format::PowerShell => "powershell",
            Format::Arm => "arm",
            Format::ArmParameters => "arm-parameters",
            Format::ArmPreDeploy => "arm-pre-deploy",
            Format::ArmPreDeployPs => "arm-pre-deploy-ps",
            Format::ArmPostDeploy => "arm-post-deploy",
            Format::ArmPostDeployPs => "arm-post-deploy-ps",
            Format::Bicep => "bicep",
            Format::BicepParam => "bicepparam",
            Format::Terraform => "terraform",
            Format::TerraformVariables => "terraform-variables",
            Format::TerraformValues => "terraform-tfvars",
            Format::TerraformOutputs => "terraform-outputs",
            Format::BicepModule(BicepModule::Identity) => "bicep-module-identity",
            Format::BicepModule(BicepModule::KeyVault) => "bicep-module-key-vault",
            Format::BicepModule(BicepModule::KeyAccess) => "bicep-module-key-access",
            Format::BicepModule(BicepModule::Key) => "bicep-module-key",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::every().find(|f| f.name() == name)
    }

    /// File name, as the portal's template export names its files.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::AzCli => "deploy.sh",
            Format::PowerShell => "deploy.ps1",
            Format::Arm => "template.json",
            Format::ArmParameters => "parameters.json",
            Format::ArmPreDeploy => "pre-deploy.sh",
            Format::ArmPreDeployPs => "pre-deploy.ps1",
            Format::ArmPostDeploy => "post-deploy.sh",
            Format::ArmPostDeployPs => "post-deploy.ps1",
            Format::Bicep => "main.bicep",
            Format::BicepParam => "main.bicepparam",
            Format::Terraform => "main.tf",
            Format::TerraformVariables => "variables.tf",
            Format::TerraformValues => "terraform.tfvars",
            Format::TerraformOutputs => "outputs.tf",
            Format::BicepModule(module) => module.file_name(),
        }
    }
}

/// The deployment code for a spec, or the error findings that prevent it.
pub fn emit(spec: &Spec, format: Format) -> Result<String, Vec<Finding>> {
    let plan = plan::plan(spec)?;
    Ok(emit_plan(&plan, spec, format))
}

/// The code for a spec whose findings are already known, or `None` while
/// one is an error (see [`plan::plan_checked`]).
pub fn emit_checked(spec: &Spec, findings: &[Finding], format: Format) -> Option<String> {
    plan::plan_checked(spec, findings).map(|plan| emit_plan(&plan, spec, format))
}

/// Renders a plan. `spec` is only read for the title line of the output.
/// The scripts around an ARM deployment are empty when the plan needs none.
pub fn emit_plan(plan: &Plan, spec: &Spec, format: Format) -> String {
    let title = title(spec);
    let around = |before: bool, render: fn(&Plan, &str, Role) -> String| {
        let (pre, post) = plan.around_arm();
        let (sub, key, role) = if before {
            (pre, "emit.title-pre-deploy", Role::BeforeArm)
        } else {
            (post, "emit.title-post-deploy", Role::AfterArm)
        };
        sub.map(|sub| render(&sub, &tf(key, &[("title", title.clone())]), role)).unwrap_or_default()
    };
    match format {
        Format::AzCli => bash::emit(plan, &title, Role::Whole),
        Format::PowerShell => powershell::emit(plan, &title, Role::Whole),
        Format::Arm => arm::template(plan, &title),
        Format::ArmParameters => arm::parameters(plan),
        Format::ArmPreDeploy => around(true, bash::emit),
        Format::ArmPreDeployPs => around(true, powershell::emit),
        Format::ArmPostDeploy => around(false, bash::emit),
        Format::ArmPostDeployPs => around(false, powershell::emit),
        Format::Bicep => bicep::main(plan, &title),
        Format::BicepParam => bicep::params(plan),
        Format::Terraform => terraform::main(plan, &title),
        Format::TerraformVariables => terraform::variables(plan),
        Format::TerraformValues => terraform::values(plan),
        Format::TerraformOutputs => terraform::outputs(plan),
        Format::BicepModule(module) => bicep::module(plan, module),
    }
}

/// One line that says what the output deploys.
fn title(spec: &Spec) -> String {
    #[cfg(feature = "day2")]
    if let Some(change) = spec.change().filter(|c| c.operation.on_gallery()) {
        let g = &spec.gallery;
        return tf(
            "emit.title-change-gallery",
            &[
                ("version", format!("{}/{}/{}", g.name, g.image_definition, g.version)),
                ("operation", i18n::code_text(&format!("op.{}", change.operation.as_str())).to_string()),
            ],
        );
    }
    #[cfg(feature = "day2")]
    if let Some(change) = spec.change() {
        return tf(
            "emit.title-change",
            &[
                ("registry", spec.registry.name.clone()),
                ("operation", i18n::code_text(&format!("op.{}", change.operation.as_str())).to_string()),
            ],
        );
    }
    if spec.kind == crate::spec::Kind::GalleryImageVersion {
        let g = &spec.gallery;
        let key = if g.encryption.uses_des() { "emit.title-gallery-cmk" } else { "emit.title-gallery" };
        return tf(
            key,
            &[
                ("version", format!("{}/{}/{}", g.name, g.image_definition, g.version)),
                ("regions", g.target_regions.len().to_string()),
            ],
        );
    }
    let key = if spec.cmk().is_some() { "emit.title-cmk" } else { "emit.title" };
    tf(key, &[("registry", spec.registry.name.clone()), ("sku", spec.registry.sku.as_str().into())])
}

/// Writes what `render` writes with each line indented by `indent`: the
/// body of an `if` in bash or PowerShell.
fn block(out: &mut String, indent: &str, render: impl FnOnce(&mut String)) {
    let mut text = String::new();
    render(&mut text);
    for line in text.lines() {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
}

/// Text of a catalog key, for comments in generated code (English: the
/// scripts are read by the tools' users and by search engines alike).
fn t(key: &str) -> &'static str {
    i18n::code_text(key)
}

/// [`t`] with its `{placeholders}` filled.
fn tf(key: &str, args: &[(&str, String)]) -> String {
    i18n::fill(t(key), args)
}

const GENERATOR: &str = concat!("registry-wizard ", env!("CARGO_PKG_VERSION"));

/// Role that grants get, wrapKey and unwrapKey on keys: what a registry needs.
pub const CRYPTO_SERVICE_ENCRYPTION_USER: (&str, &str) =
    ("Key Vault Crypto Service Encryption User", "e147488a-f6f5-4113-8e2d-b22465e65bf6");
/// Role that lets the signed-in user create keys in an RBAC vault.
pub const CRYPTO_OFFICER: (&str, &str) = ("Key Vault Crypto Officer", "14b46e9e-c2b7-41b4-b07b-48a6ebf60603");
/// Key permissions of the access-policy model (seed 000).
pub const KEY_PERMISSIONS: [&str; 3] = ["get", "unwrapKey", "wrapKey"];
