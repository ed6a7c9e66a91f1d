//! `_X_AMZN_TRACE_ID`: the invocation's X-Ray trace header in the process environment, with
//! bounded memory and without rewriting memory a concurrent reader may be looking at.
//!
//! # Why not `std::env::set_var`
//!
//! The AWS SDKs read `_X_AMZN_TRACE_ID` (recursion detection, X-Ray propagation), so in
//! single-concurrency mode the runtime sets it for every invocation. With `set_var`, that costs
//! memory forever: glibc's `setenv` never frees a replaced value (a thread may still be reading it
//! through the pointer `getenv` gave it), so a unique trace id per invocation leaks about 140 bytes
//! each time: 140 MB after a million invocations. `set_var` is also unsound next to threads that
//! read the environment (it is `unsafe` in edition 2024), and a tokio runtime has such threads.
//!
//! # The design
//!
//! The process owns [`SLOTS`] buffers, allocated once and never freed, each holding a whole
//! `_X_AMZN_TRACE_ID=value\0` entry. Setting the variable writes the next buffer in the ring and
//! hands it to `putenv`, which stores the buffer's *pointer* in `environ` (for a name already
//! there, glibc and musl replace the one pointer in place, under their environment lock; nothing
//! is copied, reallocated or freed). So:
//!
//! - **Memory is bounded**: `SLOTS` buffers, whatever the number of invocations.
//! - **A reader never sees freed memory**: buffers live for the rest of the process, and every
//!   buffer ends with a NUL within its capacity, so even a stale pointer reads a terminated string.
//! - **A reader never sees a buffer being rewritten** in practice: the buffer written is the one
//!   that left `environ` `SLOTS - 1` invocations ago. A reader who took its pointer before that
//!   would have had to stay suspended, mid-copy of a hundred bytes, for seven whole invocations.
//!   (`getenv`'s own contract is weaker: POSIX lets any later `setenv` invalidate its result.)
//! - **The new value is complete before it is visible**: a release fence orders the buffer's
//!   writes before `putenv` publishes its pointer; readers follow the pointer (an address
//!   dependency), so they see the bytes written before it, on x86_64 and on arm64.
//! - **`environ` itself grows once**: the first `putenv` adds the name (as the first `set_var`
//!   would). The loop does that before its first `next`, when the function's initialization is
//!   done and no handler runs yet; every later change replaces a pointer in place.
//!
//! A trace header longer than the buffers (256 bytes at first) makes a new, larger ring (twice the
//! size, up to [`MAX_VALUE`]); the old ring stays allocated, because a reader may hold one of its
//! pointers. Sizes double, so all rings together stay under twice the last one. A header longer
//! than `MAX_VALUE` (X-Ray headers are about 100 bytes) is not exported: the variable is set empty
//! and a warning logged. So is a missing trace header: the SDKs treat an empty value as absent, and
//! removing the name would shift `environ` under a concurrent reader.
//!
//! With multi-concurrency (Lambda Managed Instances) the variable is never set: one process serves
//! several traces at once; read the trace id from the [`Context`](crate::Context) instead.
//!
//! This is the only module of the crate with `unsafe` code. On targets other than Unix the
//! variable is not exported.

#![allow(unsafe_code)]

/// How many buffers the ring holds.
pub(crate) const SLOTS: usize = 8;

/// The longest trace header exported, in bytes.
pub(crate) const MAX_VALUE: usize = 8 * 1024;

/// The variable's name.
pub(crate) const VAR: &str = "_X_AMZN_TRACE_ID";

/// Sets `_X_AMZN_TRACE_ID` to `trace_id` (empty for `None`), as described in the module docs.
#[cfg(unix)]
pub(crate) fn export(trace_id: Option<&str>) {
    imp::export(trace_id.unwrap_or_default());
}

/// Sets `_X_AMZN_TRACE_ID`: not on this target (see the module docs).
#[cfg(not(unix))]
pub(crate) fn export(_trace_id: Option<&str>) {}

#[cfg(unix)]
mod imp {
    use std::ffi::{c_char, c_int};
    use std::sync::atomic::{fence, Ordering};
    use std::sync::Mutex;

    use super::{MAX_VALUE, SLOTS, VAR};

