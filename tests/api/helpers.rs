//! What the area modules share: a server on a temporary database (`App`)
//! and requests to it (server functions as forms or JSON, pages), signing in,
//! the demo organisation's password, ids and dates, the backlog fixtures
//! several areas build on, and refusal tables (`assert_refused`).
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use keel::kpi::model::day_number;
use keel::server::config::Settings;
use serde_json::Value;
use tower::ServiceExt;

// ---------------------------------------------------------------- the server

/// A temporary directory, removed when dropped (no dev-dependency needed).
pub(crate) struct TempDir(std::path::PathBuf);

impl TempDir {
    pub(crate) fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("keel-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) struct App {
    pub(crate) router: Router,
    pub(crate) pool: sqlx::AnyPool,
    pub(crate) _dir: TempDir,
    pub(crate) db_url: String,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
    pub(crate) fn error_code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }
    pub(crate) fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("keel_session="))
            .map(|c| c.split(';').next().unwrap().to_string())
    }
}

/// The setup token the test servers are started with.
pub(crate) const SETUP_TOKEN: &str = "test-setup-token-0123456789";

pub(crate) fn settings(db_url: &str, demo: bool) -> Settings {
    Settings {
        database_url: db_url.to_string(),
        site_addr: "127.0.0.1:3000".parse().unwrap(),
        demo,
        secure_cookies: false,
        setup_token: Some(SETUP_TOKEN.to_string()),
        trust_proxy: false,
        survey_key: Some(survey_key()),
    }
}

/// The survey key every test server has (`KEEL_SURVEY_KEY`).
pub(crate) const SURVEY_KEY: &str =
    "6b65656c2d746573742d7375727665792d6b65792d3031323334353637383961";

pub(crate) fn survey_key() -> keel::surveys::seal::SealKey {
    keel::surveys::seal::SealKey::parse(SURVEY_KEY).unwrap()
}

/// The repository's root (the tests are a package in its `tests/`).
pub(crate) const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The release server binary scripts/test.sh builds before the tests
/// (`KEEL_BIN` names another).
pub(crate) fn keel_bin() -> String {
    let bin = std::env::var("KEEL_BIN").unwrap_or_else(|_| format!("{ROOT}/target/release/keel"));
    assert!(
        std::path::Path::new(&bin).is_file(),
        "{bin} is missing: build the server first (cargo build --release --no-default-features --features ssr --bin keel)"
    );
    bin
}

pub(crate) fn options() -> leptos::config::LeptosOptions {
    leptos::config::LeptosOptions::builder()
        .output_name("keel")
        .site_root(format!("{ROOT}/target/site"))
        .build()
}

/// The PostgreSQL server the tests may use (`KEEL_TEST_PG`,
/// `postgres://user@host:port`, no database; scripts/test.sh starts one).
pub(crate) fn pg_server() -> Option<String> {
    std::env::var("KEEL_TEST_PG").ok().filter(|s| !s.is_empty())
}

/// That server, when the suite runs on PostgreSQL instead of SQLite
/// (`KEEL_TEST_BACKEND=postgres`): scripts/test.sh runs the whole suite
/// once on each backend.
pub(crate) fn on_postgres() -> Option<String> {
    if std::env::var("KEEL_TEST_BACKEND").as_deref() == Ok("postgres") {
        Some(pg_server().expect("KEEL_TEST_BACKEND=postgres needs KEEL_TEST_PG"))
    } else {
        None
    }
}

