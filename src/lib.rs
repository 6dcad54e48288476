//! registry-wizard: a user's choices (the spec) in, validated deployment code out.
//!
//! The pipeline is `spec → rules → plan → emitters`; see ARCHITECTURE.md.
//! Everything here is plain Rust without a DOM: the browser UI (`app`, wasm32
//! only) and the command-line tool (`cli`, native only) are thin layers on it.

pub mod emit;
pub mod examples;
pub mod i18n;
#[cfg(feature = "day2")]
pub mod import;
pub mod names;
pub mod outcome;
pub mod plan;
pub mod rules;
pub mod spec;
pub mod spec_json;
pub mod tabs;
pub mod zip;

// The wizard offers day-2 changes, so it needs the `day2` core.
#[cfg(all(target_arch = "wasm32", feature = "day2"))]
pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
