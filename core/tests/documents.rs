//! Documents, workspaces and job status through the typed Rust API, against the in-process
//! emulator: uploads from readers, paths and bytes (byte-identical round trips, the write retry
//! policy, chunks of 100, partial 200 answers), downloads that leave nothing behind when they
//! fail or are cancelled, the blocking forms, and the token kept out of every error.
mod common;

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use common::Env;
use exto360::{ErrorKind, FileState, UploadFile, UploadOptions, WriteState};
use exto360_emulator::Emulator;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

const TENANT: &str = "cwWdTZK";
const PROJECT: &str = "Vx6-j2Z";

/// `n` bytes that are not a repeating pattern (a shifted or dropped piece would show).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn scoped(env: &Env) -> exto360::ClientBuilder {
    env.builder().tenant_id(TENANT).project_id(PROJECT)
}

/// What the journal recorded of the upload requests: each one's status and file names.
fn uploads(env: &Env) -> Vec<(u64, Vec<String>)> {
    env.requests_to("/api/v1/documents")
        .iter()
        .filter(|e| e["method"] == "POST")
        .map(|e| {
            let names = e["body"]["files"].as_array().map(|f| f.iter().map(|f| f["fileName"].as_str().unwrap().to_string()).collect()).unwrap_or_default();
            (e["status"].as_u64().unwrap_or(0), names)
        })
        .collect()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// A reader that yields `data` in pieces of uneven sizes, so a piece boundary never lines up
/// with the client's read buffer.
fn uneven_reader(data: Vec<u8>) -> impl tokio::io::AsyncRead + Send + Unpin + 'static {
    let mut pieces = Vec::new();
    let (mut at, mut step) = (0, 1usize);
    while at < data.len() {
        let end = (at + step).min(data.len());
        pieces.push(Ok::<_, std::io::Error>(Bytes::copy_from_slice(&data[at..end])));
        at = end;
        step = step * 7 % 300_007 + 1;
    }
    tokio_util::io::StreamReader::new(futures_util::stream::iter(pieces))
}

#[tokio::test]
async fn a_reader_upload_round_trips_byte_identical_through_the_download_stream() {
    let env = Env::start().await;
    let c = scoped(&env).build().unwrap();
    // With a known size (Content-Length) and without (chunked).
    for (i, size_known) in [true, false].into_iter().enumerate() {
        let data = noise(3 * 1024 * 1024 + 17, i as u64 + 1);
        let size = size_known.then_some(data.len() as u64);
        let file = UploadFile::reader(format!("blob{i}.bin"), uneven_reader(data.clone()), size);
        let report = c.documents().upload(vec![file], &UploadOptions::new()).await.unwrap();
        assert_eq!((report.uploaded_count, report.failed_count, report.unknown_count), (1, 0, 0));
        let doc = report.documents().next().unwrap().clone();
        assert_eq!(doc.file_size, Some(data.len() as u64));

        let dl = c.documents().download(&doc.document_id, None).await.unwrap();
        assert_eq!(dl.file_name.as_deref(), Some(format!("blob{i}.bin").as_str()));
        assert_eq!(dl.content_length, Some(data.len() as u64));
        let pieces: Vec<Bytes> = dl.try_collect().await.unwrap();
        let got = pieces.concat();
        assert_eq!(got.len(), data.len());
        assert!(got == data, "downloaded bytes differ from the uploaded reader's bytes");
    }
}

