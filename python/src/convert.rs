//! JSON ↔ Python objects. A parsed page (`tape::Tape`) becomes dicts and lists, and Python
//! values become JSON with a clear error naming the path of anything that cannot be.

use std::rc::Rc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::tape::{Node, Tape};

/// Parses JSON text into Python objects (small documents: errors, emulator answers).
pub fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let tape = Tape::parse(text.to_string()).map_err(|e| PyTypeError::new_err(format!("invalid JSON: {e}")))?;
    tape_to_py(py, &tape)
}

/// Builds the Python value of a tape: dicts, lists, str, int, float, bool, None. Each key is one
/// Python string for the whole tape, and so is each interned short value. A dict is a copy of
/// the first dict of its shape (keys laid out, no rehashing as it grows) with only the values
/// that differ set, and a dict that holds no list is untracked by the garbage collector, as
/// CPython's own collector would do.
pub fn tape_to_py<'py>(py: Python<'py>, tape: &Tape) -> PyResult<Bound<'py, PyAny>> {
    // Not interned: on Python 3.12 interned strings live forever, and keys come from the server.
    let keys = (0..tape.key_count()).map(|i| PyString::new(py, tape.key(i as u32))).collect();
    let mut b = Build { py, tape, keys, templates: vec![None; tape.shapes.len()], strings: vec![std::ptr::null_mut(); tape.string_count()], pos: 0 };
    // SAFETY: `value` returns a new reference or null with a Python error set.
    unsafe {
        let v = b.value();
        if v.is_null() {
            return Err(PyErr::fetch(py));
        }
        Ok(Bound::from_owned_ptr(py, v))
    }
}

/// `Py_NewRef` (which the 3.9 stable ABI lacks).
unsafe fn new_ref(p: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: the caller holds the GIL and `p` is a live object.
    unsafe { ffi::Py_INCREF(p) };
    p
}

struct Build<'t, 'py> {
    py: Python<'py>,
    tape: &'t Tape,
    keys: Vec<Bound<'py, PyString>>,
    templates: Vec<Option<Rc<Template<'py>>>>,
    /// String id → its Python string (owned here), null until first used.
    strings: Vec<*mut ffi::PyObject>,
    pos: usize,
}

impl Drop for Build<'_, '_> {
    fn drop(&mut self) {
        for &s in &self.strings {
            if !s.is_null() {
                // SAFETY: every non-null entry is a reference this struct owns.
                unsafe { ffi::Py_DECREF(s) };
            }
        }
    }
}

