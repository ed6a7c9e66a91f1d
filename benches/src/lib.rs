//! The benchmark harness of the workspace (results and how to run them: `BENCHMARKS.md`).
//!
//! - [`server`]: a minimal, fast Runtime API server that hands out a pre-built event a fixed
//!   number of times and measures each exchange;
//! - [`procfs`]: CPU time and peak memory of a process, read from `/proc`;
//! - [`events`]: the benchmark events (~100 B and ~256 KB of JSON);
//! - [`stats`]: percentiles and min / median / max summaries.
//!
//! The function binaries (`ours-echo`, `ours-hello`, `raw-echo`, `official-echo`,
//! `official-hello`) and the driver (`bench`) are this crate's binaries.
#![deny(missing_docs)]

pub mod events;
pub mod procfs;
pub mod server;
pub mod stats;
