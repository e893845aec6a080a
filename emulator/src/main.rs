//! `exto360-emulator`: serve the emulated Data API until SIGINT/SIGTERM.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;
use exto360_emulator::{Dataset, Emulator, ListShape};

#[derive(Parser, Debug)]
#[command(name = "exto360-emulator", version, about = "A local, stateful emulator of the Exto360 Data API")]
struct Args {
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8360)]
    port: u16,
    /// Address to bind. The admin API answers loopback clients only, whatever this is.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Dataset file (JSON or YAML); default: the built-in demo dataset.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Requests per second per token, or `off`.
    #[arg(long, default_value = "3")]
    rate_limit: String,
    /// Shape of list answers: `object` ({rows,total,...}) or `array` (bare array).
    #[arg(long, default_value = "object")]
    list_shape: String,
    /// Replace the dataset's first token with this one.
    #[arg(long)]
    token: Option<String>,
    /// Freeze the clock at this RFC 3339 time (reproducible timestamps).
    #[arg(long)]
    frozen_time: Option<String>,
}

fn fail(msg: String) -> ! {
    eprintln!("exto360-emulator: {msg}");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let rate_limit = match args.rate_limit.as_str() {
        "off" | "none" | "0" => None,
        n => Some(n.parse::<u32>().unwrap_or_else(|_| fail(format!("--rate-limit takes a number or `off`, got '{n}'")))),
    };
    let list_shape = match args.list_shape.as_str() {
        "object" => ListShape::Object,
        "array" => ListShape::Array,
        other => fail(format!("--list-shape takes `object` or `array`, got '{other}'")),
    };
    let dataset = match &args.data {
        Some(p) => Dataset::from_file(p).unwrap_or_else(|e| fail(e)),
        None => Dataset::demo(),
    };
    let mut settings = exto360_emulator::Settings { rate_limit, list_shape, ..Default::default() };
    settings.frozen_time = args.frozen_time.clone();
    let mut builder = Emulator::builder().dataset(dataset).settings(settings).host(args.host).port(args.port);
    if let Some(t) = &args.token {
        builder = builder.token(t.clone());
    }
    let emu = builder.start().await.unwrap_or_else(|e| fail(format!("cannot start: {e}")));
    // The first line is the contract: scripts read the URL from it. A reader that closes the
    // pipe after that line must not take the server down, so write errors are ignored.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emu.url());
        let _ = writeln!(out, "token: {}", emu.token());
        let _ = writeln!(out, "admin API: {}/__emulator/", emu.url());
        let _ = out.flush();
    }

    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .unwrap_or_else(|e| fail(format!("cannot watch SIGTERM: {e}")));
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    emu.shutdown().await;
    let _ = std::io::Write::write_all(&mut std::io::stderr(), b"exto360-emulator: stopped\n");
}
