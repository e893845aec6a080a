//! The emulator's command line, shared by the `exto360-emulator` binary and `exto360 emulator`.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::{Dataset, Emulator, ListShape, Settings};

/// How to serve: port, dataset, rate limit, list shape, token, clock.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8360)]
    pub port: u16,
    /// Address to bind. The admin API answers loopback clients only, whatever this is.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Dataset file (JSON or YAML); default: the built-in demo dataset.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Requests per second per token, or `off`.
    #[arg(long, default_value = "3")]
    pub rate_limit: String,
    /// Shape of list answers: `object` ({rows,total,...}) or `array` (bare array).
    #[arg(long, default_value = "object")]
    pub list_shape: String,
    /// Replace the dataset's first token with this one.
    #[arg(long)]
    pub token: Option<String>,
    /// Freeze the clock at this RFC 3339 time (reproducible timestamps).
    #[arg(long)]
    pub frozen_time: Option<String>,
}

impl ServeArgs {
    /// Starts the emulator these arguments describe; the message says which one is wrong.
    pub async fn start(&self) -> Result<Emulator, String> {
        let rate_limit = match self.rate_limit.as_str() {
            "off" | "none" | "0" => None,
            n => Some(n.parse::<u32>().map_err(|_| format!("--rate-limit takes a number or `off`, got '{n}'"))?),
        };
        let list_shape = match self.list_shape.as_str() {
            "object" => ListShape::Object,
            "array" => ListShape::Array,
            other => return Err(format!("--list-shape takes `object` or `array`, got '{other}'")),
        };
        let dataset = match &self.data {
            Some(p) => Dataset::from_file(p)?,
            None => Dataset::demo(),
        };
        let settings = Settings { rate_limit, list_shape, frozen_time: self.frozen_time.clone(), ..Default::default() };
        let mut builder = Emulator::builder().dataset(dataset).settings(settings).host(self.host).port(self.port);
        if let Some(t) = &self.token {
            builder = builder.token(t.clone());
        }
        builder.start().await.map_err(|e| format!("cannot start: {e}"))
    }
}

/// Serves until SIGINT or SIGTERM. The first line printed is `listening on URL`: scripts read
/// the URL from it.
pub async fn serve(args: &ServeArgs) -> Result<(), String> {
    let emu = args.start().await?;
    print_banner(&emu);
    until_signal().await?;
    emu.shutdown().await;
    Ok(())
}

/// `listening on URL`, the token and the admin URL, flushed. A reader that closes the pipe
/// after the first line must not take the server down, so write errors are ignored.
pub fn print_banner(emu: &Emulator) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", emu.url());
    let _ = writeln!(out, "token: {}", emu.token());
    let _ = writeln!(out, "admin API: {}/__emulator/", emu.url());
    let _ = out.flush();
}

/// Waits for SIGINT or SIGTERM.
pub async fn until_signal() -> Result<(), String> {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| format!("cannot watch SIGTERM: {e}"))?;
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    Ok(())
}
