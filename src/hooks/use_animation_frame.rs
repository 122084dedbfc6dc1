use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

type FrameClosure = Closure<dyn FnMut(f64)>;

/// Calls `on_frame(performance.now())` on every animation frame while
/// `active`. One persistent closure re-arms itself, so nothing is dropped
/// while it runs; turning `active` off cancels the pending frame.
#[hook]
pub fn use_animation_frame(active: bool, on_frame: Callback<f64>) {
    use_effect_with(active, move |&active| {
        let running = Rc::new(Cell::new(active));
        let pending: Rc<Cell<Option<i32>>> = Rc::new(Cell::new(None));
        let frame: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        if active {
            let (running2, pending2, frame2) = (running.clone(), pending.clone(), frame.clone());
            *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
                pending2.set(None);
                if !running2.get() {
                    return;
                }
                on_frame.emit(now);
                if let (Some(window), Some(f)) = (web_sys::window(), frame2.borrow().as_ref()) {
                    pending2.set(window.request_animation_frame(f.as_ref().unchecked_ref()).ok());
                }
            }));
            if let (Some(window), Some(f)) = (web_sys::window(), frame.borrow().as_ref()) {
                pending.set(window.request_animation_frame(f.as_ref().unchecked_ref()).ok());
            }
        }
        move || {
            running.set(false);
            if let (Some(window), Some(id)) = (web_sys::window(), pending.take()) {
                let _ = window.cancel_animation_frame(id);
            }
            // Breaks the closure's reference to itself (it is not running now).
            frame.borrow_mut().take();
        }
    });
}
