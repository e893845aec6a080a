//! `exto360-emulator`: serve the emulated Data API until SIGINT/SIGTERM.

use clap::Parser;
use exto360_emulator::cli::{ServeArgs, serve};

#[derive(Parser, Debug)]
#[command(name = "exto360-emulator", version, about = "A local, stateful emulator of the Exto360 Data API")]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    match serve(&args.serve).await {
        Ok(()) => {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), b"exto360-emulator: stopped\n");
        }
        Err(e) => {
            eprintln!("exto360-emulator: {e}");
            std::process::exit(2)
        }
    }
}
