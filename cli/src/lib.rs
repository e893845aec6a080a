//! `exto360`, the command line of the Exto360 Data API: whole-dataset jobs (export, import)
//! with progress, resume and exact reports, and the small admin jobs (users, workflow
//! actions, health), on the `exto360` core — which does every API thing (paging, chunking,
//! retries, rate limit, the written / not written / unknown accounting). This crate reads and
//! writes files, draws progress and keeps checkpoints.
//!
//! [`run`] is the whole program; the binary, the Python console script and the npm `bin` all
//! call it.

mod admin;
mod args;
mod cells;
mod config;
mod export;
mod files;
mod import;
mod interrupt;
mod output;

use std::ffi::OsString;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use serde_json::{Map, json};

use args::{Cli, Command, Shell, WorkflowCmd};
use interrupt::Interrupt;
use output::{Done, Failure, Outcome, Ui};

pub use output::Exit;

/// Runs the command line `argv` (program name first) and returns the exit status: 0 done,
/// 1 error, 2 usage, 3 partly done, 130 interrupted. It never exits the process itself (but a
/// second Ctrl-C does) and never panics.
pub fn run<I, T>(argv: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let wants_json = argv.iter().skip(1).any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => return output::clap_error(e, wants_json),
    };
    let ui = Ui { json: cli.global.json, quiet: cli.global.quiet };
    let name = command_name(&cli.command);
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("exto360-cli").enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return ui.finish(Err(Failure::other(format!("cannot start the runtime: {e}"))), name),
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| rt.block_on(dispatch(cli, ui))))
        .unwrap_or_else(|_| Err(Failure::other("internal error (a bug in exto360; the message above says where)")));
    let code = ui.finish(outcome, name);
    rt.shutdown_timeout(Duration::from_millis(500));
    code
}

fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Export(_) => "export",
        Command::Import(_) => "import",
        Command::Workflow(_) => "workflow act",
        Command::Users(u) => match u {
            args::UsersCmd::List => "users list",
            args::UsersCmd::Get { .. } => "users get",
            args::UsersCmd::Grant(_) => "users grant",
            args::UsersCmd::Activate(_) => "users activate",
            args::UsersCmd::Deactivate(_) => "users deactivate",
            args::UsersCmd::Remove { .. } => "users remove",
            args::UsersCmd::RemoveProject { .. } => "users remove-project",
        },
        Command::Health => "health",
        Command::Emulator(_) => "emulator",
        Command::Completions { .. } => "completions",
    }
}

async fn dispatch(cli: Cli, ui: Ui) -> Outcome {
    let conn = &cli.global.conn;
    match cli.command {
        Command::Completions { shell } => completions(shell),
        Command::Emulator(args) => emulator(args, ui).await,
        Command::Import(a) => {
            let client = if a.dry_run { None } else { Some(config::client(conn)?) };
            import::run(&ui, client.as_ref(), &Interrupt::listen(), a).await
        }
        Command::Export(a) => export::run(&ui, &config::client(conn)?, &Interrupt::listen(), a).await,
        Command::Health => admin::health(&config::client(conn)?).await,
        Command::Users(cmd) => admin::users(&config::client(conn)?, cmd).await,
        Command::Workflow(WorkflowCmd::Act(a)) => admin::act(&config::client(conn)?, a).await,
    }
}

fn completions(shell: Shell) -> Outcome {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "exto360", &mut script);
    let script = String::from_utf8_lossy(&script).into_owned();
    let mut facts = Map::new();
    facts.insert("shell".into(), json!(format!("{shell:?}").to_lowercase()));
    facts.insert("script".into(), json!(script));
    Ok(Done::new(facts, script))
}

/// The embedded emulator, until Ctrl-C. Its first line (or, with --json, one JSON object) says
/// where it listens.
async fn emulator(args: exto360_emulator::cli::ServeArgs, ui: Ui) -> Outcome {
    let emu = args.start().await.map_err(Failure::usage)?;
    if ui.json {
        let url = emu.url();
        output::emit(output::To::Stdout, &json!({"ok": true, "command": "emulator", "url": url, "token": emu.token(), "admin": format!("{url}/__emulator/")}).to_string());
    } else {
        exto360_emulator::cli::print_banner(&emu);
    }
    exto360_emulator::cli::until_signal().await.map_err(Failure::other)?;
    emu.shutdown().await;
    ui.note("emulator stopped");
    Ok(Done { printed: true, ..Done::new(Map::new(), "") })
}
