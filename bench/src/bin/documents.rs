//! Document transfer benchmark: upload and download one file (1 GiB by default,
//! `BENCH_FILE_MB` to change) to an emulator in another process, with the Rust core and with
//! `curl` on the same file against the same emulator, in the same run. Prints MB/s of each and
//! the peak RSS of this (the client) process. Goals (issue 17): RSS ≤ 64 MB, throughput within
//! 1.5× of curl. Figures only; it never fails on time.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use exto360::{Client, UploadFile, UploadOptions};
use exto360_bench::{EmulatorProcess, install_crypto, mb, peak_rss};

fn make_file(path: &std::path::Path, size_mb: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create the test file"));
    let block: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    for _ in 0..size_mb {
        f.write_all(&block).expect("write the test file");
    }
    f.flush().expect("flush the test file");
}

fn curl(output: &str, args: &[&str]) -> Option<f64> {
    let t = Instant::now();
    let out = Command::new("curl").args(["-sS", "-o", output, "-w", "%{http_code}"]).args(args).output().ok()?;
    let code = String::from_utf8_lossy(&out.stdout).to_string();
    (out.status.success() && code.starts_with('2')).then(|| t.elapsed().as_secs_f64()).or_else(|| {
        eprintln!("curl failed: {code} {}", String::from_utf8_lossy(&out.stderr));
        None
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    install_crypto();
    let size_mb: u64 = std::env::var("BENCH_FILE_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let dir = std::env::temp_dir().join(format!("exto360-docs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = dir.join("big.bin");
    make_file(&src, size_mb);
    let bytes = size_mb << 20;
    let data = serde_json::json!({"tenants": [{"id": "bench", "projects": [{"id": "P1", "name": "Bench"}], "tokens": [{"token": "bench", "user": "bench@x.com"}]}]});
    let emu = EmulatorProcess::with_data(&data, "off");
    emu.admin(reqwest::Method::PATCH, "/config", serde_json::json!({"maxFileBytes": bytes + 1, "journalLimit": 100})).await;
    let rss_before = peak_rss();

    let client = Client::builder().base_url(&emu.url).token("bench").tenant_id("bench").project_id("P1").rate_limit(None).build().expect("client");
    let docs = client.documents();
    let t = Instant::now();
    let report = docs.upload(vec![UploadFile::path(&src)], &UploadOptions::new()).await.expect("upload");
    let up_s = t.elapsed().as_secs_f64();
    let id = report.documents().next().expect("a document").document_id.clone();
    let out = dir.join("down.bin");
    let t = Instant::now();
    let got = docs.download_to(&id, None, &out).await.expect("download");
    let down_s = t.elapsed().as_secs_f64();
    assert_eq!(got.bytes, bytes, "the download has every byte");
    let _ = std::fs::remove_file(&out);
    // The same download as a byte stream, dropped as it comes (what curl -o /dev/null does).
    let t = Instant::now();
    let mut stream = docs.download(&id, None).await.expect("download");
    let mut n = 0u64;
    while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
        n += chunk.expect("download chunk").len() as u64;
    }
    let stream_s = t.elapsed().as_secs_f64();
    assert_eq!(n, bytes);
    let rss = peak_rss();

    // curl: the same file, the same emulator.
    let auth = "Authorization: Bearer bench";
    let up_url = format!("{}/api/v1/documents", emu.url);
    let form = format!("files=@{}", src.display());
    let curl_up = curl("/dev/null", &["-H", auth, "-H", "x-tenant-id: bench", "-H", "x-project-id: P1", "-F", &form, &up_url]);
    let down_url = format!("{}/api/v1/documents/download/{id}", emu.url);
    let curl_file = dir.join("curl.bin");
    let t = Instant::now();
    let curl_down = curl(curl_file.to_str().unwrap_or_default(), &["-H", auth, "-H", "x-tenant-id: bench", "-H", "x-project-id: P1", &down_url]).map(|_| {
        // Flushed to disk like the Rust download to a path.
        let _ = std::fs::File::open(&curl_file).and_then(|f| f.sync_all());
        t.elapsed().as_secs_f64()
    });
    let curl_null = curl("/dev/null", &["-H", auth, "-H", "x-tenant-id: bench", "-H", "x-project-id: P1", &down_url]);

    let rate = |s: f64| mb(bytes) / s;
    println!("documents: {size_mb} MiB file, emulator in another process");
    println!("  rust upload    {:8.1} MB/s ({up_s:.2} s)", rate(up_s));
    println!("  rust download  {:8.1} MB/s ({down_s:.2} s, to a path: temp file + fsync + rename)", rate(down_s));
    println!("  rust download  {:8.1} MB/s ({stream_s:.2} s, as a stream, discarded)", rate(stream_s));
    match (curl_up, curl_down, curl_null) {
        (Some(u), Some(d), Some(z)) => {
            println!("  curl upload    {:8.1} MB/s ({u:.2} s)   rust/curl time {:.2}x (goal ≤ 1.5x)", rate(u), up_s / u);
            println!("  curl download  {:8.1} MB/s ({d:.2} s, to a file + fsync)   rust/curl time {:.2}x (goal ≤ 1.5x)", rate(d), down_s / d);
            println!("  curl download  {:8.1} MB/s ({z:.2} s, to /dev/null)   rust stream/curl time {:.2}x (goal ≤ 1.5x)", rate(z), stream_s / z);
        }
        _ => println!("  curl: not available or failed"),
    }
    println!("  client peak RSS {:.1} MB (before transfers {:.1} MB; goal ≤ 64 MB)", mb(rss), mb(rss_before));
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
