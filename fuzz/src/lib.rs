//! The properties the fuzz targets check, shared between them. Each `check_*` function panics
//! (which libFuzzer reports as a crash, with the input saved under `artifacts/`) when a property
//! does not hold; "does not panic, hang or run out of memory" is checked by libFuzzer itself.

pub mod call;
pub mod filter;
pub mod page;
pub mod tape;

/// The Python binding's tape decoder, compiled from its own source file: the file is pure Rust
/// (serde, rustc-hash and the core's `RowsDecoder`), so including it by path fuzzes exactly the
/// code the wheel ships without building pyo3 or needing a Python interpreter.
#[path = "../../python/src/tape.rs"]
#[allow(dead_code)]
pub mod python_tape;
