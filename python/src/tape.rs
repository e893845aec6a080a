//! A page parsed off the GIL. The runtime thread that received a page turns its JSON text into a
//! flat tape (one serde pass) with every repeated key, object shape and short string value
//! interned; the thread holding the GIL then only allocates Python objects (`convert::tape_to_py`).
//! This halves the GIL-held work of a page and shares repeated strings between records.

use std::fmt;
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// One value of the tape, in pre-order: an object's values follow it in the order of its
/// shape's keys, an array's elements follow it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A string id (`Tape::string`); equal short strings share one id.
    Str(u32),
    Array(u32),
    /// `atomic`: no list anywhere inside, so the Python dict cannot be part of a reference cycle
    /// and needs no tracking by the garbage collector.
    Object { len: u32, shape: u32, atomic: bool },
}

/// Where a string's bytes are: in the JSON text, or (for strings that had escapes) in `extra`.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    len: u32,
    extra: bool,
}

#[derive(Debug)]
pub struct Tape {
    text: String,
    extra: String,
    pub nodes: Vec<Node>,
    strings: Vec<Span>,
    keys: Vec<Span>,
    /// Shape id → key ids, in the object's order.
    pub shapes: Vec<Box<[u32]>>,
}

impl Tape {
    /// Parses JSON text. Fails on invalid JSON or text of 2 GiB or more.
    pub fn parse(text: String) -> Result<Tape, String> {
        let tape = {
            let mut de = serde_json::Deserializer::from_str(&text);
            let tape = Tape::read(&text, &mut de, false).map_err(|e| e.to_string())?;
            de.end().map_err(|e| e.to_string())?;
            tape
        };
        Ok(tape.with_text(text))
    }

    /// Reads one value (an array, if `array`) of `text` at `d`. The tape refers to `text` by
    /// position: give it the text with [`Tape::with_text`].
    fn read<'de, D: de::Deserializer<'de>>(text: &'de str, d: D, array: bool) -> Result<Tape, D::Error> {
        if text.len() >= u32::MAX as usize / 2 {
            return Err(de::Error::custom("a response of 2 GiB or more"));
        }
        let mut b = Builder::new(text);
        Value(&mut b).deserialize(d)?;
        if array && !matches!(b.nodes.first(), Some(Node::Array(_))) {
            return Err(de::Error::custom("rows: expected an array"));
        }
        Ok(Tape { text: String::new(), extra: b.extra, nodes: b.nodes, strings: b.strings, keys: b.keys, shapes: b.shapes })
    }

    /// Gives the tape the text it refers to.
    pub fn with_text(mut self, text: String) -> Tape {
        self.text = text;
        self
    }

    fn span(&self, s: Span) -> &str {
        let src = if s.extra { &self.extra } else { &self.text };
        &src[s.start as usize..(s.start + s.len) as usize]
    }

    pub fn string(&self, id: u32) -> &str {
        self.span(self.strings[id as usize])
    }

    pub fn string_count(&self) -> usize {
        self.strings.len()
    }

    pub fn key(&self, id: u32) -> &str {
        self.span(self.keys[id as usize])
    }

    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// The index just past the value at `at` (and everything inside it).
    pub fn after(&self, mut at: usize) -> usize {
        let mut pending = 1usize;
        while pending > 0 {
            pending -= 1;
            match self.nodes[at] {
                Node::Array(n) | Node::Object { len: n, .. } => pending += n as usize,
                _ => {}
            }
            at += 1;
        }
        at
    }
}

/// A page's rows, read in the core's one pass over the answer (the page's `body` is the text).
impl exto360::RowsDecoder for Tape {
    fn decode<'de, D: de::Deserializer<'de>>(text: &'de str, d: D) -> Result<(Self, usize), D::Error> {
        let tape = Tape::read(text, d, true)?;
        let len = match tape.nodes[0] {
            Node::Array(n) => n as usize,
            _ => 0,
        };
        Ok((tape, len))
    }
}

/// Buffers of dropped tapes, reused for the next pages: a page's tape is a few hundred KB, and
/// fresh memory for each page cost ~75 page faults per page. Only `try_lock`: a lock held by a
/// thread that did not survive `fork()` must not block the child (it allocates instead).
static SPARE: Mutex<Vec<(Vec<Node>, Vec<Span>)>> = Mutex::new(Vec::new());
/// Enough for the pages in flight (prefetched, being converted, just dropped).
const SPARE_MAX: usize = 4;
/// Larger buffers (an unusually big page) go back to the allocator.
const SPARE_BYTES_MAX: usize = 8 << 20;

