//! The `exto360` command (see the crate's README for commands and exit codes).

fn main() {
    std::process::exit(exto360_cli::run(std::env::args_os()));
}
