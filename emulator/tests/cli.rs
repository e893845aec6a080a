//! The `exto360-emulator` binary: first line, demo data with no arguments, clean stop on SIGTERM.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_its_url_serves_demo_data_and_stops_on_sigterm() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut child = Command::new(env!("CARGO_BIN_EXE_exto360-emulator"))
        .args(["--port", "0", "--rate-limit", "off"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    drop(out); // a reader that stops after the first line must not stop the server
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line:?}")).to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let total = rt.block_on(async {
        let v: serde_json::Value = reqwest::Client::new()
            .get(format!("{url}/data/api/v1/master-record/LOCATION"))
            .bearer_auth("demo-token")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["total"].as_u64().unwrap()
    });
    assert_eq!(total, 6);
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
}

#[test]
fn bad_flags_are_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_exto360-emulator")).args(["--rate-limit", "fast"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rate-limit takes a number"));
    let out = Command::new(env!("CARGO_BIN_EXE_exto360-emulator")).args(["--data", "/nonexistent.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent.yaml"));
}