fn spare_buffers() -> (Vec<Node>, Vec<Span>) {
    SPARE.try_lock().ok().and_then(|mut s| s.pop()).unwrap_or_default()
}

impl Drop for Tape {
    fn drop(&mut self) {
        let (mut nodes, mut strings) = (std::mem::take(&mut self.nodes), std::mem::take(&mut self.strings));
        if nodes.capacity() * size_of::<Node>() + strings.capacity() * size_of::<Span>() > SPARE_BYTES_MAX {
            return;
        }
        if let Ok(mut spare) = SPARE.try_lock()
            && spare.len() < SPARE_MAX
        {
            nodes.clear();
            strings.clear();
            spare.push((nodes, strings));
        }
    }
}

/// Strings up to this length are looked up in the value cache; longer ones are rarely repeated.
const SHORT: usize = 40;
const SLOTS: usize = 1024;

struct Builder<'a> {
    text: &'a str,
    extra: String,
    nodes: Vec<Node>,
    strings: Vec<Span>,
    keys: Vec<Span>,
    shapes: Vec<Box<[u32]>>,
    key_ids: FxHashMap<&'a str, u32>,
    escaped_key_ids: FxHashMap<String, u32>,
    shape_ids: FxHashMap<Box<[u32]>, u32>,
    /// Key ids of the objects being parsed (nested ones on top).
    key_stack: Vec<u32>,
    /// The shape of the last object at each depth: records of a page have the same keys in
    /// the same order, so the next object's keys are predicted from it (no hashing on a hit).
    last_shape: Vec<u32>,
    depth: usize,
    /// Direct-mapped: a short string's hash → its last id. Within a record `_id`/`id`,
    /// `slug`/`refId` and `createdAt`/`updatedAt` repeat; across records tenant, users, status.
    recent: Vec<(u32, u32)>,
    /// Digest of each key (by key id), to check a predicted key without reading its text.
    key_digests: Vec<Digest>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        let (mut nodes, mut strings) = spare_buffers();
        nodes.reserve(text.len() / 16);
        strings.reserve(text.len() / 64);
        Builder {
            text,
            extra: String::new(),
            nodes,
            strings,
            keys: Vec::new(),
            shapes: Vec::new(),
            key_ids: FxHashMap::default(),
            escaped_key_ids: FxHashMap::default(),
            shape_ids: FxHashMap::default(),
            key_stack: Vec::new(),
            last_shape: Vec::new(),
            depth: 0,
            recent: vec![(0, u32::MAX); SLOTS],
            key_digests: Vec::new(),
        }
    }

    /// The span of `s`, which borrows from the text.
    fn borrowed(&self, s: &'a str) -> Span {
        Span { start: (s.as_ptr() as usize - self.text.as_ptr() as usize) as u32, len: s.len() as u32, extra: false }
    }

    fn escaped(&mut self, s: &str) -> Span {
        let start = self.extra.len() as u32;
        self.extra.push_str(s);
        Span { start, len: s.len() as u32, extra: true }
    }

    fn new_string(&mut self, span: Span) -> u32 {
        self.strings.push(span);
        (self.strings.len() - 1) as u32
    }

    fn borrowed_string(&mut self, s: &'a str) -> u32 {
        let span = self.borrowed(s);
        if s.len() > SHORT {
            return self.new_string(span);
        }
        // A slot holds a 32-bit check of the string and its id (8 bytes: the table stays in
        // L1); only a check match reads the earlier string's bytes to confirm.
        let mix = Digest::of(s.as_bytes()).mix();
        let (slot, check) = ((mix >> 22) as usize % SLOTS, (mix >> 32) as u32);
        let (prev, id) = self.recent[slot];
        if id != u32::MAX && prev == check && self.span_is(self.strings[id as usize], s) {
            return id;
        }
        let id = self.new_string(span);
        self.recent[slot] = (check, id);
        id
    }

    fn span_is(&self, span: Span, s: &str) -> bool {
        let src = if span.extra { &self.extra } else { self.text };
        span.len as usize == s.len() && &src[span.start as usize..(span.start + span.len) as usize] == s
    }

    fn key(&mut self, span: Span, s: &str) -> u32 {
        self.keys.push(span);
        self.key_digests.push(Digest::of(s.as_bytes()));
        (self.keys.len() - 1) as u32
    }

    /// The key id of `s`; `expect` is the predicted id.
    fn borrowed_key(&mut self, s: &'a str, expect: Option<u32>) -> u32 {
        if let Some(id) = expect {
            let d = Digest::of(s.as_bytes());
            if self.key_digests[id as usize] == d && (d.exact() || self.span_is(self.keys[id as usize], s)) {
                return id;
            }
        }
        if let Some(&id) = self.key_ids.get(s) {
            return id;
        }
        let id = self.key(self.borrowed(s), s);
        self.key_ids.insert(s, id);
        id
    }

    fn escaped_key(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.escaped_key_ids.get(s) {
            return id;
        }
        let span = self.escaped(s);
        let id = self.key(span, s);
        self.escaped_key_ids.insert(s.to_string(), id);
        id
    }

    /// The shape id of the keys `key_stack[from..]`; `predicted` is checked first.
    fn shape(&mut self, from: usize, predicted: u32) -> u32 {
        let keys = &self.key_stack[from..];
        if predicted != u32::MAX && *self.shapes[predicted as usize] == *keys {
            return predicted;
        }
        if let Some(&id) = self.shape_ids.get(keys) {
            return id;
        }
        let id = self.shapes.len() as u32;
        self.shapes.push(keys.into());
        self.shape_ids.insert(keys.into(), id);
        id
    }
}

