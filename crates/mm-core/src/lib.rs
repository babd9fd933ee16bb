//! # mm-core: a kernel-exact model of Linux memory management
//!
//! A deterministic simulation of what the Linux kernel (v6.19, x86-64, 4 KiB pages)
//! does with physical memory: zones, the buddy allocator, watermarks, and the /proc
//! files that show them, byte for byte. No browser, clock or randomness: the same
//! commands give the same output and the same micro-step [`Event`]s everywhere.
//!
//! Start with [`Machine`]: boot one, [`Machine::run`] lines of the command language,
//! read each [`Outcome`]'s output and events.
//!
//! ```
//! use mm_core::Machine;
//! let mut m = Machine::default(); // mem=1G cpus=2
//! assert_eq!(
//!     m.run("cat /proc/buddyinfo | head -n 1").output,
//!     "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
//! );
//! ```
#![warn(missing_docs)]

pub mod boot;
pub mod buddy_free;
pub mod event;
pub mod free_area;
pub mod gfp;
pub mod help;
mod invariants;
pub mod lesson;
pub mod machine;
pub mod memmap;
pub mod migrate;
pub mod node;
pub mod page_alloc;
pub mod page_info;
pub mod pcp;
pub mod procfs;
pub mod rmqueue;
pub mod shell;
pub mod size;
pub mod slub;
mod slub_shell;
pub mod sysctl;
pub mod transcript;
pub mod types;
pub mod view;
pub mod vm;
mod vm_shell;
pub mod watermark;
pub mod zone;

pub use boot::BootParams;
pub use event::Event;
pub use machine::{Machine, Outcome};
pub use types::Pfn;
pub use zone::ZoneType;
