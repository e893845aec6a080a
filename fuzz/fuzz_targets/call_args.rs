//! `exto360::json::call` / `json::pages` argument decoding and validation for every operation.
//! Input: the operation name, a newline, the JSON arguments (seeds: every conformance case).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(nl) = data.iter().position(|&b| b == b'\n') else { return };
    let (Ok(op), Ok(args)) = (std::str::from_utf8(&data[..nl]), serde_json::from_slice::<serde_json::Value>(&data[nl + 1..])) else { return };
    let has_token = data.windows(6).any(|w| w == b"Secret");
    exto360_fuzz::call::check(op.trim(), &args, has_token);
});
