//! Browser hooks: the playback frame loop, global keyboard shortcuts, the
//! views' size, and zoom/pan gestures on the timelines.

mod use_animation_frame;
mod use_element_width;
mod use_keyboard_shortcuts;
mod use_time_gestures;

pub use use_animation_frame::use_animation_frame;
pub use use_element_width::use_view_size;
pub use use_keyboard_shortcuts::{shortcut_for, use_keyboard_shortcuts, Shortcut};
pub use use_time_gestures::use_time_gestures;
