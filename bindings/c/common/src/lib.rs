//! What the two C libraries share — `libexto360` (the client) and `libexto360_testing` (the
//! emulator for tests): the status codes, the error object, the panic guard and the checks of
//! C arguments. No symbol of this crate is exported; each library exports its own functions.

#![allow(non_camel_case_types)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

use exto360::json;
use serde_json::{Value, json};

/// Outcome of every call. `EXTO360_OK` is 0; the others name the error's kind.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exto360_status {
    EXTO360_OK = 0,
    /// A NULL pointer, invalid UTF-8 or JSON, or an argument the API cannot take; nothing sent.
    EXTO360_INVALID_ARGUMENT = 1,
    /// HTTP 400/405/413/414/422.
    EXTO360_BAD_REQUEST = 2,
    /// HTTP 401.
    EXTO360_UNAUTHORIZED = 3,
    /// HTTP 403.
    EXTO360_FORBIDDEN = 4,
    /// HTTP 404, or the 500 "X not Found." the API answers for unknown masters/modules.
    EXTO360_NOT_FOUND = 5,
    /// HTTP 429 after every retry.
    EXTO360_RATE_LIMITED = 6,
    /// HTTP 5xx.
    EXTO360_SERVER = 7,
    /// No answer within the timeout.
    EXTO360_TIMEOUT = 8,
    /// The connection failed or broke.
    EXTO360_CONNECTION = 9,
    /// The server's answer could not be read.
    EXTO360_INVALID_RESPONSE = 10,
    /// A bug in the library (reported, never a crash).
    EXTO360_INTERNAL = 11,
}

pub use exto360_status::*;

pub fn status_of(kind: exto360::ErrorKind) -> exto360_status {
    use exto360::ErrorKind as K;
    match kind {
        K::InvalidInput => EXTO360_INVALID_ARGUMENT,
        K::BadRequest => EXTO360_BAD_REQUEST,
        K::Unauthorized => EXTO360_UNAUTHORIZED,
        K::Forbidden => EXTO360_FORBIDDEN,
        K::NotFound => EXTO360_NOT_FOUND,
        K::RateLimited => EXTO360_RATE_LIMITED,
        K::Server => EXTO360_SERVER,
        K::Timeout => EXTO360_TIMEOUT,
        K::Connection => EXTO360_CONNECTION,
        K::InvalidResponse => EXTO360_INVALID_RESPONSE,
        _ => EXTO360_INTERNAL,
    }
}

/// An error: kind, HTTP status, message, server summary and details, and its JSON form.
///
/// Errors made by libexto360_testing are freed by libexto360's exto360_error_free: both libraries
/// are built together from this one definition, and both allocate with the system allocator.
pub struct exto360_error {
    pub status: exto360_status,
    pub code: CString,
    pub http: c_int,
    pub message: CString,
    pub summary: Option<CString>,
    pub details: Vec<CString>,
    pub json: CString,
}

pub fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

impl exto360_error {
    pub fn from_core(e: &exto360::Error) -> exto360_error {
        exto360_error {
            status: status_of(e.kind()),
            code: c_string(e.kind().as_str()),
            http: e.status().map_or(0, c_int::from),
            message: c_string(&e.to_string()),
            summary: e.summary().map(c_string),
            details: e.details().iter().map(|d| c_string(d)).collect(),
            json: c_string(&json::error_json(e).to_string()),
        }
    }
    pub fn internal(msg: &str) -> exto360_error {
        let v = json!({"kind": "internal", "message": msg});
        exto360_error {
            status: EXTO360_INTERNAL,
            code: c_string("internal"),
            http: 0,
            message: c_string(msg),
            summary: None,
            details: vec![],
            json: c_string(&v.to_string()),
        }
    }
}

pub type Fail = exto360::Error;

pub fn invalid(msg: impl Into<String>) -> Fail {
    exto360::Error::invalid_input(msg)
}

/// Runs `f`, catching panics, and reports a failure through `err`.
pub fn guard(err: *mut *mut exto360_error, f: impl FnOnce() -> Result<(), Fail>) -> exto360_status {
    let (status, e) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return EXTO360_OK,
        Ok(Err(fail)) => {
            let e = exto360_error::from_core(&fail);
            (e.status, e)
        }
        Err(panic) => {
            let msg = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            (EXTO360_INTERNAL, exto360_error::internal(&format!("internal error: {msg}")))
        }
    };
    if !err.is_null() {
        // SAFETY: `err` is non-NULL and, per the contract, points to writable storage.
        unsafe { *err = Box::into_raw(Box::new(e)) };
    }
    status
}

/// The id of this process: what tells a child of `fork()` from its parent.
pub fn pid() -> u32 {
    std::process::id()
}

/// Keeps what a child of `fork()` inherited from its parent and can neither use nor drop (its
/// threads, locks and connections are the parent's): reachable, so leak checkers stay quiet.
pub fn orphan<T: Send + 'static>(inherited: T) {
    static ORPHANS: Mutex<Vec<Box<dyn Send>>> = Mutex::new(Vec::new());
    ORPHANS.lock().unwrap_or_else(|e| e.into_inner()).push(Box::new(inherited));
}

/// A required string argument.
pub fn text<'a>(p: *const c_char, what: &str) -> Result<&'a str, Fail> {
    if p.is_null() {
        return Err(invalid(format!("{what} must not be NULL")));
    }
    // SAFETY: non-NULL and, per the contract, a NUL-terminated string alive for this call.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|_| invalid(format!("{what} is not valid UTF-8")))
}

/// An optional string argument (NULL = absent).
pub fn opt_text<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>, Fail> {
    if p.is_null() { Ok(None) } else { text(p, what).map(Some) }
}

/// Parses the JSON text of argument `what`.
pub fn parse_json(s: &str, what: &str) -> Result<Value, Fail> {
    serde_json::from_str(s).map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
}

/// An optional JSON argument; NULL means `default`.
pub fn json_arg(p: *const c_char, what: &str, default: Value) -> Result<Value, Fail> {
    match opt_text(p, what)? {
        None => Ok(default),
        Some(s) => parse_json(s, what),
    }
}

/// A required JSON argument: every list (`"[]"` for none) and the grant body. NULL is refused,
/// never read as "empty", so a forgotten argument cannot turn into a call that acts.
pub fn req_json(p: *const c_char, what: &str) -> Result<Value, Fail> {
    if p.is_null() {
        return Err(invalid(format!("{what} must not be NULL (pass \"[]\" for an empty list)")));
    }
    parse_json(text(p, what)?, what)
}

pub fn check_out<T>(out: *mut *mut T, what: &str) -> Result<(), Fail> {
    if out.is_null() { Err(invalid(format!("{what} must not be NULL"))) } else { Ok(()) }
}

/// Stores a string the caller frees with `exto360_string_free`.
pub fn put_string(out: *mut *mut c_char, s: String) {
    // SAFETY: checked non-NULL by the caller of this helper.
    unsafe { *out = c_string(&s).into_raw() };
}
