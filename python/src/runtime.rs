//! The tokio runtime behind every call, and the two ways Python waits for it:
//! blocking (GIL released, Ctrl-C checked every 100 ms) and asyncio (a future completed from
//! the runtime with `call_soon_threadsafe`).
//!
//! After `os.fork()` the child has none of the parent's threads: a runtime (or a connection
//! pool) made before the fork would hang it. Everything here is tagged with the process id and
//! rebuilt in a child.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The runtime of this process (a new one after a fork).
pub fn get() -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((p, rt)) = slot.as_ref()
        && *p == pid {
            return Ok(rt.clone());
        }
    if let Some(old) = slot.take() {
        // Inherited from the parent: its worker threads do not exist here, so it can be neither
        // used nor shut down. Leak it.
        std::mem::forget(old);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("exto360")
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("exto360: cannot start its runtime: {e}")))?;
    let rt = Arc::new(rt);
    *slot = Some((pid, rt.clone()));
    Ok(rt)
}

/// Runs `fut` to completion with the GIL released; raises `KeyboardInterrupt` (and cancels
/// the work) promptly on Ctrl-C.
pub fn block_on<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let rt = get()?;
    let mut handle = rt.spawn(fut);
    loop {
        let step = py.detach(|| rt.block_on(async { tokio::time::timeout(Duration::from_millis(100), &mut handle).await }));
        match step {
            Ok(Ok(v)) => return Ok(v),
            Ok(Err(e)) => return Err(PyRuntimeError::new_err(format!("exto360: internal error: {e}"))),
            Err(_) => {
                if let Err(e) = py.check_signals() {
                    handle.abort();
                    return Err(e);
                }
            }
        }
    }
}

/// Aborts the Rust task when its asyncio future is cancelled.
#[pyclass(frozen)]
struct CancelOnDone {
    abort: AbortHandle,
}

#[pymethods]
impl CancelOnDone {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.abort.abort();
        }
        Ok(())
    }
}

/// Sets the asyncio future's result or exception, unless it was cancelled meanwhile.
#[pyclass(frozen)]
struct Complete {
    fut: Py<PyAny>,
    result: Mutex<Option<PyResult<Py<PyAny>>>>,
}

#[pymethods]
impl Complete {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let fut = self.fut.bind(py);
        if fut.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        match self.result.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(Ok(v)) => fut.call_method1("set_result", (v,))?,
            Some(Err(e)) => fut.call_method1("set_exception", (e.into_value(py),))?,
            None => return Ok(()),
        };
        Ok(())
    }
}

/// An asyncio future for `fut`, whose output `convert` turns into a Python object (with the
/// GIL held). Must be called from a coroutine (it needs the running loop).
pub fn future_into_py<'py, T, F, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_fut = event_loop.call_method0("create_future")?;
    let rt = get()?;
    let handle = rt.spawn(fut);
    py_fut.call_method1("add_done_callback", (CancelOnDone { abort: handle.abort_handle() },))?;
    let (loop_ref, fut_ref) = (event_loop.unbind(), py_fut.clone().unbind());
    rt.spawn(async move {
        let out = handle.await;
        Python::attach(|py| {
            let result = match out {
                Ok(v) => convert(py, v),
                Err(e) if e.is_cancelled() => return,
                Err(e) => Err(PyRuntimeError::new_err(format!("exto360: internal error: {e}"))),
            };
            let done = Complete { fut: fut_ref, result: Mutex::new(Some(result)) };
            // A closed loop cannot take the result any more; nobody is waiting for it then.
            let _ = loop_ref.bind(py).call_method1("call_soon_threadsafe", (done,));
        });
    });
    Ok(py_fut)
}
