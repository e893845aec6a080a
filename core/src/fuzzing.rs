//! Pure decoders for the `fuzz/` targets, compiled only with `--cfg fuzzing` (which `cargo fuzz`
//! sets) and in this crate's tests: they reach the answer decoders without a server. Not part of
//! the public API.

use bytes::Bytes;

use crate::error::Result;
use crate::paging::{DecodedPage, Page, RowsDecoder};

const WHAT: &str = "GET /fuzz";

/// A list answer in either shape, rows read by `R` in one pass (what `list`/`iter` use).
pub fn decode_page<R: RowsDecoder>(body: &[u8], page: u32, page_size: u32) -> Result<DecodedPage<R>> {
    crate::paging::decode_page(Bytes::copy_from_slice(body), page, page_size, WHAT)
}

/// A list answer in either shape, rows deserialized as `T` (the typed `list`).
pub fn parse_page<T: serde::de::DeserializeOwned>(body: &[u8], page: u32, page_size: u32) -> Result<Page<T>> {
    crate::paging::parse_page(body, page, page_size, WHAT)
}

/// A users list answer: `[[users]]`, `[users]` or a page object.
pub fn parse_users<T: serde::de::DeserializeOwned>(body: &[u8], page: u32, page_size: u32) -> Result<Page<T>> {
    crate::api::users::parse_users(body, page, page_size)
}

/// Whether the client asks for `localTimeZone` before sending the raw filter `s`.
pub fn raw_compares_dates(s: &str) -> bool {
    crate::filter::raw_compares_dates(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::RowsText;
    use serde_json::Value;

    #[test]
    fn the_fuzzed_decoders_are_the_clients() {
        let p = decode_page::<RowsText>(br#"{"rows":[{"a":1}],"total":3,"pageSize":1}"#, 1, 10).unwrap();
        assert_eq!((p.rows.0.as_str(), p.total_pages, p.has_next), (r#"[{"a":1}]"#, Some(3), true));
        let p = parse_page::<Value>(b"[1,2]", 2, 2).unwrap();
        assert_eq!((p.rows.len(), p.page, p.total), (2, 2, None));
        let p = parse_users::<Value>(b"[[1],[2,3]]", 1, 10).unwrap();
        assert_eq!(p.rows, vec![Value::from(1), Value::from(2), Value::from(3)]);
        assert!(raw_compares_dates("d:ge:2024-03-01") && !raw_compares_dates("n:eq:1"));
    }
}
