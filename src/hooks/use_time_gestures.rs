use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/gestures.js")]
extern "C" {
    /// Listens for wheel, drag and pinch on the timelines inside `el`;
    /// returns the function that stops listening.
    #[wasm_bindgen(js_name = attachGestures)]
    fn attach_gestures(el: &web_sys::Element, zoom: &JsValue, pan: &JsValue) -> js_sys::Function;
}

/// Zoom and pan gestures on every timeline inside `node` (see
/// `src/gestures.js`): `on_zoom(factor, share)` with `share` the pointer's
/// place across the plot (0 to 1; negative: around the playhead), and
/// `on_pan(share)` by a share of the plot's width (positive = later).
#[hook]
pub fn use_time_gestures(node: NodeRef, on_zoom: Callback<(f64, f64)>, on_pan: Callback<f64>) {
    use_effect_with((), move |_| {
        let zoom = Closure::<dyn Fn(f64, f64)>::new(move |factor, share| on_zoom.emit((factor, share)));
        let pan = Closure::<dyn Fn(f64)>::new(move |share| on_pan.emit(share));
        let detach =
            node.cast::<web_sys::Element>().map(|el| attach_gestures(&el, zoom.as_ref(), pan.as_ref()));
        move || {
            if let Some(detach) = detach {
                let _ = detach.call0(&JsValue::NULL);
            }
            // The closures live until the listeners are gone.
            drop((zoom, pan));
        }
    });
}
