use gloo::events::EventListener;
use yew::prelude::*;

/// Reports the element's width (CSS pixels) after mounting and on every
/// window resize.
#[hook]
pub fn use_element_width(node: NodeRef, on_width: Callback<f64>) {
    use_effect_with((), move |_| {
        let measure = {
            let node = node.clone();
            move || {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    on_width.emit(el.client_width() as f64);
                }
            }
        };
        measure();
        let listener = web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
        move || drop(listener)
    });
}