/// Values equal to the template's are shared with it (scalars and strings are immutable);
/// containers never are.
fn same(a: Node, b: Node) -> bool {
    match (a, b) {
        (Node::Array(_) | Node::Object { .. }, _) => false,
        (Node::Float(x), Node::Float(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// The first object of a shape, as a dict to copy for the next ones: its scalar and string
/// values stay (most records repeat many: tenant, users, status, nulls), containers become None.
struct Template<'py> {
    dict: Bound<'py, PyDict>,
    values: Box<[Node]>,
}

impl<'py> Build<'_, 'py> {
    /// Sets `dict[key] = next value` for the keys of `shape` whose value differs from
    /// `template` (all of them without one). Returns -1 with a Python error set on failure.
    unsafe fn fill(&mut self, dict: *mut ffi::PyObject, shape: u32, template: Option<&[Node]>) -> i32 {
        let tape = self.tape;
        for (i, &k) in tape.shapes[shape as usize].iter().enumerate() {
            if template.is_some_and(|t| same(tape.nodes[self.pos], t[i])) {
                self.skip();
                continue;
            }
            // SAFETY: as in `value`.
            unsafe {
                let (v, owned) = match self.shared() {
                    Some(v) => (v, false),
                    None => (self.value(), true),
                };
                if v.is_null() {
                    return -1;
                }
                let r = ffi::PyDict_SetItem(dict, self.keys[k as usize].as_ptr(), v);
                if owned {
                    ffi::Py_DECREF(v);
                }
                if r < 0 {
                    return -1;
                }
            }
        }
        0
    }

    /// The next value as a borrowed reference if it is a shared object (None, a bool, a string
    /// of this tape), moving past it; `None` (not moving) for any other value. Saves the
    /// reference-count calls (functions, in the stable ABI) of most values set in a dict.
    unsafe fn shared(&mut self) -> Option<*mut ffi::PyObject> {
        // SAFETY: as in `value`.
        let v = unsafe {
            match self.tape.nodes[self.pos] {
                Node::Null => ffi::Py_None(),
                Node::Bool(b) => if b { ffi::Py_True() } else { ffi::Py_False() },
                Node::Str(id) => self.string(id),
                _ => return None,
            }
        };
        self.pos += 1;
        Some(v)
    }

    /// The string `id` of the tape, made on first use; borrowed (owned by `self.strings`), null
    /// with a Python error set on failure.
    unsafe fn string(&mut self, id: u32) -> *mut ffi::PyObject {
        let slot = &mut self.strings[id as usize];
        if slot.is_null() {
            let s = self.tape.string(id);
            // SAFETY: the GIL is held; `s` is valid UTF-8 of the given length.
            *slot = unsafe { ffi::PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as ffi::Py_ssize_t) };
        }
        *slot
    }

    /// Moves past a scalar or string node (the only kind `same` matches).
    fn skip(&mut self) {
        self.pos += 1;
    }

    /// An object of a shape that has a template: a copy of it with the differing values set.
    unsafe fn object_from(&mut self, t: &Template<'py>, shape: u32) -> *mut ffi::PyObject {
        // SAFETY: as in `value`.
        unsafe {
            let dict = ffi::PyDict_Copy(t.dict.as_ptr());
            if dict.is_null() || self.fill(dict, shape, Some(&t.values)) < 0 {
                ffi::Py_XDECREF(dict);
                return std::ptr::null_mut();
            }
            dict
        }
    }

    /// The first object of a shape, built key by key; it becomes the shape's template.
    unsafe fn first_object(&mut self, shape: u32) -> *mut ffi::PyObject {
        let tape = self.tape;
        let nodes: Box<[Node]> = {
            let mut at = self.pos;
            let mut out = Vec::with_capacity(tape.shapes[shape as usize].len());
            for _ in tape.shapes[shape as usize].iter() {
                out.push(tape.nodes[at]);
                at = tape.after(at);
            }
            out.into()
        };
        // SAFETY: as in `value`.
        unsafe {
            let dict = ffi::PyDict_New();
            if dict.is_null() || self.fill(dict, shape, None) < 0 {
                ffi::Py_XDECREF(dict);
                return std::ptr::null_mut();
            }
            let made = (|| -> PyResult<()> {
                let copy = Bound::from_owned_ptr_or_err(self.py, ffi::PyDict_Copy(dict))?.cast_into::<PyDict>()?;
                for (i, &k) in tape.shapes[shape as usize].iter().enumerate() {
                    if matches!(nodes[i], Node::Array(_) | Node::Object { .. }) {
                        copy.set_item(&self.keys[k as usize], self.py.None())?;
                    }
                }
                if self.templates[shape as usize].is_none() {
                    self.templates[shape as usize] = Some(Rc::new(Template { dict: copy, values: nodes }));
                }
                Ok(())
            })();
            if let Err(e) = made {
                ffi::Py_DECREF(dict);
                e.restore(self.py);
                return std::ptr::null_mut();
            }
            dict
        }
    }

    /// The next value of the tape as a new reference (null with a Python error set on failure).
    unsafe fn value(&mut self) -> *mut ffi::PyObject {
        let node = self.tape.nodes[self.pos];
        self.pos += 1;
        // SAFETY (whole function): the GIL is held (`self.py`), every pointer passed to the C API
        // is a live object, and each new reference is either returned or released.
        unsafe {
            match node {
                Node::Null => new_ref(ffi::Py_None()),
                Node::Bool(b) => new_ref(if b { ffi::Py_True() } else { ffi::Py_False() }),
                Node::Int(i) => ffi::PyLong_FromLongLong(i),
                Node::UInt(u) => ffi::PyLong_FromUnsignedLongLong(u),
                Node::Float(f) => ffi::PyFloat_FromDouble(f),
                Node::Str(id) => {
                    let s = self.string(id);
                    if s.is_null() {
                        return s;
                    }
                    new_ref(s)
                }
                Node::Array(n) => {
                    let list = ffi::PyList_New(n as ffi::Py_ssize_t);
                    if list.is_null() {
                        return list;
                    }
                    for i in 0..n {
                        let v = self.value();
                        if v.is_null() {
                            ffi::Py_DECREF(list);
                            return v;
                        }
                        ffi::PyList_SetItem(list, i as ffi::Py_ssize_t, v); // steals `v`
                    }
                    list
                }
                Node::Object { len, shape, atomic } => {
                    let dict = match self.templates[shape as usize].clone() {
                        Some(t) => self.object_from(&t, shape),
                        None if len == 0 => ffi::PyDict_New(),
                        None => self.first_object(shape),
                    };
                    if dict.is_null() {
                        return dict;
                    }
                    if atomic && ffi::PyObject_GC_IsTracked(dict) == 1 {
                        ffi::PyObject_GC_UnTrack(dict.cast());
                    }
                    dict
                }
            }
        }
    }
}

/// Converts a Python value to JSON. Accepts dict (string keys), list, tuple, str, int, float,
/// bool, None, and — because data scientists have them — dates and datetimes (ISO 8601),
/// `Decimal` and numpy/pandas scalars (through `__index__`/`__float__`/`item()`).
pub fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    to_value_at(obj, path, 0)
}