/// A new empty PostgreSQL database on `server`.
pub(crate) async fn new_pg_database(server: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("keel_t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    format!("{server}/{name}")
}

/// Returns early from a test that only SQLite can run, saying why (printed
/// with `--nocapture`).
macro_rules! sqlite_only {
    ($why:expr) => {
        if $crate::helpers::on_postgres().is_some() {
            eprintln!("not run on PostgreSQL: {}", $why);
            return;
        }
    };
}
pub(crate) use sqlite_only;

/// A new empty database for one test: a file in `dir`, or a database of its
/// own on the PostgreSQL server.
pub(crate) async fn fresh_db_url(dir: &TempDir) -> String {
    match on_postgres() {
        None => format!("sqlite://{}", dir.path().join("keel.db").display()),
        Some(server) => new_pg_database(&server).await,
    }
}

pub(crate) async fn app_on(dir: TempDir, demo: bool) -> App {
    let db_url = fresh_db_url(&dir).await;
    app_at(dir, db_url, demo).await
}

/// A server on the database `db_url` names (made when missing).
pub(crate) async fn app_at(dir: TempDir, db_url: String, demo: bool) -> App {
    let state = keel::server::build_state(settings(&db_url, demo), options())
        .await
        .unwrap();
    let pool = state.pool.clone();
    let router = keel::server::http::router(state).await.unwrap();
    App {
        router,
        pool,
        _dir: dir,
        db_url,
    }
}

pub(crate) async fn demo_app() -> App {
    app_on(TempDir::new(), true).await
}

pub(crate) async fn empty_app() -> App {
    app_on(TempDir::new(), false).await
}

impl App {
    /// One request through the router, read to its end. A request that has
    /// not ended after two minutes fails its test, naming it (a hung page
    /// would otherwise hold the whole suite until CI's limit).
    pub(crate) async fn send(&self, req: Request<Body>) -> Reply {
        let what = format!("{} {}", req.method(), req.uri());
        let read = async {
            let res = self.router.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let headers = res.headers().clone();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, headers, bytes)
        };
        let (status, headers, bytes) =
            tokio::time::timeout(std::time::Duration::from_secs(120), read)
                .await
                .unwrap_or_else(|_| panic!("{what} did not end within two minutes"));
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    pub(crate) async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let body = serde_urlencoded(form);
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub(crate) async fn call_json(
        &self,
        endpoint: &str,
        body: Value,
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A form post as a browser sends it before the page has hydrated (a
    /// plain HTML form: urlencoded, asking for HTML, from the page `referer`).
    pub(crate) async fn plain_post(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        referer: &str,
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .header(header::HOST, "127.0.0.1:3000")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::REFERER, format!("http://127.0.0.1:3000{referer}"));
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(serde_urlencoded(form))).unwrap())
            .await
    }

    pub(crate) async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path).header(header::HOST, "127.0.0.1:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub(crate) async fn sign_in(&self, email: &str, password: &str) -> String {
        let r = self
            .call("login", &[("email", email), ("password", password)], None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "sign-in of {email} failed: {}",
            r.body
        );
        r.session_cookie().expect("a session cookie")
    }

    /// A table's column names in their order, on either backend.
    pub(crate) async fn columns(&self, table: &str) -> Vec<String> {
        let sql = if on_postgres().is_some() {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        } else {
            "SELECT name FROM pragma_table_info($1) ORDER BY cid"
        };
        sqlx::query_scalar(sql)
            .bind(table)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    /// Like `count`, over the backlog tables without the demo's seeded
    /// backlogs: what the test itself made.
    pub(crate) async fn count_made(&self, sql: &str) -> i64 {
        self.count(&outside_demo_backlogs(sql)).await
    }

    pub(crate) async fn team_id(&self, name_like: &str) -> String {
        sqlx::query_scalar("SELECT id FROM teams WHERE name LIKE $1")
            .bind(format!("%{name_like}%"))
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn user_id(&self, email: &str) -> String {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

pub(crate) fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------- the demo organisation

/// Every demo account's password.
pub(crate) const PW: &str = "keel-demo";

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Today's day number in the demo organisation's zone.
pub(crate) fn today() -> i64 {
    day_number(
        &keel::server::clock::OrgClock::new("Asia/Shanghai")
            .today()
            .0,
    )
    .unwrap()
}

/// "YYYY-MM-DDTHH:MM" in the demo organisation's zone, `minutes` from now.
pub(crate) fn local(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

// ---------------------------------------------------------------- backlog fixtures

impl App {
    /// A RICE backlog of the Growth team owned by pm3.
    pub(crate) async fn growth_backlog(&self, cookie: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let team = self.team_id("Growth").await;
        let owner = self.user_id("pm3@example.com").await;
        let r = self
            .call(
                "create_backlog",
                &[
                    ("id", &id),
                    ("team_id", &team),
                    ("owner_id", &owner),
                    ("name", "增长需求池"),
                    ("framework", "rice"),
                ],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }

    pub(crate) async fn submit(
        &self,
        cookie: &str,
        backlog: &str,
        title: &str,
        description: &str,
    ) -> Value {
        let id = uuid::Uuid::new_v4().to_string();
        let r = self
            .call(
                "submit_requirement",
                &[
                    ("id", &id),
                    ("backlog_id", backlog),
                    ("title", title),
                    ("description", description),
                    ("source", "customer"),
                    ("requester", ""),
                    ("customer", ""),
                    ("segment", ""),
                    ("links", ""),
                ],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub(crate) async fn rice(&self, cookie: &str, req: &Value, reach: f64) -> Reply {
        self.call_as(&rice_call(req, reach), Some(cookie)).await
    }

    pub(crate) async fn ranked(&self, cookie: &str, backlog: &str, search: &str) -> Vec<Value> {
        self.page(cookie, backlog, &[("search", search)], 0).await["rows"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// One page of the list; `filters` override the empty defaults.
    pub(crate) async fn page(
        &self,
        cookie: &str,
        backlog: &str,
        filters: &[(&str, &str)],
        offset: i64,
    ) -> Value {
        let offset = offset.to_string();
        let mut form: Vec<(&str, &str)> = vec![("backlog_id", backlog), ("offset", &offset)];
        for f in ["search", "status", "source", "label", "owner", "sort"] {
            let v = filters
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, v)| *v)
                .unwrap_or("");
            form.push((f, v));
        }
        let r = self.call("requirements", &form, Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub(crate) async fn import(
        &self,
        cookie: &str,
        backlog: &str,
        batch: &str,
        file: &[u8],
        commit: bool,
        only_valid: bool,
    ) -> Reply {
        let body = serde_json::json!({
            "backlog_id": backlog, "batch_id": batch, "file": file, "commit": commit, "only_valid": only_valid
        });
        self.call_json("import_requirements", body, Some(cookie))
            .await
    }

    pub(crate) async fn status_to(
        &self,
        cookie: &str,
        id: &str,
        version: i64,
        status: &str,
        dup: &str,
    ) -> Reply {
        let v = version.to_string();
        self.call(
            "change_status",
            &[
                ("id", id),
                ("version", &v),
                ("status", status),
                ("reason", "不做了"),
                ("duplicate_of", dup),
            ],
            Some(cookie),
        )
        .await
    }

    pub(crate) async fn detail(&self, cookie: &str, id: &str) -> Value {
        let r = self
            .call("requirement_detail", &[("id", id)], Some(cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

/// Scoring a requirement (at the version it was read at) on a RICE backlog:
/// reach `reach`, impact 1, confidence 100 %, effort 1.
pub(crate) fn rice_call(req: &Value, reach: f64) -> Call {
    let input = serde_json::json!({"framework": "rice", "reach": reach, "impact": 1.0, "confidence": 100.0, "effort": 1.0});
    let version = req["version"].to_string();
    Call::form(
        "score_requirement",
        &[
            ("id", req["id"].as_str().unwrap()),
            ("version", &version),
            ("input", &input.to_string()),
        ],
    )
}

pub(crate) fn titles(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- refusal tables

/// One call of a refusal table: a server function and what it is sent, a
/// form or (for the functions declared with the Json input codec) JSON.
pub(crate) enum Call {
    Form(&'static str, Vec<(&'static str, String)>),
    Json(&'static str, Value),
}

impl Call {
    pub(crate) fn form(endpoint: &'static str, form: &[(&'static str, &str)]) -> Call {
        Call::Form(
            endpoint,
            form.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        )
    }

    pub(crate) fn json(endpoint: &'static str, body: Value) -> Call {
        Call::Json(endpoint, body)
    }

    fn endpoint(&self) -> &'static str {
        match self {
            Call::Form(endpoint, _) | Call::Json(endpoint, _) => endpoint,
        }
    }
}

/// How a call must be refused: with this status and, where the table names
/// it, this error code.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Refused {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<&'static str>,
}

impl Refused {
    /// Refused with `status`, whatever the error code.
    pub(crate) const fn status(status: StatusCode) -> Refused {
        Refused { status, code: None }
    }

    /// Refused with `status` and the error `code`.
    pub(crate) const fn with(status: StatusCode, code: &'static str) -> Refused {
        Refused {
            status,
            code: Some(code),
        }
    }
}

/// No session: 401 `not_signed_in`.
pub(crate) const NOT_SIGNED_IN: Refused = Refused::with(StatusCode::UNAUTHORIZED, "not_signed_in");
/// Signed in, but not allowed: 403 `forbidden`.
pub(crate) const FORBIDDEN: Refused = Refused::with(StatusCode::FORBIDDEN, "forbidden");

/// A caller of a refusal table: a name for failure messages and the session
/// cookie (`None`: no session).
pub(crate) type Caller<'a> = (&'a str, Option<&'a str>);

/// The visitor without a session.
pub(crate) const NO_SESSION: Caller<'static> = ("no session", None);

impl App {
    /// Makes one call of a refusal table with this session cookie (`None`: no session).
    pub(crate) async fn call_as(&self, call: &Call, cookie: Option<&str>) -> Reply {
        match call {
            Call::Form(endpoint, form) => {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                self.call(endpoint, &form, cookie).await
            }
            Call::Json(endpoint, body) => self.call_json(endpoint, body.clone(), cookie).await,
        }
    }
}

/// A refusal table: every caller (in order) makes every call (in order), and
/// each call must be refused as `refused` says. A failure names the
/// function, the caller and the answer.
pub(crate) async fn assert_refused(
    app: &App,
    callers: &[Caller<'_>],
    calls: &[Call],
    refused: Refused,
) {
    for (who, cookie) in callers {
        for call in calls {
            let endpoint = call.endpoint();
            let r = app.call_as(call, *cookie).await;
            assert_eq!(r.status, refused.status, "{endpoint} as {who}: {}", r.body);
            if let Some(code) = refused.code {
                assert_eq!(r.error_code(), code, "{endpoint} as {who}: {}", r.body);
            }
        }
    }
}

/// The demo organisation's seeded backlogs (`server/demo/backlog.rs`).
pub(crate) const DEMO_BACKLOGS: &str =
    "('b1d0c0de-0000-4000-8000-000000000001', 'b1d0c0de-0000-4000-8000-000000000002')";

/// Rewrites a query's backlog tables to leave out the demo's seeded rows.
pub(crate) fn outside_demo_backlogs(sql: &str) -> String {
    let seeded = format!("(SELECT id FROM requirements WHERE backlog_id IN {DEMO_BACKLOGS})");
    let by_requirement = |table: &str| {
        format!("(SELECT * FROM {table} WHERE requirement_id NOT IN {seeded}) AS {table}")
    };
    let mut out = String::new();
    let mut rest = sql;
    while let Some(i) = rest.find("FROM ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let table = &rest[..end];
        let replaced = match table {
            "requirements" | "poker_rounds" => format!(
                "(SELECT * FROM {table} WHERE backlog_id NOT IN {DEMO_BACKLOGS}) AS {table}"
            ),
            "requirement_events" | "requirement_labels" | "evidence" | "votes" => {
                by_requirement(table)
            }
            "backlogs" => {
                format!("(SELECT * FROM backlogs WHERE id NOT IN {DEMO_BACKLOGS}) AS backlogs")
            }
            other => other.to_string(),
        };
        out.push_str(&replaced);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------- forms before hydration

/// A survey answer as the answer page's plain form sends it before the page
/// is interactive (see `surveys::ui::answer`): every question by its index
/// in the round (`detail` is `load_round`'s answer), `likert` for each
/// Likert question, 8 for eNPS, the first option of a choice, `text` for
/// free text. The round id and submission id are the caller's to add.
pub(crate) fn answer_form_fields(detail: &Value, likert: i64, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let questions = detail["questions"].as_array().expect("questions");
    for (i, q) in questions.iter().enumerate() {
        let id = q["id"].as_str().unwrap().to_string();
        out.push((format!("answers[{i}][question_id]"), id));
        let value = match q["kind"].as_str().unwrap() {
            "likert" => likert.to_string(),
            "enps" => "8".to_string(),
            "text" => {
                out.push((format!("answers[{i}][text]"), text.to_string()));
                continue;
            }
            _ => "0".to_string(),
        };
        out.push((format!("answers[{i}][values][]"), value));
    }
    out
}

/// The opening tag of the page's form with this id.
pub(crate) fn form_tag<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("a form #{id} in the page"));
    let start = page[..at].rfind("<form").expect("the form's tag");
    let end = at + page[at..].find('>').unwrap();
    &page[start..=end]
}

/// The cells of an exported backlog, header included, cut to the intake
/// columns (title … labels): what imports elsewhere unchanged (the id,
/// version, state, score, owner, votes and rank are the backlog's own).
pub(crate) fn intake_cells(csv: &str) -> Vec<Vec<String>> {
    let text = csv.trim_start_matches('\u{feff}');
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .take(keel::backlog::csv::INTAKE_COLUMNS)
                .map(str::to_string)
                .collect()
        })
        .collect()
}