/// A string's length and first and last 8 bytes: equal digests mean equal strings up to 16
/// bytes, and for longer ones a likely match, checked against the bytes. Cheaper than hashing
/// every byte, and a different string rarely makes us read another's (cold) memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Digest {
    head: u64,
    tail: u64,
    len: usize,
}

impl Digest {
    #[inline]
    fn of(b: &[u8]) -> Digest {
        let n = b.len();
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        let u32_at = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or_default()));
        let (head, tail) = match n {
            8.. => (u64_at(0), u64_at(n - 8)),
            4..=7 => (u32_at(0) | u32_at(n - 4) << 32, 0),
            1..=3 => (u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0),
            0 => (0, 0),
        };
        Digest { head, tail, len: n }
    }

    /// Whether equal digests prove equal strings.
    fn exact(&self) -> bool {
        self.len <= 16
    }

    fn mix(&self) -> u64 {
        (self.head ^ self.tail.rotate_left(29) ^ self.len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

fn count<E: de::Error>(n: usize) -> Result<u32, E> {
    u32::try_from(n).map_err(|_| E::custom("too many elements"))
}

/// Parses one value onto the tape; yields whether it is atomic (holds no list).
struct Value<'b, 'a>(&'b mut Builder<'a>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for Value<'_, 'a> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Value<'_, 'a> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.0.nodes.push(Node::Bool(v));
        Ok(true)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.0.nodes.push(Node::Int(v));
        Ok(true)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.0.nodes.push(match i64::try_from(v) {
            Ok(i) => Node::Int(i),
            Err(_) => Node::UInt(v),
        });
        Ok(true)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        self.0.nodes.push(Node::Float(v));
        Ok(true)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<bool, E> {
        let id = self.0.borrowed_string(v);
        self.0.nodes.push(Node::Str(id));
        Ok(true)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        let span = self.0.escaped(v);
        let id = self.0.new_string(span);
        self.0.nodes.push(Node::Str(id));
        Ok(true)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.0.nodes.push(Node::Null);
        Ok(true)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let at = self.0.nodes.len();
        self.0.nodes.push(Node::Array(0));
        let mut n = 0usize;
        while seq.next_element_seed(Value(&mut *self.0))?.is_some() {
            n += 1;
        }
        self.0.nodes[at] = Node::Array(count(n)?);
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let at = self.0.nodes.len();
        self.0.nodes.push(Node::Null);
        let from = self.0.key_stack.len();
        let depth = self.0.depth;
        if self.0.last_shape.len() <= depth {
            self.0.last_shape.resize(depth + 1, u32::MAX);
        }
        let predicted = self.0.last_shape[depth];
        self.0.depth += 1;
        let mut atomic = true;
        loop {
            let expect = match predicted {
                u32::MAX => None,
                p => self.0.shapes[p as usize].get(self.0.key_stack.len() - from).copied(),
            };
            let Some(k) = map.next_key_seed(Key(&mut *self.0, expect))? else { break };
            self.0.key_stack.push(k);
            atomic &= map.next_value_seed(Value(&mut *self.0))?;
        }
        self.0.depth -= 1;
        let len = count(self.0.key_stack.len() - from)?;
        let shape = self.0.shape(from, predicted);
        self.0.last_shape[depth] = shape;
        self.0.key_stack.truncate(from);
        self.0.nodes[at] = Node::Object { len, shape, atomic };
        Ok(atomic)
    }
}

/// Parses an object key (with the predicted id); yields its key id.
struct Key<'b, 'a>(&'b mut Builder<'a>, Option<u32>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for Key<'_, 'a> {
    type Value = u32;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Key<'_, 'a> {
    type Value = u32;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<u32, E> {
        Ok(self.0.borrowed_key(v, self.1))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u32, E> {
        Ok(self.0.escaped_key(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_keys_shapes_and_short_strings() {
        let t = Tape::parse(r#"[{"a":"x","b":[1,-2,2.5]},{"a":"x","b":null},{"b":"y\n","a":true}]"#.into()).unwrap();
        assert_eq!(t.key_count(), 2);
        assert_eq!(t.shapes.len(), 2, "a,b and b,a are two shapes");
        assert_eq!(t.nodes[0], Node::Array(3));
        assert_eq!(t.nodes[1], Node::Object { len: 2, shape: 0, atomic: false });
        assert_eq!(t.nodes[2], Node::Str(0));
        assert_eq!(&t.nodes[3..7], &[Node::Array(3), Node::Int(1), Node::Int(-2), Node::Float(2.5)]);
        assert_eq!(t.nodes[7], Node::Object { len: 2, shape: 0, atomic: true });
        assert_eq!(t.nodes[8], Node::Str(0), "the repeated short string shares its id");
        assert_eq!(t.nodes[10], Node::Object { len: 2, shape: 1, atomic: true });
        let Node::Str(escaped) = t.nodes[11] else { panic!("{:?}", t.nodes[11]) };
        assert_eq!(t.string(escaped), "y\n");
        assert_eq!(t.key(t.shapes[1][0]), "b");
        assert_eq!((t.after(0), t.after(1), t.after(3), t.after(8)), (t.nodes.len(), 7, 7, 9));
    }

    #[test]
    fn strings_alike_at_both_ends_stay_distinct() {
        let words = ["0123456789abcdefXYZ01234567", "0123456789abcdefABC01234567", "0123456789abcdefXYZ01234567", "ab", "ab\\u0000", "abcdefgh12345678", "abcdefgh12345679", "ab"];
        let text = format!("[{}]", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(","));
        let t = Tape::parse(text).unwrap();
        let got: Vec<&str> = t.nodes[1..].iter().map(|n| if let Node::Str(id) = n { t.string(*id) } else { panic!("{n:?}") }).collect();
        let want: Vec<String> = words.iter().map(|w| w.replace("\\u0000", "\0")).collect();
        assert_eq!(got, want);
        assert_eq!(t.nodes[4], t.nodes[8], "an equal short string shares its id");
    }

    #[test]
    fn predicted_keys_that_differ_are_still_right() {
        let t = Tape::parse(r#"[{"a":1,"b":2},{"a":1},{"a":1,"b":2,"c":3},{"c":1,"a":2},{"a":{"a":0}}]"#.into()).unwrap();
        let names = |shape: u32| t.shapes[shape as usize].iter().map(|&k| t.key(k)).collect::<Vec<_>>().join(",");
        let shapes: Vec<String> = t.nodes.iter().filter_map(|n| if let Node::Object { shape, .. } = n { Some(names(*shape)) } else { None }).collect();
        assert_eq!(shapes, ["a,b", "a", "a,b,c", "c,a", "a", "a"]);
        assert_eq!(t.key_count(), 3);
    }

    #[test]
    fn escaped_keys_big_numbers_and_errors() {
        let t = Tape::parse(r#"{"k\u00e9":18446744073709551615,"n":-9223372036854775808}"#.into()).unwrap();
        assert_eq!(t.key(0), "ké");
        assert_eq!(t.nodes[1], Node::UInt(u64::MAX));
        assert_eq!(t.nodes[2], Node::Int(i64::MIN));
        assert!(Tape::parse("{\"a\":".into()).is_err());
        assert!(Tape::parse("[1] x".into()).is_err());
    }
}