/// Deepest nesting of containers a value may have: as deep as serde_json reads JSON text, so
/// every language has the same limit, and a self-referencing dict is an error, not a crash.
const MAX_DEPTH: usize = 128;

fn to_value_at(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!("{path}: nested deeper than {MAX_DEPTH} levels (or refers to itself)")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        return int_value(obj, path);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_value(f.value(), path);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_cow()?.into_owned(),
                Err(_) => return Err(PyTypeError::new_err(format!("{path}: dict keys must be strings, got {}", type_name(&k)))),
            };
            let p = format!("{path}[{key:?}]");
            m.insert(key, to_value_at(&v, &p, depth + 1)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().enumerate().map(|(i, v)| to_value_at(&v, &format!("{path}[{i}]"), depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().enumerate().map(|(i, v)| to_value_at(&v, &format!("{path}[{i}]"), depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    // Mappings and sequences that are not dicts/lists (e.g. MappingProxy, numpy arrays).
    if obj.hasattr("isoformat")? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract::<String>()?));
    }
    if obj.hasattr("__index__")? {
        return int_value(&obj.call_method0("__index__")?, path);
    }
    if obj.hasattr("item")? && obj.hasattr("dtype")? {
        return to_value_at(&obj.call_method0("item")?, path, depth + 1);
    }
    if obj.hasattr("__float__")? {
        let f: f64 = obj.call_method0("__float__")?.extract()?;
        return float_value(f, path);
    }
    if obj.hasattr("keys")? && obj.hasattr("__getitem__")? {
        let d = PyDict::new(obj.py());
        for k in obj.call_method0("keys")?.try_iter()? {
            let k = k?;
            d.set_item(&k, obj.get_item(&k)?)?;
        }
        return to_value_at(d.as_any(), path, depth + 1);
    }
    if obj.hasattr("tolist")? {
        return to_value_at(&obj.call_method0("tolist")?, path, depth + 1);
    }
    Err(PyTypeError::new_err(format!("{path}: cannot send a value of type {} as JSON", type_name(obj))))
}

fn int_value(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(u) = obj.extract::<u64>() {
        return Ok(Value::from(u));
    }
    Err(PyTypeError::new_err(format!("{path}: integer {} does not fit in 64 bits", obj.str()?)))
}

fn float_value(f: f64, path: &str) -> PyResult<Value> {
    Number::from_f64(f).map(Value::Number).ok_or_else(|| PyTypeError::new_err(format!("{path}: {f} is not a finite number (JSON has no NaN or infinity)")))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}