#[tokio::test]
async fn a_reader_upload_is_sent_once_even_where_writes_are_retried() {
    let env = Env::start().await;
    // The most retrying client there is: even so, a reader's bytes cannot be read again.
    let c = scoped(&env).retry_writes(true).max_retries(5).build().unwrap();
    env.faults(json!({"kind": "status", "status": 500, "method": "POST", "path": "/api/v1/documents", "times": 1}));
    let e = c.documents().upload(vec![UploadFile::reader("r.bin", uneven_reader(noise(200_000, 3)), None)], &UploadOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e}");
    assert_eq!(e.retries(), 0, "{e:?}");
    let report = e.upload().expect("the error carries the upload report");
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.files[0].state, FileState::Unknown, "a 500 may have stored it: {report:?}");
    assert_eq!(report.unknown_count, 1);
    assert_eq!(e.bulk().unwrap().unknown(), vec![0]);
    assert_eq!(uploads(&env).len(), 1, "one request, never a second: {:?}", uploads(&env));
    // A rate limit is retried for any write, but not when a reader was consumed: not stored.
    env.emu.shared().journal().clear();
    env.faults(json!({"kind": "status", "status": 429, "retryAfter": 0, "method": "POST", "path": "/api/v1/documents", "times": 1}));
    let e = c.documents().upload(vec![UploadFile::reader("r.bin", uneven_reader(noise(1000, 4)), Some(1000))], &UploadOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert_eq!(e.upload().unwrap().files[0].state, FileState::Failed, "{e:?}");
    assert_eq!(uploads(&env).len(), 1);
}

#[tokio::test]
async fn a_path_upload_is_retried_only_as_the_write_policy_allows() {
    let env = Env::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    let data = noise(700_000, 5);
    std::fs::write(&path, &data).unwrap();
    let fault = json!({"kind": "status", "status": 500, "method": "POST", "path": "/api/v1/documents", "times": 1});

    // Default policy: a 500 on a write is not retried, and may have stored the file.
    let c = scoped(&env).build().unwrap();
    env.faults(fault.clone());
    let e = c.documents().upload(vec![UploadFile::path(&path)], &UploadOptions::new()).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(500)), "{e}");
    assert_eq!(e.write_state(), WriteState::Unknown);
    let r = e.upload().unwrap();
    assert_eq!((r.files[0].state, r.files[0].file_name.as_str()), (FileState::Unknown, "report.csv"));
    assert_eq!(uploads(&env).len(), 1);

    // retry_writes: the second attempt opens the file again and sends it whole.
    env.emu.shared().journal().clear();
    let c = scoped(&env).retry_writes(true).build().unwrap();
    env.faults(fault);
    let report = c.documents().upload(vec![UploadFile::path(&path)], &UploadOptions::new()).await.unwrap();
    let attempts = uploads(&env);
    assert_eq!(attempts.iter().map(|a| a.0).collect::<Vec<_>>(), vec![500, 200], "{attempts:?}");
    let id = &report.files[0].document.as_ref().unwrap().document_id;
    let got: Vec<Bytes> = c.documents().download(id, None).await.unwrap().try_collect().await.unwrap();
    assert!(got.concat() == data, "the retried upload stored the file whole");
}

