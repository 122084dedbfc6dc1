//! The export worker: a second WebAssembly module, loaded by `src/export.js`
//! on the first export click so that the SVG renderer, the HAR writer and
//! the JSON serialiser never weigh on the app's first load.
//!
//! Message in: `{id, kind, view, query}` (see `reuse_lab::export::export`).
//! Message out: `{id, name, mime, text}` or `{id, error}`. It also runs the
//! curve view's jobs (kinds `sweep-…`, `reuse_lab::curve::answer`, with the
//! job's body in `view`), answering `{id, text}` or `{id, error}`. On start it posts
//! `{ready: true}`: messages sent before the module is instantiated would be
//! lost, so the page waits for it.

#[cfg(target_arch = "wasm32")]
fn main() {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let text =
            |key: &str| Reflect::get(&data, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let reply = Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&reply, &key.into(), &value);
        };
        set("id", Reflect::get(&data, &"id".into()).unwrap_or(JsValue::NULL));
        let kind = text("kind");
        // The curve view's jobs (`reuse_lab::curve`): `view` is the job's body.
        if kind.starts_with("sweep-") {
            match reuse_lab::curve::answer(&kind, &text("query"), &text("view")) {
                Ok(answer) => set("text", answer.into()),
                Err(message) => set("error", message.into()),
            }
            let _ = reply_to.post_message(&reply);
            return;
        }
        match reuse_lab::export::export(&kind, &text("view"), &text("query")) {
            Ok(file) => {
                set("name", file.name.into());
                set("mime", file.mime.into());
                set("text", file.text.into());
            }
            Err(message) => set("error", message.into()),
        }
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// Natively there is nothing to run: `cargo test` builds every binary.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("reuse-export is the web app's export worker; it runs in the browser (see src/export.rs)");
}
