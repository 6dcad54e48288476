//! Reactive values and list rows as trait objects.
//!
//! tachys compiles a render effect (build, rebuild, mount, unmount) for every
//! closure type it is given as a child, an attribute or a property, and a keyed
//! list for every `<For>`. Erased into `Arc<dyn Fn>`, every use with the same
//! value type shares one compiled copy: the wasm is smaller, the views read
//! the same. (The controls erase their getters and setters for the same reason.)

use std::sync::Arc;

use leptos::prelude::*;

/// A value computed from signals, re-read whenever they change.
pub type Rx<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// Erases a reactive closure; use it for every `attr=move || ...` and
/// `{move || ...}` that yields a value. Closures that yield views (finding
/// lists, the notice banner) stay as they are: views are not `Sync`.
pub fn rx<T: 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Rx<T> {
    Arc::new(f)
}

/// One row per index `0..count()`, keyed by index. Rows read their values
/// through the spec by index, so removing a row in the middle re-binds the
/// rows below to their new values.
#[component]
pub fn Rows<V: IntoView + 'static>(
    count: impl Fn() -> usize + Send + Sync + 'static,
    row: impl Fn(usize) -> V + Send + Sync + 'static,
) -> impl IntoView {
    rows(rx(count), Arc::new(move |i| row(i).into_any()))
}

type Row = Arc<dyn Fn(usize) -> AnyView + Send + Sync>;

fn rows(count: Rx<usize>, row: Row) -> AnyView {
    view! { <For each=move || 0..count() key=|i| *i children=move |i| row(i) /> }.into_any()
}
