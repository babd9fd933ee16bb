//! The simulated `/proc`: each file rendered byte for byte in the kernel's format
//! (`mm/vmstat.c`, `fs/proc/meminfo.c`), from the machine's state.

mod buddyinfo;
mod meminfo;
mod pagetypeinfo;
mod pid;
mod slabinfo;
mod zoneinfo;

pub use buddyinfo::buddyinfo;
pub use meminfo::{meminfo, Meminfo};
pub use pagetypeinfo::pagetypeinfo;
pub use pid::{maps, status};
pub use slabinfo::slabinfo;
pub use zoneinfo::zoneinfo;
