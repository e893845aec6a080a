//! The command line, declared with clap: every command, flag and default in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes: 0 done · 1 error · 2 usage (bad arguments or configuration) · \
3 partly done (some rows not written, or a partial export kept with --partial-ok) · \
130 interrupted (Ctrl-C; the checkpoint is saved).

Configuration: EXTO360_TOKEN (required for API commands), EXTO360_BASE_URL, EXTO360_PROJECT_ID, \
EXTO360_TENANT_ID, EXTO360_WORKSPACE_ID, EXTO360_TIMEOUT, EXTO360_MAX_RETRIES, EXTO360_RATE_LIMIT; \
the flags below override them.";

#[derive(Parser, Debug)]
#[command(name = "exto360", version, about = "Export, import and admin jobs against the Exto360 Data API", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Print the result (or the error) as one JSON object on stdout, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Draw no progress and print no notes on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    #[command(flatten)]
    pub conn: Connection,
}

/// Where and how to reach the API; each flag overrides its `EXTO360_*` variable.
#[derive(Args, Debug, Clone, Default)]
pub struct Connection {
    /// Base URL including `/data` [env: EXTO360_BASE_URL; default https://platform.exto360.com/data].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Project scope, sent as X-Project-Id [env: EXTO360_PROJECT_ID; default: tenant scope].
    #[arg(long, global = true, value_name = "ID")]
    pub project: Option<String>,
    /// Tenant, for tokens that reach several [env: EXTO360_TENANT_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub tenant: Option<String>,
    /// Workspace scope [env: EXTO360_WORKSPACE_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub workspace: Option<String>,
    /// Read the token from this file instead of EXTO360_TOKEN (a token on the command line
    /// would show in the process list).
    #[arg(long, global = true, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Requests per second, or `off` [env: EXTO360_RATE_LIMIT; default 3, the API's limit].
    #[arg(long, global = true, value_name = "N|off")]
    pub rate_limit: Option<String>,
    /// Seconds for one attempt of one request [env: EXTO360_TIMEOUT; default 60].
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries after the first attempt [env: EXTO360_MAX_RETRIES; default 3].
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Every matching record of a master or module, streamed to a CSV or JSONL file.
    Export(ExportArgs),
    /// Upsert the rows of a CSV or JSONL file, with a checkpoint to resume and a report of
    /// every row not written.
    Import(ImportArgs),
    /// Workflow actions on module records.
    #[command(subcommand)]
    Workflow(WorkflowCmd),
    /// Users and their access.
    #[command(subcommand)]
    Users(UsersCmd),
    /// Liveness and readiness of the API.
    Health,
    /// Run the embedded emulator of the API (offline trials; token `demo-token`).
    Emulator(exto360_emulator::cli::ServeArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Masters,
    Modules,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Masters => "masters",
            Kind::Modules => "modules",
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
    /// The format a file name implies (`.csv`, `.jsonl`/`.ndjson`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

#[derive(Args, Debug)]
#[command(after_help = "CSV columns: the record's attributes (_id, refId, status, createdAt, …), then its custom \
fields, each in first-seen order; a field named like an attribute becomes `customFields.NAME`. \
Cells: empty = no value, `null` = null, numbers and booleans as is, objects and arrays as JSON, \
text as is unless it would read as JSON (then JSON-quoted). The whole export is spooled to a \
temporary file first, so columns found late still get a header.")]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub kind: Kind,
    /// Master or module name (e.g. LOCATION).
    pub name: String,
    /// Output file (default: stdout). It appears only when complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the file name, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Filter in the API's grammar, e.g. `serial_number:NUMBER:gt:1000:and:active:eq:true`.
    #[arg(long)]
    pub filter: Option<String>,
    /// Only records in this workflow status (e.g. Approved).
    #[arg(long)]
    pub status: Option<String>,
    /// Sort field; `-field` for descending. Not with --since/--state (they sort by -updatedAt).
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// IANA time zone for filters on DATE fields (e.g. America/Los_Angeles).
    #[arg(long, value_name = "ZONE")]
    pub local_time_zone: Option<String>,
    /// Only records updated at or after this time (RFC 3339, or yyyy-MM-dd for midnight UTC).
    #[arg(long, value_name = "TIMESTAMP")]
    pub since: Option<String>,
    /// Incremental export: only records updated since the run that wrote this file, which is
    /// then moved to the newest record exported (created on the first run).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// When the export fails or is interrupted, keep what was exported so far (a valid file
    /// holding a prefix of the records; exit status 3).
    #[arg(long)]
    pub partial_ok: bool,
    /// Records per request (1..=1000).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub page_size: u32,
}

#[derive(Args, Debug)]
#[command(after_help = "Rows: CSV with a header of field names, or JSONL objects (an exported record's \
customFields are taken). Record attributes (_id, status, createdAt, …) are skipped; \
`customFields.NAME` columns are the field NAME. CSV cells are read as JSON when they parse \
(12, true, null, \"text\", [..], {..}), else as text; empty cells are left out (or null with \
--empty-as-null). By default a checkpoint FILE.exto360-checkpoint records every request sent \
and every row written, so --resume after a crash, kill or Ctrl-C sends only what is not written.")]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: Kind,
    /// Master or module name (e.g. VENDOR).
    pub name: String,
    /// Input file, or `-` for stdin.
    pub file: PathBuf,
    /// Input format (default: from the file name, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Acting user (`userName`) for module writes: an active user of the tenant.
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,
    /// Read and check every row, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A field every row must carry (the master's unique field, so rows update their record).
    #[arg(long, value_name = "FIELD")]
    pub key: Option<String>,
    /// Check (and for CSV, read) FIELD as TYPE: string, number, integer, boolean, date
    /// (yyyy-MM-dd), datetime (RFC 3339) or json (object/array). Repeatable.
    #[arg(long = "type", value_name = "FIELD=TYPE")]
    pub types: Vec<String>,
    /// Empty CSV cells set the field to null instead of leaving it out.
    #[arg(long)]
    pub empty_as_null: bool,
    /// Checkpoint file (default: FILE.exto360-checkpoint; none for stdin).
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Continue from the checkpoint: rows written are skipped, rows whose fate is unknown are
    /// listed and skipped.
    #[arg(long)]
    pub resume: bool,
    /// With --resume, also send the rows whose fate is unknown (they may be written twice).
    #[arg(long, requires = "resume")]
    pub resend_unknown: bool,
    /// Write every row not written, with the reason, to this file (CSV if it ends in .csv,
    /// else JSONL).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum WorkflowCmd {
    /// Apply an action (Submit, Approve, …) to records, 100 per request.
    Act(ActArgs),
}

