//! Bring your own machine: a real machine's reports read into the model. `oom`
//! reads an OOM kill from a kernel log and replays its decision.

pub mod oom;
pub mod oom_machine;
pub mod proc;
pub mod proc_machine;
