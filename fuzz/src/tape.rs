//! The Python tape decoder (`python/src/tape.rs`) against serde_json.

use exto360::fuzzing::decode_page;
use exto360::RowsText;
use serde_json::{Map, Value};

use crate::python_tape::{Node, Tape};

/// The value at `*at` of the tape, as the Python conversion builds it (a repeated key keeps its
/// first place and its last value, like a `dict`), and whether it holds an array anywhere.
fn value(t: &Tape, at: &mut usize) -> (Value, bool) {
    let node = t.nodes[*at];
    *at += 1;
    match node {
        Node::Null => (Value::Null, false),
        Node::Bool(b) => (b.into(), false),
        Node::Int(i) => (i.into(), false),
        Node::UInt(u) => {
            assert!(i64::try_from(u).is_err(), "UInt({u}) fits an Int");
            (u.into(), false)
        }
        Node::Float(f) => (f.into(), false),
        Node::Str(id) => (t.string(id).into(), false),
        Node::Array(n) => (Value::Array((0..n).map(|_| value(t, at).0).collect()), true),
        Node::Object { len, shape, atomic } => {
            let keys = &t.shapes[shape as usize];
            assert_eq!(keys.len(), len as usize, "an object's length is not its shape's");
            let mut m = Map::new();
            let mut has_array = false;
            for &k in keys.iter() {
                let (v, a) = value(t, at);
                has_array |= a;
                m.insert(t.key(k).to_string(), v);
            }
            assert_eq!(atomic, !has_array, "`atomic` is wrong for {m:?}: the GC would miss (or needlessly track) this dict");
            (Value::Object(m), has_array)
        }
    }
}

/// The whole tape as one value; every node is used.
fn tape_value(t: &Tape) -> Value {
    let mut at = 0;
    let (v, _) = value(t, &mut at);
    assert_eq!(at, t.nodes.len(), "nodes left over after the value");
    assert_eq!(t.after(0), t.nodes.len());
    v
}

/// `Tape::parse` accepts exactly what serde_json accepts and yields the same value; as a page's
/// rows decoder it agrees with the core's text decoder on the rows and the page facts.
pub fn check(body: &[u8]) {
    if let Ok(text) = std::str::from_utf8(body) {
        let want = serde_json::from_str::<Value>(text);
        match (Tape::parse(text.to_string()), want) {
            (Ok(t), Ok(want)) => assert_eq!(tape_value(&t), want, "tape and serde_json disagree on {text:?}"),
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => panic!("the tape accepts what serde_json refuses ({e}): {text:?}"),
            (Err(e), Ok(_)) => panic!("the tape refuses valid JSON ({e}): {text:?}"),
        }
    }
    // As a page's rows decoder: it reads the rows exactly when the text decoder does and
    // serde_json accepts what it copied (the text decoder does not decode escapes, so it lets
    // an unpaired surrogate `"\udc00"` through; serde_json and the tape refuse it).
    let tape = decode_page::<Tape>(body, 3, 50);
    let text = decode_page::<RowsText>(body, 3, 50);
    let shown = || String::from_utf8_lossy(body).into_owned();
    match (tape, text) {
        (Ok(p), Ok(want)) => {
            assert_eq!((p.len, p.total, p.page, p.page_size, p.total_pages, p.has_next), (want.len, want.total, want.page, want.page_size, want.total_pages, want.has_next));
            let rows = p.rows.with_text(p.body);
            let want_rows: Value = serde_json::from_str(&want.rows.0).unwrap_or_else(|e| panic!("the tape accepts rows serde_json refuses ({e}): {:?}", shown()));
            assert_eq!(tape_value(&rows), want_rows, "the tape reads other rows than the text decoder");
        }
        (Err(_), Err(_)) => {}
        (Err(e), Ok(want)) => {
            assert!(serde_json::from_str::<Value>(&want.rows.0).is_err(), "only the tape refuses the page ({e}): {:?}", shown());
        }
        (Ok(_), Err(e)) => panic!("only the text decoder refuses the page ({e}): {:?}", shown()),
    }
}
