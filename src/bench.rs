//! `window.reuseLab`: hooks for the end-to-end test and for people curious
//! about speed, measured from JavaScript with `performance.now()`.
//!
//! - `reuseLab.resimulate(presetId)`: simulates the preset under all three
//!   protocols and builds the views' data, exactly what a change in the
//!   control panel does before drawing; returns the number of trace events.
//! - `reuseLab.presets()`: the preset ids, in picker order.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::view_model::Run;

pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let hooks = Object::new();
    let resimulate = Closure::<dyn Fn(String) -> Result<f64, JsValue>>::new(|id: String| {
        let preset = reuse_sim::presets::find(&id)
            .ok_or_else(|| JsValue::from_str(&format!("unknown preset \"{id}\"")))?;
        let run = Run::simulate(&preset.scenario()).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(run.protocols.iter().map(|p| p.output.trace.len()).sum::<usize>() as f64)
    });
    let presets = Closure::<dyn Fn() -> Array>::new(|| {
        // The first load's picker also lists the full build's own presets.
        let elsewhere =
            crate::full_build::FULL_BUILD_ONLY_PRESETS.iter().filter(|_| !crate::full_build::is_full_build());
        reuse_sim::presets::all()
            .iter()
            .map(|p| p.id)
            .chain(elsewhere.map(|(id, _)| *id))
            .map(JsValue::from_str)
            .collect::<Array>()
    });
    let _ = Reflect::set(&hooks, &"resimulate".into(), resimulate.as_ref());
    let _ = Reflect::set(&hooks, &"presets".into(), presets.as_ref());
    let _ = Reflect::set(&window, &"reuseLab".into(), &hooks);
    // Installed once for the page's lifetime.
    resimulate.forget();
    presets.forget();
}
