use wasm_bindgen::prelude::*;
use yew::prelude::*;

// `src/gestures.js` is part of the first load and trunk ships snippets as
// written, so its notes are here, not in the file: wheel, drag and pinch on
// the timelines become zoom(factor, share) and pan(share) calls; a share is
// a fraction of the plot's width (the SVG's data-plot="X0 X1"), -1 "around
// the playhead". Plain JS because wheel listeners must not be passive
// (Ctrl+wheel and pinch would zoom the page), and it is smaller than wasm.
// Wheel deltas in lines or pages become pixels (16, 400); a trackpad pinch
// arrives as Ctrl+wheel with small steps; Shift+wheel or a mostly
// horizontal wheel pans; a plain vertical wheel scrolls the page. Pointers
// down on the plot: one drags (pans), two pinch (zoom); a drag of more than
// 4 px is not a click, so the row under it keeps its selection.
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
