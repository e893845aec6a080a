//! Records as an Arrow C stream (`struct ArrowArrayStream`, the Arrow C stream interface):
//! any Arrow consumer — nanoarrow, DuckDB, pyarrow, arrow-rs — reads it. The columns are built
//! by `exto360_columnar`; this file checks the C arguments and hands the stream over.

use std::ffi::{c_char, c_int};

use exto360_columnar::arrow_array::ffi_stream::FFI_ArrowArrayStream;
use exto360_columnar::arrow_schema::ffi::FFI_ArrowSchema;
use exto360_columnar::ffi::{export_batches, export_table, import_schema};
use exto360_columnar::{Batches, SchemaMode, table};
use serde_json::json;

use crate::{Fail, client_ref, exto360_error, exto360_status, guard, invalid, json_arg, runtime, text, with};

/// How the schema of an Arrow stream of records is decided.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exto360_arrow_mode {
    /// Pages are fetched as batches are read (memory of one page). The schema is the one given,
    /// or that of the first page: a later page that needs more (a new field, a wider type)
    /// ends the stream with an error that names the field.
    EXTO360_ARROW_STREAM = 0,
    /// Every page is read before the call returns; types widen across pages (int → float →
    /// string; a field that is sometimes a list holds JSON text), earlier batches are cast to
    /// the final schema as they are read.
    EXTO360_ARROW_TABLE = 1,
}

fn arrow_stream(client: *const crate::exto360_client, op: &str, name: *const c_char, args_json: *const c_char, schema: *const FFI_ArrowSchema, mode: c_int, out: *mut FFI_ArrowArrayStream) -> Result<(), Fail> {
    if out.is_null() {
        return Err(invalid("out must not be NULL"));
    }
    // An int, not the enum: a value outside it from C must be an error, not undefined behaviour.
    let mode = match mode {
        0 => exto360_arrow_mode::EXTO360_ARROW_STREAM,
        1 => exto360_arrow_mode::EXTO360_ARROW_TABLE,
        m => return Err(invalid(format!("mode must be EXTO360_ARROW_STREAM or EXTO360_ARROW_TABLE, got {m}"))),
    };
    let args = with(json_arg(args_json, "args_json", json!({}))?, json!({ "name": text(name, "name")? }))?;
    // SAFETY: NULL is handled; otherwise, per the contract, a valid ArrowSchema for this call.
    let explicit = match unsafe { schema.as_ref() } {
        None => None,
        Some(s) if s.release().is_none() => return Err(invalid("schema has been released")),
        Some(s) => Some(import_schema(s)?),
    };
    let client = client_ref(client)?.get()?;
    let pages = exto360_columnar::pages(&client, op, &args)?;
    let rt = runtime()?;
    let stream = match mode {
        exto360_arrow_mode::EXTO360_ARROW_TABLE => export_table(rt.block_on(table(pages, explicit.map_or(SchemaMode::Widen, SchemaMode::Explicit)))?),
        exto360_arrow_mode::EXTO360_ARROW_STREAM => {
            let batches = rt.block_on(Batches::open(pages, explicit.map_or(SchemaMode::FirstPage, SchemaMode::Explicit)))?;
            export_batches(batches, rt.handle().clone())
        }
    };
    // SAFETY: checked non-NULL; the caller's storage is uninitialised or released, so it is
    // written without dropping what was there.
    unsafe { std::ptr::write(out, stream) };
    Ok(())
}

/// Every master record of `name` as Arrow record batches, in an Arrow C stream.
///
/// Columns: the record attributes (`_id`, `status`, `createdAt` and `updatedAt` as
/// `timestamp[ms, UTC]`, ...) and one column per custom field (`customFields.<name>` where the
/// name is also an attribute's); types are inferred from the values (see exto360_arrow_mode).
///
/// @param args_json the list arguments of exto360_masters_list (`pageSize`, `sort`, `filter`,
///        ...), or NULL.
/// @param schema NULL to infer the schema; or an explicit schema (a struct of the columns to
///        read, e.g. from nanoarrow or pyarrow): its columns only, in its order and types; a value
///        that does not fit ends the stream with an error, never a null. Only read during this
///        call; the caller keeps and releases it.
/// @param mode an exto360_arrow_mode.
/// @param out receives the stream on EXTO360_OK (untouched otherwise). The caller owns it:
///        call `out->release(out)` when done, at the end or before. Each `ArrowSchema` from
///        `get_schema` and each `ArrowArray` from `get_next` is the caller's too, released with
///        its own `release`. `get_next` waits for the next page (the first is read by this call)
///        and signals the end with an array whose `release` is NULL; on failure it returns an
///        errno and `get_last_error` tells why (valid until the next call on the stream). The
///        stream keeps what it needs of the client: the client may be freed first. Use a stream
///        from one thread at a time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_masters_arrow_stream(client: *const crate::exto360_client, name: *const c_char, args_json: *const c_char, schema: *const FFI_ArrowSchema, mode: c_int, out: *mut FFI_ArrowArrayStream, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || arrow_stream(client, "masters.iter", name, args_json, schema, mode, out))
}

/// Every module record of `name` as Arrow record batches (see exto360_masters_arrow_stream).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_modules_arrow_stream(client: *const crate::exto360_client, name: *const c_char, args_json: *const c_char, schema: *const FFI_ArrowSchema, mode: c_int, out: *mut FFI_ArrowArrayStream, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || arrow_stream(client, "modules.iter", name, args_json, schema, mode, out))
}
