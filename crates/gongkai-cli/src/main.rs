//! `gongkai`: the single binary of the platform (SPEC "Command line", C9). It reads the
//! configuration, opens the application and runs one command; errors print `错误：…` on
//! stderr and exit with 1.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gongkai_app::App;
use gongkai_app::import::ImportOptions;

mod admin;
mod config;
mod demo;
mod error;
mod export;
mod generate;
mod import;
mod legal;
mod logging;
mod progress;
mod search;
mod serve;
mod table;

use config::{Config, Flags, LogFormat};
use error::user;
use export::ExportFormat;

/// Gongkai (公开): government information disclosure platform.
#[derive(Debug, Parser)]
#[command(
    name = "gongkai",
    version,
    max_term_width = 100,
    after_help = "Configuration: flags beat environment variables, which beat the file, which beats the defaults.\n\
                  File keys: data, database, listen, base_url, secure_cookies, log_format,\n\
                  [auth] lockout_failures, lockout_minutes, session_hours; each also as GONGKAI_<KEY>\n\
                  (GONGKAI_AUTH__LOCKOUT_FAILURES for [auth])."
)]
struct Cli {
    /// Data directory: database, search index, files [env: GONGKAI_DATA] [default: ./gongkai-data; demo: ./gongkai-demo]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "DIR"
    )]
    data: Option<PathBuf>,

    /// Database URL, sqlite:PATH or postgres://… [env: GONGKAI_DATABASE] [default: sqlite:<data>/gongkai.db]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL"
    )]
    database: Option<String>,

    /// Configuration file (TOML) [env: GONGKAI_CONFIG] [default: <data>/gongkai.toml when it exists]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    config: Option<PathBuf>,

    /// Log format on stderr; the filter is GONGKAI_LOG or RUST_LOG [env: GONGKAI_LOG_FORMAT] [default: text]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_enum,
        value_name = "FORMAT"
    )]
    log_format: Option<LogFormat>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the public portal and the staff pages
    Serve {
        /// Address to listen on, IP:PORT [env: GONGKAI_LISTEN] [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Make a fresh data directory with demo data, print the demo accounts, then serve
    Demo {
        /// Port to listen on
        #[arg(long, default_value_t = 8080, value_name = "N")]
        port: u16,
        /// IP address to listen on
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "H")]
        listen_host: IpAddr,
    },
    /// Create or upgrade the database schema
    Migrate,
    /// Copy the database and the stored files into one file, while the server runs
    Backup {
        /// The backup file to write (must not exist; created readable by this account only)
        file: PathBuf,
    },
    /// Restore a backup into an empty data directory (and, for PostgreSQL, an empty database)
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// Import records from a file
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export records
    #[command(subcommand)]
    Export(ExportCommand),
    /// Work with document numbers (发文字号, 令号)
    #[command(subcommand)]
    Docno(DocnoCommand),
    /// Organizations: add one, list the tree
    #[command(subcommand)]
    Org(OrgCommand),
    /// Staff accounts: add one, grant a role, list them
    #[command(subcommand)]
    User(UserCommand),
    /// The working-day calendar (放假 and 调休 days): count working days, load a new year
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Due date of a request, its status and how it was worked out (JSON, DOMAIN A6.1)
    Deadline {
        /// {"received": "YYYY-MM-DD", "events": [...]} (- reads standard input)
        #[arg(value_name = "EVENTS.json")]
        file: PathBuf,
        /// The day the status is judged on [default: today in China]
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// 信息处理费 in yuan (国办函〔2020〕109号)
    #[command(subcommand)]
    Fee(FeeCommand),
    /// Sensitive information in a text, DOCX or PDF file, as JSON lines (DOMAIN A8)
    Scan {
        /// The file (- reads standard input as text)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Also report this keyword (repeatable); the defaults are 绝密, 机密, 秘密, 内部
        #[arg(long = "keyword", value_name = "WORD")]
        keywords: Vec<String>,
        /// Report only the keywords given with --keyword
        #[arg(long)]
        no_default_keywords: bool,
    },
    /// Reports: the annual report's tables
    #[command(subcommand)]
    Report(ReportCommand),
    /// Search published records (一网通查): JSON lines, best first
    Search {
        /// Words, a 发文字号 (any variant, also partial: 榕政办53号) or an 索引号
        #[arg(value_name = "QUERY", allow_hyphen_values = true)]
        query: String,
        /// Only this organization and its units (organization code)
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
        /// Hits to print (1 to 1000)
        #[arg(long, default_value_t = 20, value_name = "N",
              value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
    },
    /// Rebuild the search index from the database
    Reindex,
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Benchmark data: the organizations of the fictional 示范市 and N document import lines
    Generate {
        /// Document records to write (import lines)
        #[arg(long, value_name = "N")]
        records: u64,
        /// Organizations in the tree (created in the database where their codes are new)
        #[arg(long, default_value_t = 500, value_name = "N")]
        orgs: usize,
        /// Seed: the same seed and sizes give the same file
        #[arg(long, default_value_t = 1, value_name = "N")]
        seed: u64,
        /// The JSON Lines file to write (for `gongkai import documents`)
        #[arg(long, value_name = "FILE.jsonl")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// Print the date N working days after DATE (DATE not counted)
    AddWorkdays {
        /// YYYY-MM-DD
        #[arg(value_name = "DATE", allow_hyphen_values = true)]
        date: String,
        /// Working days
        #[arg(value_name = "N", allow_hyphen_values = true)]
        n: String,
    },
    /// Print true when DATE is a working day, else false
    IsWorkday {
        /// YYYY-MM-DD
        #[arg(value_name = "DATE", allow_hyphen_values = true)]
        date: String,
    },
    /// Load a year's 放假/调休 notice (holiday-cn JSON); open requests' due dates are recomputed
    Load {
        /// {"year": …, "papers": […], "days": [{"name", "date", "isOffDay"}]}
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
    },
    /// List a year's special days with their names
    Show {
        /// The year, e.g. 2026
        #[arg(value_name = "YEAR", allow_hyphen_values = true)]
        year: String,
    },
}

#[derive(Debug, Subcommand)]
enum FeeCommand {
    /// Fee for the N-th request of one applicant in one calendar month (按件计收)
    ByCount {
        #[arg(value_name = "N", allow_hyphen_values = true)]
        n: String,
    },
    /// Fee for one request of PAGES pages (按量计收)
    ByVolume {
        #[arg(value_name = "PAGES", allow_hyphen_values = true)]
        pages: String,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// 政府信息公开工作年度报告 of an organization and the units below it
    Annual {
        /// Organization code
        #[arg(long, value_name = "CODE")]
        org: String,
        /// Report year
        #[arg(long, value_name = "YYYY", allow_hyphen_values = true)]
        year: String,
        /// Output format: json (DOMAIN A5), html (the report's page), docx or xlsx (the national layout)
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Json,
    Html,
    Docx,
    Xlsx,
}

#[derive(Debug, Subcommand)]
enum OrgCommand {
    /// Add an organization with the unified disclosure columns
    Add {
        /// Stable code used in addresses and index numbers (letters, digits, - and _), e.g. GL00101
        code: String,
        /// Full name, e.g. 福州市鼓楼区人民政府办公室
        #[arg(long)]
        name: String,
        /// 机关代字 used in document numbers, e.g. 鼓政办
        #[arg(long, value_name = "TEXT")]
        short_name: Option<String>,
        /// Kind: government, office, department, subdistrict, town, community, other
        #[arg(long, default_value = "office", value_name = "KIND")]
        kind: String,
        /// Code of the parent organization
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// 索引号 pattern [default: {org_code}-{category}-{year}-{serial:05}]
        #[arg(long, value_name = "PATTERN")]
        index_pattern: Option<String>,
    },
    /// List the organizations as a tree
    List,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a staff account; the password is read from standard input or a prompt
    Add {
        /// Login name
        username: String,
        /// Name shown in the back office [default: the login name]
        #[arg(long)]
        name: Option<String>,
        /// Role in an organization, ROLE@ORG (clerk, reviewer, approver, office, admin); repeatable
        #[arg(long = "role", value_name = "ROLE@ORG")]
        roles: Vec<String>,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grant a role in an organization to an existing account
    Grant {
        /// Login name
        username: String,
        /// ROLE@ORG, e.g. approver@GL00101
        #[arg(value_name = "ROLE@ORG")]
        role: String,
    },
    /// List the accounts and their roles
    List,
    /// Make an API token for an account (printed once; it acts with the account's roles),
    /// or with --revoke end every token of the account
    Token {
        /// Login name
        username: String,
        /// Revoke the account's tokens instead
        #[arg(long)]
        revoke: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Import disclosure records from JSON Lines; rejected lines are listed on stderr
    Documents {
        /// JSON Lines file, one record per line (- reads standard input)
        #[arg(value_name = "FILE.jsonl")]
        file: PathBuf,
        /// Create organizations for unknown codes instead of rejecting their lines
        #[arg(long)]
        create_orgs: bool,
        /// All or nothing: import no record when any line is rejected
        #[arg(long)]
        atomic: bool,
    },
    /// Import information request records from JSON Lines; rejected lines are listed on stderr
    Requests {
        /// JSON Lines file, one request per line (- reads standard input)
        #[arg(value_name = "FILE.jsonl")]
        file: PathBuf,
        /// Create organizations for unknown codes instead of rejecting their lines
        #[arg(long)]
        create_orgs: bool,
        /// All or nothing: import no record when any line is rejected
        #[arg(long)]
        atomic: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Export the published records
    Documents {
        /// Output format
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Export the information requests in the import format (applicant details left out)
    Requests {
        /// Output format: jsonl or csv
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only this organization and the units below it
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
        /// Include the applicants' names, ID numbers and contacts (personal information)
        #[arg(long)]
        include_applicant: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit log; name the first entry altered, removed or
    /// reordered (exit status 1), or print the number of entries and the last hash
    Verify,
}

#[derive(Debug, Subcommand)]
enum DocnoCommand {
    /// Print the canonical form of a 发文字号 or 令号 (words are joined by spaces)
    Normalize {
        /// The number as written, e.g. 国办发[2021]12号
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true, value_name = "TEXT")]
        text: Vec<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            error::report(&e);
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Needs no configuration, so a broken configuration file does not stop it.
    if let Command::Docno(DocnoCommand::Normalize { text }) = &cli.command {
        let number =
            gongkai_domain::docno::normalize(&text.join(" ")).map_err(|e| user(e.to_string()))?;
        println!("{number}");
        return Ok(ExitCode::SUCCESS);
    }
    match &cli.command {
        Command::Fee(FeeCommand::ByCount { n }) => {
            legal::fee(true, n)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Fee(FeeCommand::ByVolume { pages }) => {
            legal::fee(false, pages)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Scan {
            file,
            keywords,
            no_default_keywords,
        } => {
            legal::scan(file, keywords, *no_default_keywords)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }

    // The environment is read by `config`, which treats an empty variable as unset (clap's
    // `env` would refuse it).
    let flags = Flags {
        data: cli.data,
        database: cli.database,
        config: cli.config,
        log_format: cli.log_format,
        listen: match &cli.command {
            Command::Serve { listen } => listen.clone(),
            _ => None,
        },
    };
    let (default_data, log_default) = match cli.command {
        Command::Demo { .. } => (config::DEFAULT_DEMO_DATA, logging::SERVER_DEFAULT),
        Command::Serve { .. } => (config::DEFAULT_DATA, logging::SERVER_DEFAULT),
        _ => (config::DEFAULT_DATA, logging::COMMAND_DEFAULT),
    };
    let env: HashMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let config = config::load(&flags, &env, Path::new(default_data))?;
    logging::init(config.log_format, log_default);
    if let Some(file) = &config.config_file {
        tracing::debug!(config.file = %file.display(), "configuration file read");
    }

    if matches!(cli.command, Command::Serve { .. } | Command::Demo { .. }) {
        warn_without_pdf_support();
    }
    match cli.command {
        Command::Serve { .. } => {
            let app = open(&config).await?;
            let web = gongkai_web::WebConfig {
                listen: config.listen,
                base_url: config.base_url.clone(),
                secure_cookies: config.secure_cookies,
                http: config.http.clone(),
            };
            serve::run(app, web).await?;
        }
        Command::Demo { port, listen_host } => demo::run(&config, listen_host, port).await?,
        Command::Backup { file } => {
            let app = open(&config).await?;
            let m = gongkai_app::backup::backup(&app, config.database.as_deref(), &file).await?;
            println!("{}", backup_summary("已备份到", &file, &m));
        }
        Command::Restore { file } => {
            let (m, _) = gongkai_app::backup::restore(
                &file,
                &config.data,
                config.database.as_deref(),
                config.settings.clone(),
            )
            .await?;
            println!("{}", backup_summary("已恢复", &file, &m));
        }
        Command::Migrate => {
            let app = open(&config).await?;
            println!(
                "数据库已是最新版本（{}，已应用 {} 个迁移）",
                app.backend_name(),
                app.migrations_applied()
            );
        }
        Command::Import(ImportCommand::Documents {
            file,
            create_orgs,
            atomic,
        }) => {
            let app = open(&config).await?;
            let options = ImportOptions {
                create_orgs,
                atomic,
            };
            return import::documents(&app, &file, options).await;
        }
        Command::Import(ImportCommand::Requests {
            file,
            create_orgs,
            atomic,
        }) => {
            let app = open(&config).await?;
            let options = ImportOptions {
                create_orgs,
                atomic,
            };
            return import::requests(&app, &file, options).await;
        }
        Command::Export(ExportCommand::Documents { format, out }) => {
            let app = open(&config).await?;
            export::documents(&app, format, out.as_deref()).await?;
        }
        Command::Export(ExportCommand::Requests {
            format,
            out,
            org,
            include_applicant,
        }) => {
            let app = open(&config).await?;
            export::requests(
                &app,
                format,
                out.as_deref(),
                org.as_deref(),
                include_applicant,
            )
            .await?;
        }
        Command::Calendar(CalendarCommand::AddWorkdays { date, n }) => {
            legal::add_workdays(&config, &date, &n).await?;
        }
        Command::Calendar(CalendarCommand::IsWorkday { date }) => {
            legal::is_workday(&config, &date).await?;
        }
        Command::Calendar(CalendarCommand::Show { year }) => legal::show(&config, &year).await?,
        Command::Calendar(CalendarCommand::Load { file }) => {
            legal::load(&open(&config).await?, &file).await?;
        }
        Command::Deadline { file, today } => {
            legal::deadline(&config, &file, today.as_deref()).await?;
        }
        Command::Report(ReportCommand::Annual {
            org,
            year,
            format,
            out,
        }) => {
            let app = open(&config).await?;
            let format = match format {
                ReportFormat::Json => legal::ReportFormat::Json,
                ReportFormat::Html => legal::ReportFormat::Html,
                ReportFormat::Docx => legal::ReportFormat::Docx,
                ReportFormat::Xlsx => legal::ReportFormat::Xlsx,
            };
            return legal::annual_report(&app, &org, &year, format, out.as_deref()).await;
        }
        Command::Fee(_) | Command::Scan { .. } => {}
        Command::Docno(_) => {}
        Command::Org(OrgCommand::Add {
            code,
            name,
            short_name,
            kind,
            parent,
            index_pattern,
        }) => {
            let kind = gongkai_domain::OrgKind::from_code(&kind)
                .or_else(|_| gongkai_domain::OrgKind::from_label(&kind))
                .map_err(|e| user(e.to_string()))?;
            let app = open(&config).await?;
            let input = gongkai_app::orgs::OrgInput {
                code,
                name,
                short_name,
                kind,
                parent,
                index_pattern,
            };
            admin::add_org(&app, input).await?;
        }
        Command::Org(OrgCommand::List) => admin::list_orgs(&open(&config).await?).await?,
        Command::User(UserCommand::Add {
            username,
            name,
            roles,
            password_stdin,
        }) => {
            let app = open(&config).await?;
            admin::add_user(&app, &username, name.as_deref(), &roles, password_stdin).await?;
        }
        Command::User(UserCommand::Grant { username, role }) => {
            admin::grant(&open(&config).await?, &username, &role).await?;
        }
        Command::User(UserCommand::List) => admin::list_users(&open(&config).await?).await?,
        Command::User(UserCommand::Token { username, revoke }) => {
            let app = open(&config).await?;
            if revoke {
                let n = gongkai_app::auth::revoke_tokens(&app, &username).await?;
                println!("已撤销 {username} 的 {n} 个令牌");
            } else {
                // The token alone on stdout, for scripts; the advice on stderr.
                println!("{}", gongkai_app::auth::issue_token(&app, &username).await?);
                eprintln!(
                    "令牌只显示这一次，请妥善保存；调用接口时使用 Authorization: Bearer <令牌>"
                );
            }
        }
        Command::Search { query, org, limit } => {
            let app = open(&config).await?;
            search::run(&app, &query, org, usize::from(limit)).await?;
        }
        Command::Reindex => {
            let app = open(&config).await?;
            search::rebuild(&app).await?;
        }
        Command::Audit(AuditCommand::Verify) => {
            let app = open(&config).await?;
            return admin::verify_audit(&app).await;
        }
        Command::Generate {
            records,
            orgs,
            seed,
            out,
        } => {
            let sizes = generate::Sizes {
                records,
                orgs,
                seed,
            };
            generate::run(&config, sizes, &out).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens (and migrates) the database of the configuration.
/// One line on what a backup holds.
fn backup_summary(done: &str, file: &Path, m: &gongkai_app::backup::Manifest) -> String {
    let rows = |table: &str| {
        m.tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    };
    format!(
        "{done} {}：{}，{} 条信息，{} 件申请，{} 个文件，{} 张表（备份于 {}）",
        file.display(),
        m.backend,
        rows("documents"),
        rows("requests"),
        m.files,
        m.tables.len(),
        m.taken_at
    )
}

async fn open(config: &Config) -> anyhow::Result<App> {
    App::open(
        &config.data,
        config.database.as_deref(),
        config.settings.clone(),
    )
    .await
    .with_context(|| {
        let database = config
            .database
            .as_deref()
            .map(config::redact_url)
            .unwrap_or_else(|| gongkai_app::default_database_url(&config.data));
        format!("无法打开数据库 {database}")
    })
}

/// Says at start when PDF attachments cannot be read: the server runs, and every PDF is
/// marked unreadable for staff to check, never taken for clean.
fn warn_without_pdf_support() {
    if let Err(message) = gongkai_app::files::check_pdf_support() {
        eprintln!("注意：{message}。在此之前，PDF 附件一律标为“无法读取文字”，需人工核查。");
        tracing::warn!(%message, "PDF text extraction unavailable");
    }
}
