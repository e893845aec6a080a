//! `exto360._native`: the Rust side of the Python package. It holds no API logic: every
//! operation is `exto360::json::call` of the core; this crate moves values between Python and
//! the core, waits without the GIL, and keeps working after `os.fork()`.

mod arrow;
mod client;
mod convert;
mod documents;
mod emulator;
mod errors;
mod runtime;
mod tape;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePager>()?;
    m.add_class::<emulator::NativeEmulator>()?;
    m.add_function(wrap_pyfunction!(render_filter, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    arrow::register(m)?;
    documents::register(m)?;
    m.add("__version__", exto360::VERSION)?;
    Ok(())
}

/// Renders a filter (its JSON form) in the API's grammar; raises InvalidInputError.
#[pyfunction]
fn render_filter(py: Python<'_>, spec: &Bound<'_, pyo3::types::PyDict>) -> PyResult<String> {
    let spec = convert::to_value(spec.as_any(), "filter")?;
    exto360::json::filter_from_json(&spec).render().map_err(|e| errors::to_py(py, &e))
}

/// Runs the `exto360` command line (program name first) in this process, without the GIL;
/// returns its exit status. What the `exto360` console script calls.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| exto360_cli::run(argv))
}