#[tokio::test]
async fn files_beyond_100_go_in_further_requests_and_are_reported_in_input_order() {
    let env = Env::start().await;
    let c = scoped(&env).build().unwrap();
    let files = |n: usize| (0..n).map(|i| UploadFile::bytes(format!("f{i:03}.txt"), format!("file {i}"))).collect::<Vec<_>>();
    let report = c.documents().upload(files(250), &UploadOptions::new().record("CUSTOMMODULE", "MOD-1")).await.unwrap();
    assert_eq!(report.uploaded_count, 250);
    for (i, f) in report.files.iter().enumerate() {
        assert_eq!((f.index, f.file_name.as_str(), f.state), (i, format!("f{i:03}.txt").as_str(), FileState::Uploaded));
        assert_eq!(f.document.as_ref().unwrap().file_size, Some(format!("file {i}").len() as u64));
    }
    let ids: std::collections::HashSet<_> = report.documents().map(|d| d.document_id.clone()).collect();
    assert_eq!(ids.len(), 250);
    let sent = uploads(&env);
    assert_eq!(sent.iter().map(|s| s.1.len()).collect::<Vec<_>>(), vec![100, 100, 50]);
    let names: Vec<String> = sent.into_iter().flat_map(|s| s.1).collect();
    assert_eq!(names, (0..250).map(|i| format!("f{i:03}.txt")).collect::<Vec<_>>());

    // The second request fails: the first 100 were stored, the next 100 may have been, the
    // last 50 were never sent.
    env.emu.shared().journal().clear();
    env.faults(json!({"kind": "status", "status": 503, "method": "POST", "path": "/api/v1/documents", "skip": 1, "times": 1}));
    let e = c.documents().upload(files(250), &UploadOptions::new()).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    let r = e.upload().unwrap();
    assert_eq!((r.uploaded_count, r.unknown_count, r.failed_count), (100, 100, 50));
    assert!(r.files[..100].iter().all(|f| f.state == FileState::Uploaded && f.document.is_some()));
    assert!(r.files[100..200].iter().all(|f| f.state == FileState::Unknown));
    assert!(r.files[200..].iter().all(|f| f.state == FileState::Failed));
    assert!(r.files.iter().enumerate().all(|(i, f)| f.index == i));
    let b = e.bulk().unwrap();
    assert_eq!((b.written_count(), b.unknown_count(), b.not_written_count()), (100, 100, 50));
    assert_eq!(b.inserted_ids.len(), 100);
    assert_eq!(uploads(&env).len(), 2, "after a failed request no further one is sent");
}

fn lower_file_limit(env: &Env, max: u64) {
    let mut s = env.emu.shared().settings();
    s.max_file_bytes = max;
    env.emu.shared().set_settings(s).unwrap();
}

#[tokio::test]
async fn a_partial_200_is_an_error_that_names_each_failed_file_with_the_servers_message() {
    let env = Env::start().await;
    lower_file_limit(&env, 1000);
    let c = scoped(&env).build().unwrap();
    let files = vec![UploadFile::bytes("small.txt", "ok"), UploadFile::bytes("big.bin", vec![7u8; 2000]), UploadFile::bytes("also.txt", "fine")];
    let e = c.documents().upload(files, &UploadOptions::new()).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.summary()), (ErrorKind::BadRequest, Some(200), Some("errors.error_partial_upload")), "{e}");
    assert_eq!(e.details(), ["files[1] big.bin: errors.error_file_too_large"]);
    assert!(e.to_string().contains("2 of 3 files uploaded"), "{e}");
    let r = e.upload().unwrap();
    let states: Vec<_> = r.files.iter().map(|f| (f.file_name.as_str(), f.state, f.message.as_deref())).collect();
    assert_eq!(
        states,
        vec![("small.txt", FileState::Uploaded, None), ("big.bin", FileState::Failed, Some("errors.error_file_too_large")), ("also.txt", FileState::Uploaded, None)]
    );
    assert_eq!((e.bulk().unwrap().written(), e.bulk().unwrap().not_written()), (vec![0, 2], vec![1]));

    // Two files of the same name, the first too large: the report names the right one.
    let files = vec![UploadFile::bytes("same.bin", vec![1u8; 5000]), UploadFile::bytes("same.bin", vec![2u8; 10])];
    let e = c.documents().upload(files, &UploadOptions::new()).await.unwrap_err();
    let r = e.upload().unwrap();
    assert_eq!(r.files.iter().map(|f| f.state).collect::<Vec<_>>(), vec![FileState::Failed, FileState::Uploaded], "{r:?}");
    assert_eq!(r.files[1].document.as_ref().unwrap().file_size, Some(10));

    // None stored: the API's "upload failed".
    let e = c.documents().upload(vec![UploadFile::bytes("big.bin", vec![0u8; 1001])], &UploadOptions::new()).await.unwrap_err();
    assert_eq!(e.summary(), Some("errors.error_upload_failed"), "{e}");
    assert_eq!(e.upload().unwrap().failed_count, 1);
    assert_eq!(e.write_state(), WriteState::NotWritten, "{e:?}");
}

