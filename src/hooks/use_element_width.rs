use gloo::events::EventListener;
use yew::prelude::*;

/// Reports, after mounting and on every window resize, the width of `views`
/// (CSS px) and the height the lanes (`[data-testid=lanes]` inside it) may
/// take while staying on the first screen: from their top (in the page) to
/// the bottom of the window, less the "why" panel stuck there (`.why`). No
/// lanes (an embed without them): no height.
#[hook]
pub fn use_view_size(views: NodeRef, on_size: Callback<(f64, Option<f64>)>) {
    use_effect_with((), move |_| {
        let measure = move || {
            let Some(window) = web_sys::window() else { return };
            let Some(el) = views.cast::<web_sys::Element>() else { return };
            let room = el.query_selector("[data-testid=lanes]").ok().flatten().and_then(|lanes| {
                let inner = window.inner_height().ok()?.as_f64()?;
                let top = lanes.get_bounding_client_rect().top() + window.scroll_y().ok()?;
                let why = window
                    .document()?
                    .query_selector(".why")
                    .ok()
                    .flatten()
                    .map_or(0.0, |w| w.get_bounding_client_rect().height());
                Some(inner - top - why - 8.0)
            });
            on_size.emit((el.client_width() as f64, room));
        };
        measure();
        let listener = web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
        move || drop(listener)
    });
}
