//! Helpers shared by the benchmark binaries.

use std::time::Duration;

/// CPU time (user + system) of this process so far.
pub fn cpu_time() -> Duration {
    let mut ru = std::mem::MaybeUninit::<libc_rusage>::uninit();
    // SAFETY: getrusage writes a full struct rusage into the pointer on success.
    let rc = unsafe { getrusage(0, ru.as_mut_ptr()) };
    if rc != 0 {
        return Duration::ZERO;
    }
    // SAFETY: initialised by the successful call above.
    let ru = unsafe { ru.assume_init() };
    let tv = |s: i64, us: i64| Duration::from_secs(s as u64) + Duration::from_micros(us as u64);
    tv(ru.ru_utime_sec, ru.ru_utime_usec) + tv(ru.ru_stime_sec, ru.ru_stime_usec)
}

/// Peak resident set size of this process (VmHWM), in bytes.
pub fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

#[repr(C)]
struct libc_rusage {
    ru_utime_sec: i64,
    ru_utime_usec: i64,
    ru_stime_sec: i64,
    ru_stime_usec: i64,
    _rest: [i64; 14],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut libc_rusage) -> i32;
}

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