    extern "C" {
        /// POSIX `putenv`: `environ` keeps `string` itself (not a copy) as the entry.
        fn putenv(string: *mut c_char) -> c_int;
    }

    const INITIAL_CAPACITY: usize = 256;

    /// The ring of buffers. Each pointer is the start of a leaked, `capacity`-byte allocation.
    struct Ring {
        buffers: [*mut u8; SLOTS],
        capacity: usize,
        /// The buffer most recently handed to `putenv`.
        current: usize,
    }

    // SAFETY: the pointers are to leaked heap memory owned by no thread; every access goes
    // through the `RING` mutex.
    unsafe impl Send for Ring {}

    impl Ring {
        fn new(capacity: usize) -> Ring {
            let buffers = std::array::from_fn(|_| {
                Box::leak(vec![0u8; capacity].into_boxed_slice()).as_mut_ptr()
            });
            Ring {
                buffers,
                capacity,
                current: SLOTS - 1,
            }
        }
    }

    /// One ring for the process: `environ` is process-wide, and so must the rotation be.
    static RING: Mutex<Option<Ring>> = Mutex::new(None);

    pub(super) fn export(value: &str) {
        let value = if value.len() > MAX_VALUE || value.contains('\0') {
            tracing::warn!(
                length = value.len(),
                "the X-Ray trace header is longer than {MAX_VALUE} bytes or contains NUL: \
                 {VAR} is set empty for this invocation"
            );
            ""
        } else {
            value
        };
        let entry_len = VAR.len() + 1 + value.len() + 1;
        let mut guard = RING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.as_ref().is_none_or(|ring| ring.capacity < entry_len) {
            // Too small (or not made yet): a new ring; the old one stays allocated (module docs).
            let mut capacity = guard
                .as_ref()
                .map_or(INITIAL_CAPACITY, |ring| ring.capacity * 2);
            while capacity < entry_len {
                capacity *= 2;
            }
            *guard = Some(Ring::new(capacity));
        }
        let Some(ring) = guard.as_mut() else {
            return;
        };
        let slot = (ring.current + 1) % SLOTS;
        let buffer = ring.buffers[slot];
        // SAFETY: `buffer` is a live (leaked) allocation of `capacity >= entry_len` bytes. It is
        // not the entry in `environ` (that is `ring.current`'s, or another ring's), and no reader
        // has been handed it for `SLOTS - 1` updates (module docs); the mutex excludes writers.
        unsafe {
            let bytes = std::slice::from_raw_parts_mut(buffer, entry_len);
            let (name, rest) = bytes.split_at_mut(VAR.len());
            name.copy_from_slice(VAR.as_bytes());
            rest[0] = b'=';
            rest[1..1 + value.len()].copy_from_slice(value.as_bytes());
            rest[1 + value.len()] = 0;
        }
        // The entry's bytes are written before `putenv` makes its pointer visible.
        fence(Ordering::Release);
        // SAFETY: `buffer` holds a NUL-terminated `NAME=value` string and lives (unchanged while
        // in `environ`) for the rest of the process, as `putenv` requires.
        let status = unsafe { putenv(buffer.cast::<c_char>()) };
        if status != 0 {
            tracing::warn!(
                error = %std::io::Error::last_os_error(),
                "cannot set {VAR}"
            );
            return;
        }
        ring.current = slot;
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    // One test touches the variable, so that the assertions see this test's values only.
    #[test]
    fn the_variable_follows_each_export_and_survives_growth() {
        export(Some("Root=1-00000000-000000000000000000000001"));
        assert_eq!(
            std::env::var(VAR).unwrap(),
            "Root=1-00000000-000000000000000000000001"
        );
        for i in 0..(3 * SLOTS) {
            let id = format!("Root=1-00000000-{i:024}");
            export(Some(&id));
            assert_eq!(std::env::var(VAR).unwrap(), id);
        }
        export(None);
        assert_eq!(std::env::var(VAR).unwrap(), "");
        let long = "x".repeat(1000);
        export(Some(&long));
        assert_eq!(std::env::var(VAR).unwrap(), long);
        let too_long = "y".repeat(MAX_VALUE + 1);
        export(Some(&too_long));
        assert_eq!(std::env::var(VAR).unwrap(), "");
        export(Some("after"));
        assert_eq!(std::env::var(VAR).unwrap(), "after");
    }
}
