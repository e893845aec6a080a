//! Raw filter strings (what a caller may pass to `list` as text) through the emulator's parser
//! and matcher, and the client's date check (`exto360_fuzz::filter::check_raw`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        exto360_fuzz::filter::check_raw(s);
    }
});
