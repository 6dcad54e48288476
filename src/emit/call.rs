//! One command invocation, shared by the script emitters: a command, its
//! `name value` parameters, an optional variable that captures its output, and
//! whether it is retried. A [`Dialect`] says how a value is written; each
//! emitter renders the call in its own syntax.

use std::marker::PhantomData;

use crate::plan::Val;

/// How a script language writes values.
pub(super) trait Dialect {
    /// A plan value as one word or expression (`"$REGISTRY_NAME"`, `$RegistryName`).
    fn value(value: &Val) -> String;
    /// A fixed text chosen by the tool, quoted if the language needs it.
    fn literal(text: &str) -> String;
}

pub(super) struct Call<D> {
    pub command: &'static str,
    pub params: Vec<(&'static str, Option<String>)>,
    /// Variable that receives the output, in the dialect's spelling.
    pub capture: Option<String>,
    pub retry: bool,
    /// Tolerates "not found" (bash: `if_exists`).
    pub maybe: bool,
    dialect: PhantomData<D>,
}

impl<D: Dialect> Call<D> {
    pub fn new(command: &'static str) -> Self {
        Call { command, params: Vec::new(), capture: None, retry: false, maybe: false, dialect: PhantomData }
    }

    pub fn arg(mut self, name: &'static str, value: &Val) -> Self {
        self.params.push((name, Some(D::value(value))));
        self
    }

    pub fn lit(mut self, name: &'static str, text: &str) -> Self {
        self.params.push((name, Some(D::literal(text))));
        self
    }

    /// A parameter with words already written in the dialect.
    pub fn raw(mut self, name: &'static str, words: impl Into<String>) -> Self {
        self.params.push((name, Some(words.into())));
        self
    }

    /// A parameter without a value (`--wait`, `-Force`).
    pub fn flag(mut self, name: &'static str) -> Self {
        self.params.push((name, None));
        self
    }

    pub fn opt(self, name: &'static str, value: Option<&Val>) -> Self {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    pub fn when(self, cond: bool, f: impl FnOnce(Self) -> Self) -> Self {
        if cond {
            f(self)
        } else {
            self
        }
    }

    pub fn retry(mut self) -> Self {
        self.retry = true;
        self
    }

    /// The command and its parameters, one per continued line.
    pub fn lines(&self, continuation: &str, indent: &str) -> String {
        let mut text = self.command.to_string();
        for (name, value) in &self.params {
            text.push_str(continuation);
            text.push('\n');
            text.push_str(indent);
            text.push_str(name);
            if let Some(value) = value {
                text.push(' ');
                text.push_str(value);
            }
        }
        text
    }
}
