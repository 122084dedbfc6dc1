//! Browser hooks: the playback frame loop, global keyboard shortcuts, and the
//! views' width.

mod use_animation_frame;
mod use_element_width;
mod use_keyboard_shortcuts;

pub use use_animation_frame::use_animation_frame;
pub use use_element_width::use_element_width;
pub use use_keyboard_shortcuts::{shortcut_for, use_keyboard_shortcuts, Shortcut};
