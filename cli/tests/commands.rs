//! Every command through the binary: `--json` results parse, exit codes are the documented
//! ones, progress is drawn only on a terminal, Ctrl-C during an export leaves no file (or a
//! valid partial one with --partial-ok), completions are generated.
mod common;

use std::process::Command;

use common::*;
use serde_json::{Value, json};

fn ok_json(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = env.run(&all);
    let j = r.json();
    assert_eq!((r.code, &j["ok"], &j["exitCode"]), (0, &json!(true), &json!(0)), "{args:?}: {r:?}");
    j
}

#[test]
fn json_results_of_every_command_parse() {
    let env = Env::start("json");
    let j = ok_json(&env, &["health"]);
    assert_eq!((j["command"].as_str(), j["liveness"]["ok"].as_bool(), j["readiness"]["ok"].as_bool()), (Some("health"), Some(true), Some(true)));
    let j = ok_json(&env, &["users", "list"]);
    assert_eq!(j["count"], 4);
    assert_eq!(j["users"][1]["user"]["userName"], "johndoe@exto360.com");
    let j = ok_json(&env, &["users", "get", "JohnDoe@exto360.com"]);
    assert_eq!(j["user"]["projects"][0]["projectID"], "Vx6-j2Z");
    let j = ok_json(&env, &["users", "grant", "new@x.com", "--project-id", "Vx6-j2Z", "--project-group", "Vx6-j2Z=QA", "--space", "Vx6-j2Z=S1", "--group", "G1", "--first-name", "New"]);
    assert_eq!(j["grant"]["projects"][0], json!({"projectId": "Vx6-j2Z", "groups": ["QA"], "spaces": ["S1"]}));
    let j = ok_json(&env, &["users", "get", "new@x.com"]);
    assert_eq!((j["user"]["groups"].clone(), j["user"]["projects"][0]["groups"].clone()), (json!(["G1"]), json!(["QA"])));
    let names = env.path("names.txt");
    std::fs::write(&names, "johndoe@exto360.com\n\n jasonsmith@exto360.com \n").unwrap();
    let j = ok_json(&env, &["users", "deactivate", "--from", names.to_str().unwrap()]);
    assert_eq!((j["usernames"].as_u64(), j["result"]["nModified"].as_u64()), (Some(2), Some(2)));
    let j = ok_json(&env, &["users", "activate", "johndoe@exto360.com"]);
    assert_eq!(j["result"]["nModified"], 1);
    ok_json(&env, &["users", "remove", "new@x.com", "--group", "G1"]);
    ok_json(&env, &["users", "remove-project", "new@x.com", "--project-id", "Vx6-j2Z"]);
    let j = ok_json(&env, &["users", "get", "new@x.com"]);
    assert_eq!((j["user"]["groups"].clone(), j["user"]["projects"].clone()), (json!([]), json!([])));

    // Workflow: ids from an export, an action applied to each.
    let ids = env.path("ids.txt");
    let out = env.run(&["export", "modules", "CUSTOMMODULE", "--format", "jsonl", "--status", "Submitted"]).ok();
    let id_list: Vec<String> = out.stdout.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["_id"].as_str().unwrap().to_string()).collect();
    assert_eq!(id_list.len(), 1);
    std::fs::write(&ids, id_list.join("\n")).unwrap();
    let j = ok_json(&env, &["workflow", "act", "CUSTOMMODULE", "--action", "Approve", "--user", "johndoe@exto360.com", "--ids-from", ids.to_str().unwrap()]);
    assert_eq!(j["results"][0]["recordId"], id_list[0].as_str());
    let approved = env.run(&["export", "modules", "CUSTOMMODULE", "--format", "jsonl", "--status", "Approved"]).ok();
    assert!(approved.stdout.contains(&id_list[0]));

    let j = ok_json(&env, &["export", "masters", "LOCATION", "-o", env.path("l.csv").to_str().unwrap()]);
    assert_eq!((j["records"].as_u64(), j["format"].as_str()), (Some(6), Some("csv")));
    let input = env.path("in.jsonl");
    write_jsonl(&input, &small_rows(10));
    let j = ok_json(&env, &["import", "masters", "VENDOR", input.to_str().unwrap()]);
    assert_eq!(j["written"], 10);
    let j = ok_json(&env, &["import", "masters", "VENDOR", input.to_str().unwrap(), "--dry-run"]);
    assert_eq!(j["valid"], 10);
    let j = ok_json(&env, &["completions", "fish"]);
    assert!(j["script"].as_str().unwrap().contains("complete -c exto360"));

    // Failures are JSON too, with the error's kind.
    let r = env.run(&["--json", "users", "get", "nobody@x.com"]);
    assert_eq!((r.code, r.json()["ok"].clone()), (1, json!(false)), "{r:?}");
    assert!(r.json()["error"]["kind"].is_string() && r.json()["error"]["message"].is_string());
    let r = env.run(&["--json", "export", "masters", "LOCATION", "--bogus"]);
    assert_eq!((r.code, r.json()["error"]["kind"].clone()), (2, json!("usage")), "{r:?}");
}

