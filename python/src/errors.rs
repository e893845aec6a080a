//! The one mapping from a core error to a Python exception: the error's JSON form goes to
//! `exto360.errors._from_native`, which picks the class (`NotFoundError`, `BulkWriteError`, ...).

use pyo3::prelude::*;

pub fn to_py(py: Python<'_>, e: &exto360::Error) -> PyErr {
    let info = exto360::json::error_json(e).to_string();
    let made = (|| -> PyResult<PyErr> {
        let dict = crate::convert::loads(py, &info)?;
        let exc = py.import("exto360.errors")?.getattr("_from_native")?.call1((dict,))?;
        Ok(PyErr::from_value(exc))
    })();
    made.unwrap_or_else(|err| err)
}
