//! Ctrl-C: the first one asks the running job to stop after the requests in flight (it then
//! saves what it must and exits 130); a second one exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

use crate::output::Exit;

/// Whether Ctrl-C was pressed; cheap to clone and to ask.
#[derive(Clone)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    rx: watch::Receiver<bool>,
}

impl Interrupt {
    /// Starts listening for SIGINT (inside the runtime).
    pub fn listen() -> Interrupt {
        let flag = Arc::new(AtomicBool::new(false));
        let (tx, rx) = watch::channel(false);
        let f = flag.clone();
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if f.swap(true, Ordering::SeqCst) {
                    // Second Ctrl-C: the user does not want to wait for the requests in flight
                    // (a checkpoint records them as sent, so a resume lists them as unknown).
                    eprintln!("exto360: interrupted again, exiting now");
                    std::process::exit(Exit::Interrupted as i32);
                }
                let _ = tx.send(true);
            }
        });
        Interrupt { flag, rx }
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// The flag itself, for a bulk watcher that must answer without waiting.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }

    /// Resolves when Ctrl-C is pressed.
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|set| *set).await.is_err() {
            // No listener (SIGINT could not be watched): never fires.
            std::future::pending::<()>().await;
        }
    }
}
