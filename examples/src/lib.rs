//! Shared nothing: each example is its own program under `examples/examples/`.
