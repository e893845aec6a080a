//! Helpers shared by the benchmark binaries: CPU time and peak memory of this process, and an
//! emulator running as a separate process (so its work is not counted as the client's).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// CPU time (user + system) of this process so far.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid starting value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage struct.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Peak resident set size of this process (VmHWM), in bytes.
pub fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The `exto360-emulator` binary next to this one (built by the same `cargo build`).
pub fn emulator_binary() -> PathBuf {
    let me = std::env::current_exe().expect("current exe");
    me.with_file_name("exto360-emulator")
}

/// An emulator process serving master `BIG` with `count` generated records under token `bench`.
pub struct EmulatorProcess {
    child: Child,
    pub url: String,
    _data: tempfile_path::TempPath,
}

mod tempfile_path {
    /// A file removed when dropped.
    pub struct TempPath(pub std::path::PathBuf);
    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

impl EmulatorProcess {
    pub fn start(count: usize, rate_limit: &str) -> EmulatorProcess {
        let data = serde_json::json!({"tenants": [{"id": "bench", "tokens": [{"token": "bench", "user": "bench@x.com"}],
            "masters": [{"name": "BIG", "unique": ["code"], "generate": {"count": count}}, {"name": "SINK", "unique": ["code"]}]}]});
        EmulatorProcess::with_data(&data, rate_limit)
    }

    /// An emulator process serving `data` (a dataset).
    pub fn with_data(data: &serde_json::Value, rate_limit: &str) -> EmulatorProcess {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("exto360-bench-{}-{n}.json", std::process::id()));
        std::fs::write(&path, data.to_string()).expect("write dataset");
        let bin = emulator_binary();
        let mut child = Command::new(&bin)
            .args(["--port", "0", "--rate-limit", rate_limit, "--data"])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e} (build it with `cargo build --release -p exto360-emulator`)", bin.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").expect("emulator URL line").to_string();
        EmulatorProcess { child, url, _data: tempfile_path::TempPath(path) }
    }

    /// Sends an admin request (config or faults).
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: serde_json::Value) -> serde_json::Value {
        reqwest::Client::new().request(method, format!("{}/__emulator{path}", self.url)).json(&body).send().await.unwrap().json().await.unwrap()
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