#[test]
fn exit_codes_and_configuration() {
    let env = Env::start("exits");
    assert_eq!(env.run(&[]).code, 2, "no command");
    assert_eq!(env.run(&["export", "nothing", "X"]).code, 2);
    let r = env.run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Exit codes: 0 done · 1 error · 2 usage") && r.stdout.contains("EXTO360_TOKEN"), "{}", r.stdout);
    assert_eq!(env.run(&["--version"]).code, 0);

    let mut cmd = env.cmd(&["health"]);
    cmd.env_remove("EXTO360_TOKEN");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 2, "a missing token is a usage error: {r:?}");
    assert!(r.stderr.contains("EXTO360_TOKEN"), "{}", r.stderr);

    let r = env.run(&["--rate-limit", "fast", "health"]);
    assert_eq!(r.code, 2, "{r:?}");
    // Flags override the environment; the token can come from a file and never shows.
    let tf = env.path("token");
    std::fs::write(&tf, format!("{}\n", env.emu.token())).unwrap();
    let mut cmd = env.cmd(&["--token-file", tf.to_str().unwrap(), "--project", "p6iDlWb", "--json", "export", "masters", "LOCATION", "--format", "jsonl"]);
    cmd.env("EXTO360_TOKEN", "wrong").env("EXTO360_PROJECT_ID", "Vx6-j2Z");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 2, "the project flag wins: p6iDlWb has 2 locations");
    let mut cmd = env.cmd(&["users", "list"]);
    cmd.env("EXTO360_TOKEN", "secret-token-value");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("secret-token-value") && !r.stdout.contains("secret-token-value"), "{r:?}");
    let hdr = env.journal().last().unwrap()["headers"]["user-agent"].clone();
    assert!(hdr.as_str().unwrap().starts_with("exto360-cli/"), "{hdr}");
}

#[test]
fn progress_is_drawn_on_a_terminal_only() {
    let env = Env::start("progress");
    let input = env.path("in.jsonl");
    write_jsonl(&input, &small_rows(4000));
    // Not a terminal: nothing drawn.
    let mut cmd = env.cmd(&["import", "masters", "VENDOR", input.to_str().unwrap()]);
    cmd.env("EXTO360_RATE_LIMIT", "4");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stderr.contains("ETA") && !r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    // A terminal (script(1) gives it one): done/total, rate and ETA.
    let line = format!(
        "EXTO360_RATE_LIMIT=4 EXTO360_BASE_URL={} EXTO360_TOKEN={} {BIN} import masters VENDOR2 {}",
        env.emu.url(),
        env.emu.token(),
        input.display()
    );
    let out = Command::new("script").args(["-qec", &line, "/dev/null"]).current_dir(&env.dir).output().expect("script(1) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/4,000 rows") && text.contains("ETA") && text.contains("/s"), "{text}");
    // --quiet: nothing drawn even on a terminal.
    let quiet = Command::new("script").args(["-qec", &format!("{line} --quiet"), "/dev/null"]).current_dir(&env.dir).output().unwrap();
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(!text.contains("ETA"), "{text}");
}

#[test]
fn ctrl_c_during_an_export_leaves_no_file_or_a_valid_partial_one() {
    let env = Env::with_dataset("export-int", dataset(30_000));
    for partial in [false, true] {
        env.emu.clear_journal();
        let out = env.path(if partial { "partial.csv" } else { "full.csv" });
        let mut args = vec!["--json", "export", "masters", "BIG", "-o", out.to_str().unwrap()];
        if partial {
            args.push("--partial-ok");
        }
        let child = env.spawn(&args, "4");
        wait_for(60, "a few pages", || env.journal().iter().filter(|e| e["method"] == "GET").count() >= 3);
        signal(&child, "INT");
        let r = finish(child, 15);
        assert_eq!(r.code, 130, "{r:?}");
        let j = r.json();
        assert_eq!((j["interrupted"].clone(), j["complete"].clone()), (json!(true), json!(false)), "{j}");
        let n = j["records"].as_u64().unwrap();
        assert!(n >= 2000 && n.is_multiple_of(1000), "{n}");
        if partial {
            let mut rd = csv::Reader::from_path(&out).unwrap();
            assert_eq!(rd.headers().unwrap().iter().next_back(), Some("amount"));
            let rows: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().expect("a valid CSV");
            assert_eq!(rows.len() as u64, n, "the records exported");
        } else {
            assert!(!out.exists(), "no partial file without --partial-ok");
        }
        let hidden: Vec<_> = std::fs::read_dir(&env.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
        assert!(hidden.is_empty(), "temporary files removed: {hidden:?}");
    }
}

#[test]
fn the_embedded_emulator_serves_and_stops_on_ctrl_c() {
    let mut child = Command::new(BIN).args(["--json", "emulator", "--port", "0", "--rate-limit", "off"]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    let j: Value = serde_json::from_str(&first).unwrap();
    let url = j["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && j["token"] == "demo-token");
    let r = Run::of(Command::new(BIN).args(["--json", "export", "masters", "LOCATION"]).env("EXTO360_BASE_URL", url).env("EXTO360_TOKEN", "demo-token").output().unwrap());
    assert_eq!(r.stdout.lines().count(), 7, "header + 6 rows: {r:?}");
    signal(&child, "INT");
    let r = finish(child, 10);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef exto360"), ("fish", "complete -c exto360")] {
        let r = Run::of(Command::new(BIN).args(["completions", shell]).output().unwrap());
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains(marker) && r.stdout.contains("import"), "{shell}");
    }
    assert_eq!(Run::of(Command::new(BIN).args(["completions", "tcsh"]).output().unwrap()).code, 2);
}
