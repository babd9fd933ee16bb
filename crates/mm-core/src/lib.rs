//! # mm-core: a kernel-exact model of Linux memory management
//!
//! A deterministic simulation of what the Linux kernel (v6.19, x86-64, 4 KiB pages)
//! does with memory: zones and the buddy allocator, SLUB, processes with their page
//! tables, overcommit and the OOM killer, and the /proc files that show them, byte for
//! byte. No browser, clock or randomness: the same commands give the same output and
//! the same micro-step [`Event`]s everywhere.
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
//!
//! The layers, lowest first (a file never imports a higher layer; see
//! `ARCHITECTURE.md`): [`vocab`]; the declarations (events, errors, the trace, the
//! log, the tunables); [`page_alloc`]; [`kernel`]; [`slub`]; [`vm`]; each subsystem's
//! commands and /proc renderers; [`machine`]; [`procfs`]'s registry; [`shell`]; and on
//! top the lessons, transcripts and views the front ends read.
#![warn(missing_docs)]
// The docs are built with the private items too (`cargo xtask test doc`), so links from
// the public overview into the subsystems resolve there.
#![allow(rustdoc::private_intra_doc_links)]

pub mod boot;
mod command;
mod compaction;
pub mod error;
pub mod event;
pub mod import;
mod kernel;
pub mod lesson;
pub mod limits;
mod machine;
mod page_alloc;
mod printk;
mod procfs;
mod ratelimit;
mod shell;
mod slub;
pub mod sysctl;
pub mod transcript;
pub mod views;
mod vm;
mod vmscan;
pub mod vocab;

pub use boot::BootParams;
pub use error::{CommandError, Error, Failure};
pub use event::Event;
pub use machine::Machine;
pub use page_alloc::memmap::PageUse;
#[cfg(feature = "help-details")]
pub use shell::registry::details_file;
pub use shell::registry::{
    command_infos, filter_infos, help, CommandInfo, DETAILS_ELSEWHERE, LIMITS_ELSEWHERE,
};
pub use shell::Outcome;
pub use vocab::{Pfn, ZoneType};
