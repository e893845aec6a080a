//! JSON ↔ Python objects. JSON text becomes dicts and lists in one pass (a serde visitor that
//! builds Python objects directly, with repeated keys shared), and Python values become JSON
//! with a clear error naming the path of anything that cannot be.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::fmt;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses JSON text into Python objects.
pub fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut keys = KeyCache::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Seed { py, keys: &mut keys }.deserialize(&mut de).map_err(|e| PyTypeError::new_err(format!("invalid JSON from the client: {e}")))?;
    de.end().map_err(|e| PyTypeError::new_err(format!("invalid JSON from the client: {e}")))?;
    Ok(v.into_bound(py))
}

/// Record keys repeat on every row: one Python string per distinct key. (FxHash: the keys are
/// short and trusted-shape; SipHash was a measurable share of the conversion.) Short string
/// values repeat too — within a record (`_id`/`id`, `refId`/`slug`, `createdAt`/`updatedAt`)
/// and across records (tenant, project, status, users) — so a small direct-mapped cache shares
/// one immutable Python string for them.
#[derive(Default)]
struct KeyCache {
    map: HashMap<String, Py<PyString>, rustc_hash::FxBuildHasher>,
    values: Vec<Option<(Box<str>, Py<PyString>)>>,
}

const VALUE_SLOTS: usize = 512;
const VALUE_MAX_LEN: usize = 40;

impl KeyCache {
    fn value<'py>(&mut self, py: Python<'py>, v: &str) -> Bound<'py, PyString> {
        if v.len() > VALUE_MAX_LEN {
            return PyString::new(py, v);
        }
        if self.values.is_empty() {
            self.values.resize_with(VALUE_SLOTS, || None);
        }
        let slot = (rustc_hash::FxBuildHasher.hash_one(v) as usize) % VALUE_SLOTS;
        if let Some((k, s)) = &self.values[slot] {
            if &**k == v {
                return s.bind(py).clone();
            }
        }
        let s = PyString::new(py, v);
        self.values[slot] = Some((v.into(), s.clone().unbind()));
        s
    }

    fn get<'py>(&mut self, py: Python<'py>, k: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.map.get(k) {
            return s.bind(py).clone();
        }
        let s = PyString::new(py, k);
        if self.map.len() < 4096 {
            self.map.insert(k.to_string(), s.clone().unbind());
        }
        s
    }
}

struct Seed<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache,
}

fn py_err<E: de::Error>(e: PyErr) -> E {
    E::custom(e.to_string())
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Py<PyAny>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = Py<PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, v).to_owned().into_any().unbind())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.py, v).into_any().unbind())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.py, v).into_any().unbind())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.py, v).into_any().unbind())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.keys.value(self.py, v).into_any().unbind())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        while let Some(v) = seq.next_element_seed(Seed { py: self.py, keys: &mut *self.keys })? {
            items.push(v);
        }
        Ok(PyList::new(self.py, items).map_err(py_err)?.into_any().unbind())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = self.keys.get(self.py, &k);
            let v = map.next_value_seed(Seed { py: self.py, keys: &mut *self.keys })?;
            dict.set_item(key, v).map_err(py_err)?;
        }
        Ok(dict.into_any().unbind())
    }
}

/// Converts a Python value to JSON. Accepts dict (string keys), list, tuple, str, int, float,
/// bool, None, and — because data scientists have them — dates and datetimes (ISO 8601),
/// `Decimal` and numpy/pandas scalars (through `__index__`/`__float__`/`item()`).
pub fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
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
            m.insert(key, to_value(&v, &p)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().enumerate().map(|(i, v)| to_value(&v, &format!("{path}[{i}]"))).collect::<PyResult<_>>().map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().enumerate().map(|(i, v)| to_value(&v, &format!("{path}[{i}]"))).collect::<PyResult<_>>().map(Value::Array);
    }
    // Mappings and sequences that are not dicts/lists (e.g. MappingProxy, numpy arrays).
    if obj.hasattr("isoformat")? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract::<String>()?));
    }
    if obj.hasattr("__index__")? {
        return int_value(&obj.call_method0("__index__")?, path);
    }
    if obj.hasattr("item")? && obj.hasattr("dtype")? {
        return to_value(&obj.call_method0("item")?, path);
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
        return to_value(d.as_any(), path);
    }
    if obj.hasattr("tolist")? {
        return to_value(&obj.call_method0("tolist")?, path);
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
