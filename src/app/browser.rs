//! The browser APIs the wizard needs beyond Leptos: downloads, the clipboard,
//! reading a chosen file, and moving focus. Errors come back as text for the
//! status line; nothing here panics.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

// What is shorter in JavaScript than through web-sys: fetching a text from
// the page's origin, and importing a module (the code generator) on demand,
// once however often it is asked for.
#[wasm_bindgen(inline_js = r#"
export function fetch_text(address) {
  return fetch(new URL(address, document.baseURI), { cache: 'no-cache' })
    .then((r) => (r.ok ? r.text() : Promise.reject(`${r.status} ${r.statusText}`)));
}
let generator = null;
let loading = null;
export function load_generator(address) {
  loading ??= import(new URL(address, document.baseURI).href).then(async (module) => {
    await module.default();
    generator = module;
  });
  return loading;
}
export function run_generator(spec, format) {
  return generator.generate(spec, format);
}
export function run_import(resource, current) {
  return generator.import_resource(resource, current);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch_text)]
    fn fetch_text_js(address: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = load_generator)]
    fn load_generator_js(address: &str) -> Result<js_sys::Promise, JsValue>;
    /// The code generator's `generate` (see `generator`); only after `load_generator`.
    pub fn run_generator(spec: &str, format: &str) -> Option<String>;
    /// The code generator's `import_resource`; only after `load_generator`.
    pub fn run_import(resource: &str, current: &str) -> String;
}

/// A text file from the page's own origin.
pub async fn fetch_text(address: &str) -> Result<String, String> {
    let text = JsFuture::from(fetch_text_js(address).map_err(js_error)?).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// Imports the code generator's module and starts it.
pub async fn load_generator(address: &str) -> Result<(), String> {
    JsFuture::from(load_generator_js(address).map_err(js_error)?).await.map(|_| ()).map_err(js_error)
}

fn js_error(e: JsValue) -> String {
    e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default()
}

/// Offers `bytes` as a file download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(js_error)?.dyn_into().map_err(|_| "not an anchor")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url).map_err(js_error)
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    JsFuture::from(navigator.clipboard().write_text(text)).await.map(|_| ()).map_err(js_error)
}

/// The text of a file the user picked.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// Moves keyboard focus to the first of these element ids that exists (after
/// the current render, so that a tab switched to is visible first).
pub fn focus(ids: [String; 2]) {
    leptos::prelude::request_animation_frame(move || {
        let document = web_sys::window().and_then(|w| w.document());
        let element = ids
            .iter()
            .find_map(|id| document.as_ref()?.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
            element.scroll_into_view();
        }
    });
}