/// Uploads `data` and returns its document id.
async fn stored(c: &exto360::Client, name: &str, data: Vec<u8>, opts: &UploadOptions) -> String {
    let r = c.documents().upload(vec![UploadFile::bytes(name, data)], opts).await.unwrap();
    r.files[0].document.as_ref().unwrap().document_id.clone()
}

#[tokio::test]
async fn a_truncated_download_leaves_neither_the_file_nor_a_temporary_one() {
    let env = Env::start().await;
    let c = scoped(&env).build().unwrap();
    let opts = UploadOptions::new().record("CUSTOMMODULE", "MOD-1");
    let id = stored(&c, "data.bin", noise(2_000_000, 9), &opts).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.bin");
    for all in [false, true] {
        env.faults(json!({"kind": "truncate", "method": "GET", "path": "/api/v1/documents/download"}));
        let e = if all {
            c.documents().download_all_to("MOD-1", "CUSTOMMODULE", &target).await.unwrap_err()
        } else {
            c.documents().download_to(&id, None, &target).await.unwrap_err()
        };
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        assert!(entries(dir.path()).is_empty(), "left behind: {:?}", entries(dir.path()));
    }
    // A file already at the path is untouched by a failed download, and replaced by a good one.
    std::fs::write(&target, "previous").unwrap();
    let e = c.documents().download_to(&id, None, &target).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert_eq!(entries(dir.path()), ["out.bin"]);
    assert_eq!(std::fs::read(&target).unwrap(), b"previous");
    env.emu.set_faults(vec![]).unwrap();
    let f = c.documents().download_to(&id, None, &target).await.unwrap();
    assert_eq!(f.bytes, 2_000_000);
    assert!(std::fs::read(&target).unwrap() == noise(2_000_000, 9));
    assert_eq!(entries(dir.path()), ["out.bin"]);
}

/// A server that answers any request with a 200 promising `total` bytes, sends the first
/// 64 KiB, and then stalls until the test ends.
async fn stalling_server(total: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 4096];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\ncontent-disposition: attachment; filename=\"big.bin\"\r\n\r\n");
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&vec![1u8; 64 * 1024]).await;
                let _ = sock.flush().await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
            });
        }
    });
    format!("http://{addr}/")
}

