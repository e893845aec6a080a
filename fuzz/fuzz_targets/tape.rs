//! The Python binding's tape decoder (python/src/tape.rs, built by path) against serde_json,
//! alone and as the rows decoder of a page (`exto360_fuzz::tape`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exto360_fuzz::tape::check(data));
