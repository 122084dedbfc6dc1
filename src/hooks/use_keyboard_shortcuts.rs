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
    ZoomIn,
    ZoomOut,
    ZoomWhole,
    PanEarlier,
    PanLater,
    /// Zoom to what the "why" panel explains.
    ZoomToExplained,
}

/// Maps a key to a shortcut. Keys typed into a text field or select belong
/// to that field, and Space/Enter on a button or checkbox press it.
/// `modifiers` is Ctrl, Alt or Meta (the browser's); Shift turns the arrows
/// from stepping into panning.
pub fn shortcut_for(
    key: &str,
    target_tag: &str,
    target_type: &str,
    modifiers: bool,
    shift: bool,
) -> Option<Shortcut> {
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
        "ArrowRight" if shift => Some(Shortcut::PanLater),
        "ArrowLeft" if shift => Some(Shortcut::PanEarlier),
        "ArrowRight" | "." if !scrubbing => Some(Shortcut::StepForward),
        "ArrowLeft" | "," if !scrubbing => Some(Shortcut::StepBack),
        "Home" if !scrubbing => Some(Shortcut::ToStart),
        "End" if !scrubbing => Some(Shortcut::ToEnd),
        "]" => Some(Shortcut::Faster),
        "[" => Some(Shortcut::Slower),
        "+" | "=" => Some(Shortcut::ZoomIn),
        "-" => Some(Shortcut::ZoomOut),
        "0" => Some(Shortcut::ZoomWhole),
        "z" => Some(Shortcut::ZoomToExplained),
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
                if let Some(shortcut) = shortcut_for(&event.key(), &tag, &kind, modifiers, event.shift_key())
                {
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
        assert_eq!(shortcut_for(" ", "INPUT", "text", false, false), None);
        assert_eq!(shortcut_for("ArrowRight", "input", "text", false, false), None);
        assert_eq!(shortcut_for(" ", "SELECT", "", false, false), None);
    }

    #[test]
    fn space_on_a_button_presses_the_button_not_play() {
        assert_eq!(shortcut_for(" ", "BUTTON", "button", false, false), None);
        assert_eq!(shortcut_for("ArrowRight", "BUTTON", "button", false, false), Some(Shortcut::StepForward));
    }

    #[test]
    fn the_scrubber_keeps_its_own_arrow_keys() {
        assert_eq!(shortcut_for("ArrowLeft", "INPUT", "range", false, false), None);
        assert_eq!(shortcut_for(" ", "INPUT", "range", false, false), Some(Shortcut::TogglePlay));
    }

    #[test]
    fn shortcuts_on_the_page() {
        assert_eq!(shortcut_for(" ", "BODY", "", false, false), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut_for("ArrowLeft", "rect", "", false, false), Some(Shortcut::StepBack));
        assert_eq!(shortcut_for("Home", "BODY", "", false, false), Some(Shortcut::ToStart));
        assert_eq!(shortcut_for("End", "BODY", "", false, false), Some(Shortcut::ToEnd));
        assert_eq!(shortcut_for("]", "BODY", "", false, false), Some(Shortcut::Faster));
        assert_eq!(shortcut_for("[", "BODY", "", false, false), Some(Shortcut::Slower));
        assert_eq!(shortcut_for("ArrowRight", "BODY", "", true, false), None, "Alt+→ is the browser's");
    }

    #[test]
    fn zoom_and_pan_keys() {
        assert_eq!(shortcut_for("+", "BODY", "", false, true), Some(Shortcut::ZoomIn));
        assert_eq!(shortcut_for("=", "BODY", "", false, false), Some(Shortcut::ZoomIn));
        assert_eq!(shortcut_for("-", "BODY", "", false, false), Some(Shortcut::ZoomOut));
        assert_eq!(shortcut_for("0", "BODY", "", false, false), Some(Shortcut::ZoomWhole));
        assert_eq!(shortcut_for("z", "rect", "", false, false), Some(Shortcut::ZoomToExplained));
        assert_eq!(shortcut_for("ArrowRight", "BODY", "", false, true), Some(Shortcut::PanLater));
        assert_eq!(shortcut_for("ArrowLeft", "rect", "", false, true), Some(Shortcut::PanEarlier));
        // Typing a minus sign or a zero into a field stays typing; Ctrl+0 is the browser's zoom.
        assert_eq!(shortcut_for("-", "INPUT", "text", false, false), None);
        assert_eq!(shortcut_for("0", "BODY", "", true, false), None);
    }
}