#[tokio::test]
async fn dropping_a_download_to_future_mid_transfer_removes_the_temporary_file() {
    let url = stalling_server(10_000_000).await;
    let c = exto360::Client::builder().base_url(url).token("t0ken-for-stall").tenant_id(TENANT).project_id(PROJECT).rate_limit(None).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.bin");
    std::fs::write(&target, "previous").unwrap();
    let task = {
        let (c, target) = (c.clone(), target.clone());
        tokio::spawn(async move { c.documents().download_to("doc1", None, &target).await })
    };
    // Wait for the transfer to be under way: its temporary file exists beside the target.
    let mut waited = 0;
    while !entries(dir.path()).iter().any(|n| n.ends_with(".part")) {
        assert!(waited < 1000, "the download never started: {:?}", entries(dir.path()));
        assert!(!task.is_finished(), "the download ended early: {:?}", task.await);
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    let part = entries(dir.path()).into_iter().find(|n| n.ends_with(".part")).unwrap();
    assert!(part.starts_with(".big.bin."), "{part}");
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    assert_eq!(entries(dir.path()), ["big.bin"], "the temporary file was removed");
    assert_eq!(std::fs::read(&target).unwrap(), b"previous");
}

#[tokio::test]
async fn the_token_never_appears_in_an_upload_error() {
    let env = Env::start().await;
    let token = env.emu.token();
    assert!(token.len() >= 6);
    let c = scoped(&env).build().unwrap();
    let mut errors = Vec::new();
    // A server error, a partial 200, a missing file, a refused connection, a bad token.
    env.faults(json!({"kind": "status", "status": 500, "method": "POST", "path": "/api/v1/documents", "times": 1}));
    errors.push(c.documents().upload(vec![UploadFile::bytes("a.txt", "a")], &UploadOptions::new()).await.unwrap_err());
    lower_file_limit(&env, 1);
    errors.push(c.documents().upload(vec![UploadFile::bytes("a.txt", "ab"), UploadFile::bytes("b.txt", "b")], &UploadOptions::new()).await.unwrap_err());
    errors.push(c.documents().upload(vec![UploadFile::path("/nonexistent/x.txt")], &UploadOptions::new()).await.unwrap_err());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let off = exto360::Client::builder().base_url(format!("http://127.0.0.1:{port}/")).token(token.clone()).tenant_id(TENANT).project_id(PROJECT).rate_limit(None).max_retries(0).build().unwrap();
    errors.push(off.documents().upload(vec![UploadFile::bytes("a.txt", "a")], &UploadOptions::new()).await.unwrap_err());
    let wrong = format!("{token}-wrong");
    let bad = scoped(&env).token(wrong.clone()).build().unwrap();
    errors.push(bad.documents().upload(vec![UploadFile::bytes("a.txt", "a")], &UploadOptions::new()).await.unwrap_err());
    assert_eq!(errors[4].kind(), ErrorKind::Unauthorized, "{}", errors[4]);
    for e in &errors {
        for text in [e.to_string(), format!("{e:?}"), serde_json::to_string(&e.upload()).unwrap()] {
            assert!(!text.contains(&token), "token in {text}");
        }
    }
    for text in [errors[4].to_string(), format!("{:?}", errors[4])] {
        assert!(!text.contains("-wrong"), "token in {text}");
    }
    // The journal keeps the header masked.
    assert!(env.journal().iter().all(|e| !e.to_string().contains(&token)));
}

#[test]
fn blocking_forms_upload_download_workspaces_and_jobs() {
    let emu = Emulator::builder().rate_limit(None).spawn().unwrap();
    let c = exto360::blocking::Client::from_builder(
        exto360::Client::builder().base_url(emu.url()).token(emu.token()).tenant_id(TENANT).project_id(PROJECT).rate_limit(None),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.bin");
    let data = noise(1_000_000, 11);
    std::fs::write(&src, &data).unwrap();

    // Documents.
    let opts = UploadOptions::new().record("CUSTOMMODULE", "MOD-1");
    let r = c.documents().upload(vec![UploadFile::path(&src), UploadFile::bytes("note.txt", "hello")], &opts).unwrap();
    assert_eq!(r.uploaded_count, 2);
    let id = r.files[0].document.as_ref().unwrap().document_id.clone();
    let out = dir.path().join("out.bin");
    let f = c.documents().download_to(&id, None, &out).unwrap();
    assert_eq!((f.bytes, f.file_name.as_deref()), (1_000_000, Some("in.bin")));
    assert!(std::fs::read(&out).unwrap() == data);
    let zip = dir.path().join("all.zip");
    c.documents().download_all_to("MOD-1", "CUSTOMMODULE", &zip).unwrap();
    let z = std::fs::read(&zip).unwrap();
    assert_eq!(&z[..4], b"PK\x03\x04");
    assert!(z.windows(6).any(|w| w == b"in.bin") && z.windows(8).any(|w| w == b"note.txt"));
    let e = c.documents().download_to("000000000000000000000000", None, dir.path().join("missing.bin")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert!(!dir.path().join("missing.bin").exists());

    // Workspaces.
    let ws = c.workspaces();
    let parent = ws.create("Plants", None).unwrap();
    let child = ws.create("Line 1", Some(&parent.id)).unwrap();
    assert_eq!(child.parent_id.as_deref(), Some(parent.id.as_str()));
    let renamed = ws.update(&child.id, "Line 1A", Some(&parent.id)).unwrap();
    assert_eq!(renamed.name, "Line 1A");
    assert_eq!(ws.get(&child.id).unwrap().name, "Line 1A");
    let page = ws.list(&Default::default()).unwrap();
    assert!(page.rows.iter().any(|w| w.id == child.id && w.name == "Line 1A"), "{:?}", page.rows);

    // Jobs: run marks Completed, or Failed with the error logged, and returns work's outcome.
    let jobs = c.jobs();
    let ok = jobs.run("Nightly import", "Import", |job| {
        job.log("read 10 rows")?;
        Ok(job.id().to_string())
    });
    let ok_id = ok.unwrap();
    let failed = jobs.run("Broken export", "Export", |job| -> exto360::Result<()> {
        job.log("starting")?;
        Err(exto360::Error::invalid_input("disk full"))
    });
    let err = failed.unwrap_err();
    assert_eq!((err.kind(), err.message()), (ErrorKind::InvalidInput, "disk full"));
    let list = jobs.list(PROJECT, 1, 50).unwrap();
    let job = |title: &str| list.rows.iter().find(|j| j["jobTitle"] == title).cloned().unwrap_or_else(|| panic!("{title} not listed: {:?}", list.rows));
    let done = job("Nightly import");
    assert_eq!(done["_id"].as_str(), Some(ok_id.as_str()));
    assert_eq!(done["status"], "Completed");
    assert!(done["duration"].is_number(), "{done:?}");
    assert_eq!(done["log"].as_array().unwrap().iter().map(|l| l["message"].clone()).collect::<Vec<_>>(), vec![json!("read 10 rows")]);
    let broken = job("Broken export");
    assert_eq!(broken["status"], "Failed");
    let log: Vec<(Value, Value)> = broken["log"].as_array().unwrap().iter().map(|l| (l["message"].clone(), l["level"].clone())).collect();
    assert_eq!(log.last().unwrap(), &(json!("disk full"), json!("error")), "{log:?}");
    assert_eq!(log[0].0, json!("starting"));

    // A job whose end cannot be reported still returns work's own outcome.
    let faults = json!([{"kind": "status", "status": 400, "method": "PUT", "path": "/api/v1/jobstatus"}]);
    emu.set_faults(serde_json::from_value(faults).unwrap()).unwrap();
    assert_eq!(jobs.run("Unreported", "Load", |_| Ok(7)).unwrap(), 7);
    let e = jobs.run("Unreported failure", "Load", |_| -> exto360::Result<()> { Err(exto360::Error::invalid_input("own error")) }).unwrap_err();
    assert_eq!(e.message(), "own error");
    let puts = emu.journal().into_iter().filter(|e| e["method"] == "PUT" && e["status"] == 400).count();
    assert_eq!(puts, 2, "both ends were attempted");
}

#[tokio::test]
async fn a_reader_that_fails_mid_upload_is_reported_with_its_own_error() {
    let env = Env::start().await;
    let c = scoped(&env).retry_writes(true).build().unwrap();
    let pieces = vec![Ok(Bytes::from(vec![1u8; 300_000])), Err(std::io::Error::other("disk read failed at 300000"))];
    let reader = tokio_util::io::StreamReader::new(futures_util::stream::iter(pieces));
    let e = c.documents().upload(vec![UploadFile::bytes("ok.txt", "fine"), UploadFile::reader("bad.bin", reader, None)], &UploadOptions::new()).await.unwrap_err();
    assert!(e.to_string().contains("disk read failed"), "{e}");
    // The body broke off mid-request: never retried, and not claimed as stored or as refused.
    assert_eq!(e.retries(), 0);
    let r = e.upload().unwrap();
    assert_eq!(r.files.iter().map(|f| f.state).collect::<Vec<_>>(), vec![FileState::Unknown, FileState::Unknown], "{r:?}");
    assert!(uploads(&env).iter().all(|u| u.0 != 200), "{:?}", uploads(&env));
}
