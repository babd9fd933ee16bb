//! One component per file.

pub mod app;
pub mod blocks_panel;
pub mod buddy_panel;
pub mod commit_panel;
pub mod controls;
pub mod demo;
pub mod embed;
pub mod export_menu;
pub mod help;
pub mod imported_bar;
pub mod lesson_editor;
pub mod lesson_panel;
pub mod memory_map;
pub mod narration;
pub mod prediction;
pub mod pressure_panel;
pub mod process_panel;
pub mod slab_panel;
pub mod terminal;
pub mod timeline;
pub mod walk_panel;

use crate::state::AppState;
use yew::UseReducerHandle;

/// The state handle every component reads from the context.
pub type StateHandle = UseReducerHandle<AppState>;