#[derive(Args, Debug)]
pub struct ActArgs {
    /// Module name (e.g. CUSTOMMODULE).
    pub module: String,
    /// Record ids (`_id`); or use --ids-from.
    pub ids: Vec<String>,
    /// The action, as in the record's Actions menu.
    #[arg(long)]
    pub action: String,
    /// Acting user (an active user of the tenant).
    #[arg(long, value_name = "USERNAME")]
    pub user: String,
    /// Space of the records (required in project scope).
    #[arg(long)]
    pub space: Option<String>,
    /// Read record ids from this file, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE|-")]
    pub ids_from: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UsersCmd {
    /// Every user with their groups and project access.
    List,
    /// One user's profile, groups and project access.
    Get { username: String },
    /// Grant a user access to projects and groups (creates the user if new).
    Grant(GrantArgs),
    /// Activate users (names as arguments or with --from).
    Activate(NamesArgs),
    /// Deactivate users; their access is kept.
    Deactivate(NamesArgs),
    /// Remove a user from projects and groups.
    Remove {
        username: String,
        /// Project id (repeatable).
        #[arg(long = "project-id", value_name = "ID")]
        projects: Vec<String>,
        /// Group (repeatable).
        #[arg(long = "group", value_name = "GROUP")]
        groups: Vec<String>,
    },
    /// Remove a user from projects.
    RemoveProject {
        username: String,
        /// Project id (repeatable, at least one).
        #[arg(long = "project-id", value_name = "ID", required = true)]
        projects: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct GrantArgs {
    /// The user name (an e-mail address).
    pub username: String,
    /// Project to grant (repeatable).
    #[arg(long = "project-id", value_name = "ID")]
    pub projects: Vec<String>,
    /// A group inside a project, as PROJECT=GROUP (repeatable).
    #[arg(long = "project-group", value_name = "PROJECT=GROUP")]
    pub project_groups: Vec<String>,
    /// A space inside a project, as PROJECT=SPACE (repeatable).
    #[arg(long = "space", value_name = "PROJECT=SPACE")]
    pub spaces: Vec<String>,
    /// A tenant-level group (repeatable).
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
}

#[derive(Args, Debug)]
pub struct NamesArgs {
    /// User names.
    pub usernames: Vec<String>,
    /// Read user names from this file, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE|-")]
    pub from: Option<PathBuf>,
}
