//! `NativeEmulator`: the in-process emulator for `exto360.testing.Emulator`.

use exto360_emulator::{Dataset, Emulator, FaultSpec, Settings};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::{loads, to_value};

#[pyclass(module = "exto360._native")]
pub struct NativeEmulator {
    emu: Option<Emulator>,
}

impl NativeEmulator {
    fn emu(&self) -> PyResult<&Emulator> {
        self.emu.as_ref().ok_or_else(|| PyRuntimeError::new_err("the emulator has been stopped"))
    }
}

fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(loads(py, &v.to_string())?.unbind())
}

#[pymethods]
impl NativeEmulator {
    /// `dataset`: a dataset dict (default: the demo dataset); `settings`: emulator settings
    /// (`rateLimit`, `listShape`, ...), the rate limit off unless given.
    #[new]
    #[pyo3(signature = (dataset=None, settings=None, token=None))]
    fn new(py: Python<'_>, dataset: Option<&Bound<'_, PyDict>>, settings: Option<&Bound<'_, PyDict>>, token: Option<String>) -> PyResult<Self> {
        let data = match dataset {
            Some(d) => serde_json::from_value::<Dataset>(to_value(d.as_any(), "dataset")?).map_err(|e| PyValueError::new_err(format!("invalid dataset: {e}")))?,
            None => Dataset::demo(),
        };
        let mut s = serde_json::to_value(Settings { rate_limit: None, ..Default::default() }).unwrap_or_default();
        if let Some(over) = settings
            && let Value::Object(o) = to_value(over.as_any(), "settings")? {
                for (k, v) in o {
                    s[k] = v;
                }
            }
        let settings: Settings = serde_json::from_value(s).map_err(|e| PyValueError::new_err(format!("invalid settings: {e}")))?;
        let mut b = Emulator::builder().dataset(data).settings(settings);
        if let Some(t) = token {
            b = b.token(t);
        }
        let emu = py.detach(|| b.spawn()).map_err(|e| PyRuntimeError::new_err(format!("cannot start the emulator: {e}")))?;
        Ok(NativeEmulator { emu: Some(emu) })
    }

    #[getter]
    fn url(&self) -> PyResult<String> {
        Ok(self.emu()?.url())
    }
    #[getter]
    fn token(&self) -> PyResult<String> {
        Ok(self.emu()?.token())
    }
    fn journal(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &Value::Array(self.emu()?.journal()))
    }
    fn clear_journal(&self) -> PyResult<()> {
        self.emu()?.clear_journal();
        Ok(())
    }
    fn reset(&self) -> PyResult<()> {
        self.emu()?.reset().map_err(PyRuntimeError::new_err)
    }
    fn set_faults(&self, faults: &Bound<'_, PyAny>) -> PyResult<()> {
        let specs: Vec<FaultSpec> = serde_json::from_value(to_value(faults, "faults")?).map_err(|e| PyValueError::new_err(format!("invalid fault: {e}")))?;
        self.emu()?.set_faults(specs).map_err(PyValueError::new_err)
    }
    fn configure(&self, py: Python<'_>, settings: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let emu = self.emu()?;
        let mut cur = serde_json::to_value(emu.shared().settings()).unwrap_or_default();
        if let Value::Object(o) = to_value(settings.as_any(), "settings")? {
            for (k, v) in o {
                cur[k] = v;
            }
        }
        let s: Settings = serde_json::from_value(cur).map_err(|e| PyValueError::new_err(format!("invalid settings: {e}")))?;
        emu.shared().set_settings(s).map_err(PyValueError::new_err)?;
        json_to_py(py, &serde_json::to_value(emu.shared().settings()).unwrap_or_default())
    }
    fn load_dataset(&self, dataset: &Bound<'_, PyDict>) -> PyResult<()> {
        let d: Dataset = serde_json::from_value(to_value(dataset.as_any(), "dataset")?).map_err(|e| PyValueError::new_err(format!("invalid dataset: {e}")))?;
        self.emu()?.shared().load(d).map_err(PyValueError::new_err)
    }
    /// Every stored record of `kind` ("masters"/"modules") `name`, with sub-table rows.
    fn records(&self, py: Python<'_>, kind: &str, name: &str) -> PyResult<Py<PyAny>> {
        let emu = self.emu()?;
        let world = emu.shared().world();
        let t = world.tenants.first().ok_or_else(|| PyValueError::new_err("no tenant"))?;
        let coll = match kind {
            "masters" => t.masters.get(&name.to_uppercase()),
            "modules" => t.modules.get(&name.to_uppercase()),
            _ => return Err(PyValueError::new_err("kind must be 'masters' or 'modules'")),
        };
        let rows: Vec<Value> = coll
            .map(|c| {
                c.records
                    .iter()
                    .map(|r| {
                        let mut v = serde_json::to_value(r).unwrap_or_default();
                        v["subTables"] = serde_json::to_value(&r.sub_tables).unwrap_or_default();
                        v
                    })
                    .collect()
            })
            .unwrap_or_default();
        json_to_py(py, &Value::Array(rows))
    }
    fn stop(&mut self, py: Python<'_>) {
        if let Some(emu) = self.emu.take() {
            py.detach(|| emu.stop());
        }
    }
}
