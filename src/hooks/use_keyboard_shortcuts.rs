use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The app's keyboard shortcuts (listed in the help line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    StepForward,
    StepBack,
    ToStart,
    ToEnd,
    Faster,
    Slower,
}

/// Maps a key to a shortcut. Keys typed into a text field or select belong
/// to that field, and Space/Enter on a button or checkbox press it.
pub fn shortcut_for(key: &str, target_tag: &str, target_type: &str, modifiers: bool) -> Option<Shortcut> {
    if modifiers {
        return None;
    }
    let tag = target_tag.to_ascii_uppercase();
    let typing = tag == "TEXTAREA"
        || tag == "SELECT"
        || (tag == "INPUT" && !matches!(target_type, "checkbox" | "radio" | "range" | "button"));
    if typing {
        return None;
    }
    let pressing = tag == "BUTTON" || tag == "SUMMARY" || (tag == "INPUT" && target_type != "range");
    // A range input (the scrubber) handles arrows and Home/End itself.
    let scrubbing = tag == "INPUT" && target_type == "range";
    match key {
        " " | "Spacebar" | "k" if !pressing => Some(Shortcut::TogglePlay),
        "ArrowRight" | "." if !scrubbing => Some(Shortcut::StepForward),
        "ArrowLeft" | "," if !scrubbing => Some(Shortcut::StepBack),
        "Home" if !scrubbing => Some(Shortcut::ToStart),
        "End" if !scrubbing => Some(Shortcut::ToEnd),
        "]" | "+" => Some(Shortcut::Faster),
        "[" | "-" => Some(Shortcut::Slower),
        _ => None,
    }
}

/// Listens for shortcuts on the whole document.
#[hook]
pub fn use_keyboard_shortcuts(on_shortcut: Callback<Shortcut>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&doc, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let tag = target.as_ref().map(|t| t.tag_name()).unwrap_or_default();
                let kind = target.as_ref().and_then(|t| t.get_attribute("type")).unwrap_or_default();
                let modifiers = event.ctrl_key() || event.meta_key() || event.alt_key();
                if let Some(shortcut) = shortcut_for(&event.key(), &tag, &kind, modifiers) {
                    event.prevent_default();
                    on_shortcut.emit(shortcut);
                }
            })
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_typed_into_fields_belong_to_the_field() {
        assert_eq!(shortcut_for(" ", "INPUT", "text", false), None);
        assert_eq!(shortcut_for("ArrowRight", "input", "text", false), None);
        assert_eq!(shortcut_for(" ", "SELECT", "", false), None);
    }

    #[test]
    fn space_on_a_button_presses_the_button_not_play() {
        assert_eq!(shortcut_for(" ", "BUTTON", "button", false), None);
        assert_eq!(shortcut_for("ArrowRight", "BUTTON", "button", false), Some(Shortcut::StepForward));
    }

    #[test]
    fn the_scrubber_keeps_its_own_arrow_keys() {
        assert_eq!(shortcut_for("ArrowLeft", "INPUT", "range", false), None);
        assert_eq!(shortcut_for(" ", "INPUT", "range", false), Some(Shortcut::TogglePlay));
    }

    #[test]
    fn shortcuts_on_the_page() {
        assert_eq!(shortcut_for(" ", "BODY", "", false), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut_for("ArrowLeft", "rect", "", false), Some(Shortcut::StepBack));
        assert_eq!(shortcut_for("Home", "BODY", "", false), Some(Shortcut::ToStart));
        assert_eq!(shortcut_for("End", "BODY", "", false), Some(Shortcut::ToEnd));
        assert_eq!(shortcut_for("]", "BODY", "", false), Some(Shortcut::Faster));
        assert_eq!(shortcut_for("[", "BODY", "", false), Some(Shortcut::Slower));
        assert_eq!(shortcut_for("ArrowRight", "BODY", "", true), None, "Alt+→ is the browser's");
    }
}
