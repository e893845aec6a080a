//! A filter's JSON form (what every binding passes) → `filter_from_json` → `render`, checked
//! against the emulator's parser (`exto360_fuzz::filter`). Seeds: REFERENCE.md §11 and the
//! conformance filter cases.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(spec) = serde_json::from_slice::<serde_json::Value>(data) {
        exto360_fuzz::filter::check_filter_json(&spec);
    }
});
