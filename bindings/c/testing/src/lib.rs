//! `libexto360_testing`: an in-process emulator of the Data API for the tests of C programs
//! (`include/exto360_testing.h`). Kept out of `libexto360` so production programs do not carry
//! it. Its errors and strings are freed with libexto360's exto360_error_free and
//! exto360_string_free.

#![allow(non_camel_case_types)]
// Every pointer is checked before use; the safety contract of each function is in its docs.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{CString, c_char};

use exto360_c_common::*;
use serde_json::{Value, json};

/// An in-process emulator of the Data API, for tests of your own code.
pub struct exto360_emulator {
    /// The process that started it: the server's threads run there only.
    pid: u32,
    emu: emulator::Emulator,
    url: CString,
    token: CString,
}

/// Starts an emulator on 127.0.0.1 (a free port). `options_json`: `{"dataset": {...},
/// "settings": {"rateLimit": 3, ...}, "token": "..."}` or NULL (demo dataset, no rate limit).
/// It serves from the process that started it: in a child of fork() its URL still works, the
/// other functions answer EXTO360_INVALID_ARGUMENT, and exto360_emulator_free only releases it.
/// @param out receives the emulator; stop and free it with exto360_emulator_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_start(options_json: *const c_char, out: *mut *mut exto360_emulator, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        use emulator::{Dataset, Emulator, Settings};
        check_out(out, "out")?;
        let opts = json_arg(options_json, "options_json", json!({}))?;
        let data = match opts.get("dataset") {
            Some(d) if !d.is_null() => serde_json::from_value::<Dataset>(d.clone()).map_err(|e| invalid(format!("invalid dataset: {e}")))?,
            _ => Dataset::demo(),
        };
        let mut settings = serde_json::to_value(Settings { rate_limit: None, ..Default::default() }).unwrap_or_default();
        if let Some(Value::Object(s)) = opts.get("settings") {
            for (k, v) in s {
                settings[k] = v.clone();
            }
        }
        let settings: Settings = serde_json::from_value(settings).map_err(|e| invalid(format!("invalid settings: {e}")))?;
        let mut b = Emulator::builder().dataset(data).settings(settings);
        if let Some(t) = opts.get("token").and_then(Value::as_str) {
            b = b.token(t);
        }
        let emu = b.spawn().map_err(|e| invalid(format!("cannot start the emulator: {e}")))?;
        let (url, token) = (c_string(&emu.url()), c_string(&emu.token()));
        // SAFETY: checked non-NULL above.
        unsafe { *out = Box::into_raw(Box::new(exto360_emulator { pid: pid(), emu, url, token })) };
        Ok(())
    })
}

/// The emulator's base URL. Borrowed: valid until the emulator is freed. NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_url(emu: *const exto360_emulator) -> *const c_char {
    // SAFETY: NULL is handled; otherwise a live emulator.
    unsafe { emu.as_ref() }.map_or(std::ptr::null(), |e| e.url.as_ptr())
}

/// The emulator's token. Borrowed: valid until the emulator is freed. NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_token(emu: *const exto360_emulator) -> *const c_char {
    // SAFETY: NULL is handled; otherwise a live emulator.
    unsafe { emu.as_ref() }.map_or(std::ptr::null(), |e| e.token.as_ptr())
}

fn emu_ref<'a>(emu: *const exto360_emulator) -> Result<&'a emulator::Emulator, Fail> {
    // SAFETY: NULL is handled; otherwise a live emulator.
    let e = unsafe { emu.as_ref() }.ok_or_else(|| invalid("emulator must not be NULL"))?;
    if e.pid != pid() {
        return Err(invalid(format!("this emulator runs in process {}, not in this child of fork(); its URL still serves", e.pid)));
    }
    Ok(&e.emu)
}

/// The request journal as a JSON array (method, path, params, headers with the token masked,
/// body, status). @param out_json free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_journal(emu: *const exto360_emulator, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        check_out(out_json, "out_json")?;
        put_string(out_json, Value::Array(emu_ref(emu)?.journal()).to_string());
        Ok(())
    })
}

/// Replaces the fault rules (a JSON array, e.g. `[{"kind": "status", "status": 503, "times": 1}]`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_set_faults(emu: *const exto360_emulator, faults_json: *const c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let faults = serde_json::from_value(req_json(faults_json, "faults_json")?).map_err(|e| invalid(format!("invalid fault: {e}")))?;
        emu_ref(emu)?.set_faults(faults).map_err(invalid)
    })
}

/// Back to the dataset; clears the journal and faults.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_reset(emu: *const exto360_emulator, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || emu_ref(emu)?.reset().map_err(invalid))
}

/// Stops and frees an emulator. NULL is ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_emulator_free(emu: *mut exto360_emulator) {
    if !emu.is_null() {
        // SAFETY: per the contract, `emu` came from this library and is freed once.
        let e = unsafe { Box::from_raw(emu) };
        if e.pid == pid() {
            e.emu.stop();
        } else {
            // Inherited: the server's threads are the parent's; stopping it would wait forever.
            orphan(e);
        }
    }
}

#[cfg(test)]
mod tests {
    /// The committed header must be what cbindgen generates (`make header` refreshes it).
    #[test]
    fn committed_header_matches_the_code() {
        let fresh = include_str!(concat!(env!("OUT_DIR"), "/exto360_testing.h"));
        let committed = include_str!("../../include/exto360_testing.h");
        assert!(fresh == committed, "bindings/c/include/exto360_testing.h is out of date: run `make header` and commit it");
    }
}
