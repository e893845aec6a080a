//! List answers as the server may send them: both record list shapes and the users list
//! shapes (`exto360_fuzz::page`). Seeds: the answers of REFERENCE.md and of the emulator.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (page, size) in [(1, 1000), (2, 2)] {
        exto360_fuzz::page::check_records(data, page, size);
        exto360_fuzz::page::check_users(data, page, size);
    }
});
