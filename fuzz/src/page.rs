//! List answers: both record list shapes (`{rows,total,page,pageSize,totalPages}` and a bare
//! array) and the users list shapes (`[[users]]`, `[users]`, a page object).

use exto360::fuzzing::{decode_page, parse_page, parse_users};
use exto360::json::page_text;
use exto360::{ErrorKind, RawPage, RowsText, UserAccess};
use serde_json::Value;

fn assert_invalid_response(e: &exto360::Error) {
    assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
}

/// The record list decoders: the one-pass text decoder (Node, C, C#) and the typed one (Rust)
/// agree on the rows; the normal form they produce is valid JSON that decodes to the same page
/// again; `has_next` follows the page facts.
pub fn check_records(body: &[u8], page: u32, size: u32) {
    let text = decode_page::<RowsText>(body, page, size);
    let typed = parse_page::<Value>(body, page, size);
    let shown = || String::from_utf8_lossy(body).into_owned();
    let (text, typed) = match (text, typed) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => {
            assert_invalid_response(&a);
            assert_invalid_response(&b);
            return;
        }
        // Known, accepted differences: the text decoder refuses a body that is not UTF-8
        // anywhere (the typed one only checks the strings it reads) ...
        (Err(e), Ok(_)) if std::str::from_utf8(body).is_err() => return assert_invalid_response(&e),
        // ... and it copies rows without decoding their escapes, so an unpaired surrogate
        // (`"\udc00"`, which serde_json refuses) passes to Node and C as it came.
        (Ok(t), Err(e)) if serde_json::from_str::<Value>(&t.rows.0).is_err() => return assert_invalid_response(&e),
        (Ok(_), Err(e)) => panic!("only the typed decoder refuses {:?}: {e}", shown()),
        (Err(e), Ok(_)) => panic!("only the text decoder refuses {:?}: {e}", shown()),
    };
    let rows: Vec<Value> = serde_json::from_str(&text.rows.0).expect("RowsText is a JSON array");
    assert_eq!(rows, typed.rows, "the text and typed decoders read different rows");
    assert_eq!(text.len, rows.len());
    assert_eq!((text.total, text.page, text.page_size, text.total_pages), (typed.total, typed.page, typed.page_size, typed.total_pages));
    assert_eq!(text.has_next, typed.has_next());

    // The normal form is what bindings parse: it must decode to the same page again.
    let raw = RawPage::from(text.clone());
    assert_eq!((raw.rows, raw.has_next), (text.len, text.has_next));
    let again = decode_page::<RowsText>(raw.text.as_bytes(), 1, 1).unwrap_or_else(|e| panic!("normal form {:?} does not decode: {e}", raw.text));
    assert_eq!(again.rows.0, text.rows.0);
    assert_eq!((again.total, again.page, again.page_size, again.total_pages, again.has_next), (text.total, text.page, text.page_size, text.total_pages, text.has_next));
    // And `page_text` (users pages, `list` results) agrees with it.
    let normal: Value = serde_json::from_str(&raw.text).expect("normal form is JSON");
    let by_page_text: Value = serde_json::from_str(&page_text(&typed).expect("serializable")).expect("page_text is JSON");
    assert_eq!(normal, by_page_text);
}

/// The users list: any of its shapes gives a page whose rows survive the round trip through
/// the normal form; the typed read (`UserAccess`) fails only as `InvalidResponse`.
pub fn check_users(body: &[u8], page: u32, size: u32) {
    match parse_users::<UserAccess>(body, page, size) {
        Ok(p) => {
            let text = page_text(&p).expect("a users page serializes");
            let back = parse_users::<UserAccess>(text.as_bytes(), page, size).unwrap_or_else(|e| panic!("{text:?} does not decode: {e}"));
            assert_eq!(back.rows, p.rows, "users rows change through the normal form");
        }
        Err(e) => assert_invalid_response(&e),
    }
    match parse_users::<Value>(body, page, size) {
        Ok(p) => {
            let again = decode_page::<RowsText>(page_text(&p).expect("serializes").as_bytes(), page, size).expect("a users page in normal form decodes");
            let rows: Vec<Value> = serde_json::from_str(&again.rows.0).expect("JSON");
            assert_eq!(rows, p.rows);
        }
        Err(e) => assert_invalid_response(&e),
    }
}
