//! # exto360-columnar
//!
//! Records of the Exto360 Data API as Arrow columns, and Arrow columns as records to write,
//! without an object per value in between. Bindings that offer DataFrames depend on this crate;
//! the core (`exto360`) does not.
//!
//! ## Reading: pages → record batches
//!
//! Pages come from the core ([`exto360::json::pages_decoded`] with [`RowSpans`]), which
//! finds each row in the answer's text in its one pass; arrow-json then reads the rows in
//! place. Memory holds one page's text at a time.
//!
//! **Columns.** The record attributes (`_id`, `refId`, `projectID`, `createdBy`, `status`, …)
//! are columns of their own type: `createdAt`/`updatedAt` are `timestamp[ms, UTC]`,
//! `isDeleted` is boolean, the others strings. Each custom field is a column of its own
//! name — `customFields.<name>` when that name is also a record attribute or another
//! top-level key. Objects (e.g. currency `{label, value, currency}`) are struct columns,
//! lists are list columns.
//!
//! **Types**, inferred from the values, widen as pages bring new ones, and never lose one:
//!
//! | values seen | column type |
//! | --- | --- |
//! | only nulls (or absent) | null |
//! | booleans | boolean |
//! | integers | int64 |
//! | integers and floats | float64 (string if an integer is beyond ±2^53, which a float cannot hold) |
//! | `YYYY-MM-DD` strings | date32 |
//! | `YYYY-MM-DDTHH:MM:SS.sssZ` strings (the API's date-times) | timestamp[ms, UTC] |
//! | other strings, or scalars of several kinds | string (numbers and booleans as their JSON text; dates and date-times as the API wrote them) |
//! | lists | list of the items' type |
//! | objects | struct of the fields' types |
//! | a list or object mixed with anything else | string holding each value's JSON text, marked with the `arrow.json` extension type |
//!
//! A number beyond int64 or float64 is kept as its digits (string). A field that is sometimes
//! a list therefore becomes JSON text: `["a","b"]`, `"a"`, `3` — parse it back with any JSON
//! reader; nothing is dropped, wrapped, or turned into null.
//!
//! **Schemas.** A [`Table`] widens across every page, then casts the batches of earlier pages
//! to the final schema as they are read. A stream ([`Batches`], an `ArrowArrayStream`) must
//! declare its schema before its first batch, so it takes it from the first page
//! ([`SchemaMode::FirstPage`]) and fails with an error naming the field if a later page needs
//! more; or from an explicit schema ([`SchemaMode::Explicit`]), which skips inference: its
//! columns only, in its order and types (names that are record attributes are read from the
//! record, `customFields.<name>` and other names from its custom fields); a value that does
//! not fit is an error, never a null.
//!
//! ## Writing: record batches → request bodies
//!
//! [`ArrowRows`] writes batches as JSON rows for the core's upserts, one request body at a
//! time: nulls (NaN, NaT, None) as `null`, numbers exactly, date-times as ISO 8601 in UTC,
//! dates as `YYYY-MM-DD` (see [`ArrowRows`]).

mod codec;
pub mod ffi;
#[cfg(feature = "ipc")]
mod ipc;
mod read;
mod ty;
mod widen;
mod write;

#[cfg(test)]
mod tests;

#[cfg(feature = "ipc")]
pub use ipc::ipc_stream;
pub use read::{Batches, PageDecoder, RowSpans, SchemaMode, Table, table, table_from_json};
pub use ty::{ATTRIBUTES, MAX_COLUMNS};
pub use write::ArrowRows;

/// The re-exported Arrow crates this crate's types come from.
pub use {arrow_array, arrow_schema};

/// The pages of `masters.iter`, `modules.iter` or `users.iter` (arguments as for
/// [`exto360::json::pages`]) with their rows located for Arrow.
pub fn pages(client: &exto360::Client, op: &str, args: &serde_json::Value) -> exto360::Result<exto360::json::DecodedPages<RowSpans>> {
    exto360::json::pages_decoded::<RowSpans>(client, op, args)
}
