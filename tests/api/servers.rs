//! Several Keel server processes on one PostgreSQL database, reached through
//! one address (issue 16). The release binary itself runs here, as a
//! deployment runs it: two processes, a round-robin TCP proxy in front (what
//! nginx's `upstream` does, including trying the next server when one does
//! not accept), and a `kill -9` in the middle of a stream of writes.
//!
//! PostgreSQL only: several servers on one SQLite file is not a supported
//! deployment (README "Several app servers").
use crate::helpers::{TempDir, new_pg_database, on_postgres, serde_urlencoded};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Returns early unless the suite runs on PostgreSQL, saying why.
macro_rules! postgres_only {
    ($why:expr) => {
        if on_postgres().is_none() {
            eprintln!("run on PostgreSQL only: {}", $why);
            return;
        }
    };
}

/// One `keel` process, its address and what it has logged.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(db_url: &str, dir: &TempDir) -> Server {
        let root = crate::helpers::ROOT;
        let mut child = Command::new(crate::helpers::keel_bin())
            .current_dir(root)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", dir.path())
            .env("LEPTOS_HASH_FILES", "false")
            .env("KEEL_DATABASE_URL", db_url)
            .env("KEEL_SURVEY_KEY", crate::helpers::SURVEY_KEY)
            .env("KEEL_DEMO", "1")
            .env("KEEL_SECURE_COOKIES", "0")
            .env_remove("KEEL_SETUP_TOKEN")
            .env("RUST_LOG", "info,sqlx=warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the keel binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        let sink = log.clone();
        // Drains the log for the whole life of the process (a full pipe
        // would stop the server) and reports the address it listens on.
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(at) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(at.trim().to_string());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                panic!("keel did not start:\n{}", log.lock().unwrap());
            }
        };
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One address in front of several servers: each new connection goes to the
/// next server in turn, and to the one after it when that one does not
/// accept (a killed server). Counts the connections each server took.
async fn round_robin(backends: Vec<SocketAddr>) -> (SocketAddr, Arc<Vec<AtomicUsize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let taken: Arc<Vec<AtomicUsize>> =
        Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
    let counts = taken.clone();
    tokio::spawn(async move {
        let next = AtomicUsize::new(0);
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let first = next.fetch_add(1, Ordering::Relaxed);
            let backends = backends.clone();
            let counts = counts.clone();
            tokio::spawn(async move {
                for i in 0..backends.len() {
                    let which = (first + i) % backends.len();
                    if let Ok(mut server) = TcpStream::connect(backends[which]).await {
                        counts[which].fetch_add(1, Ordering::Relaxed);
                        let _ = server.set_nodelay(true);
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        return;
                    }
                }
            });
        }
    });
    (addr, taken)
}

/// A reply: status and body.
struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One HTTP/1.1 request on a connection of its own (so the proxy spreads
/// requests, not connections). An error is a connection that broke before
/// the whole answer came: the request may or may not have been carried out.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    content_type: &str,
    cookie: Option<&str>,
) -> std::io::Result<Answer> {
    let mut s = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(addr)).await??;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nAccept: application/json\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !content_type.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    if let Some(c) = cookie {
        head.push_str(&format!("Cookie: {c}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await?;
    s.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut raw)).await??;
    let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "cut off");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (headers, rest) = text.split_once("\r\n\r\n").ok_or_else(broken)?;
    let status: u16 = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(broken)?;
    let lower = headers.to_ascii_lowercase();
    let body = if lower.contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = rest;
        loop {
            let (size, after) = rest.split_once("\r\n").ok_or_else(broken)?;
            let n = usize::from_str_radix(size.trim(), 16).map_err(|_| broken())?;
            if n == 0 {
                break;
            }
            out.push_str(after.get(..n).ok_or_else(broken)?);
            rest = after.get(n + 2..).ok_or_else(broken)?;
        }
        out
    } else {
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        if length.is_some_and(|n| n != rest.len()) {
            return Err(broken());
        }
        rest.to_string()
    };
    Ok(Answer {
        status,
        headers: headers.to_string(),
        body,
    })
}

async fn call(
    addr: SocketAddr,
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> std::io::Result<Answer> {
    request(
        addr,
        "POST",
        &format!("/api/{endpoint}"),
        &serde_urlencoded(form),
        "application/x-www-form-urlencoded",
        cookie,
    )
    .await
}

async fn call_json(addr: SocketAddr, endpoint: &str, body: &Value, cookie: &str) -> Answer {
    request(
        addr,
        "POST",
        &format!("/api/{endpoint}"),
        &body.to_string(),
        "application/json",
        Some(cookie),
    )
    .await
    .unwrap()
}

async fn sign_in(addr: SocketAddr, email: &str) -> String {
    let r = call(
        addr,
        "login",
        &[("email", email), ("password", "keel-demo")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    r.headers
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .filter_map(|l| l.split_once(':').map(|(_, v)| v.trim()))
        .find(|v| v.starts_with("keel_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a session cookie")
}

async fn checkin(
    addr: SocketAddr,
    cookie: &str,
    kpi: &str,
    id: &str,
    value: &str,
) -> std::io::Result<Answer> {
    call(
        addr,
        "add_checkin",
        &[
            ("id", id),
            ("kpi_id", kpi),
            ("day", ""),
            ("value", value),
            ("confidence", "70"),
            ("note", ""),
            ("corrects", ""),
        ],
        Some(cookie),
    )
    .await
}

/// The KPI's current value on `addr`'s dashboard, as the cards show it.
async fn current_on(addr: SocketAddr, cookie: &str, code: &str) -> Option<f64> {
    let form = [
        ("team", ""),
        ("pm", ""),
        ("status", ""),
        ("page", "0"),
        ("search", ""),
        ("period", ""),
        ("from", ""),
        ("to", ""),
    ];
    let r = call(addr, "kpi_dashboard", &form, Some(cookie))
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .and_then(|c| c["current"].as_f64())
}

/// Asks `addr`'s dashboard until it shows `value`, for at most a second.
async fn shown_within_a_second(addr: SocketAddr, cookie: &str, code: &str, value: f64) -> Duration {
    let start = Instant::now();
    loop {
        if current_on(addr, cookie, code).await == Some(value) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{code} = {value} not on the other server's dashboard after 1 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_share_one_database_and_a_killed_server_loses_no_acknowledged_write() {
    postgres_only!("several servers on one database is a PostgreSQL deployment");
    let server = on_postgres().unwrap();
    let db_url = new_pg_database(&server).await;
    let dir = TempDir::new();
    // One after the other, as a rolling start does: the first one migrates
    // and seeds the demo organisation, the second finds them there.
    let a = Server::start(&db_url, &dir);
    let mut b = Server::start(&db_url, &dir);
    let (front, taken) = round_robin(vec![a.addr, b.addr]).await;

    // Signed in through A, acting through B: the session is in the database.
    let pm = sign_in(a.addr, "pm3@example.com").await;
    let pm_id: String = {
        let r = call(b.addr, "kpi_form_choices", &[], Some(&pm))
            .await
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        let owners = r.json()["owners"].as_array().unwrap().clone();
        owners
            .iter()
            .map(|o| o[0].as_str().unwrap().to_string())
            .find(|o| o.starts_with("pm:"))
            .expect("pm3 may own a KPI")
    };
    let kpi = uuid::Uuid::new_v4().to_string();
    let start = keel::kpi::model::day_text(crate::helpers::today() - 30);
    let due = keel::kpi::model::day_text(crate::helpers::today() + 60);
    let form = serde_json::json!({
        "code": "MULTI", "name": "Two servers", "owner": pm_id, "unit": "%",
        "direction": "increase", "baseline": "0", "target": "1000",
        "start_date": start, "due_date": due, "cadence_days": "7",
        "visibility": "team", "goal_id": "", "weight": ""
    });
    let r = call_json(
        b.addr,
        "create_kpi",
        &serde_json::json!({ "id": kpi, "form": form }),
        &pm,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A check-in on A is on B's dashboard within a second. B has drawn the
    // dashboard before (its in-memory rows are warm), so this is the case
    // where a stale cache would show.
    assert_eq!(current_on(b.addr, &pm, "MULTI").await, None);
    let r = checkin(a.addr, &pm, &kpi, &uuid::Uuid::new_v4().to_string(), "42.5")
        .await
        .unwrap();
    assert_eq!((r.status, r.body.as_str()), (200, "true"));
    let took = shown_within_a_second(b.addr, &pm, "MULTI", 42.5).await;
    eprintln!("a check-in on A was on B's dashboard after {took:?}");

    // B loses its database connections (PostgreSQL ends them all) and gets
    // new ones: what A writes next is still what B shows.
    let mut admin = {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap()
    };
    let db_name = db_url.rsplit('/').next().unwrap().to_string();
    let ended: Vec<i64> = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1) AS t",
    )
    .bind(&db_name)
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(ended[0] >= 2, "both servers had connections: {ended:?}");
    let r = checkin(a.addr, &pm, &kpi, &uuid::Uuid::new_v4().to_string(), "43.5")
        .await
        .unwrap();
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "true"),
        "A after reconnecting"
    );
    shown_within_a_second(b.addr, &pm, "MULTI", 43.5).await;

    // A stream of check-ins through the one address; B is killed (SIGKILL)
    // once a third of them have been acknowledged. A client that gets no
    // answer sends the same check-in again (as the app's offline queue does),
    // under the same id.
    const WRITERS: usize = 4;
    const EACH: usize = 30;
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let resent = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (pm, kpi, acknowledged, count, resent) = (
            pm.clone(),
            kpi.clone(),
            acknowledged.clone(),
            count.clone(),
            resent.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0..EACH {
                let id = uuid::Uuid::new_v4().to_string();
                let value = format!("{}", 100 + w * EACH + i);
                let mut tries = 0;
                loop {
                    tries += 1;
                    assert!(tries <= 20, "check-in {id} never acknowledged");
                    match checkin(front, &pm, &kpi, &id, &value).await {
                        Ok(r) if r.status == 200 => {
                            acknowledged
                                .lock()
                                .unwrap()
                                .push((id.clone(), r.body.clone()));
                            count.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Ok(r) => {
                            assert!(r.status >= 500, "check-in refused: {} {}", r.status, r.body)
                        }
                        Err(_) => {}
                    }
                    resent.fetch_add(1, Ordering::SeqCst);
                }
            }
        }));
    }
    let total = WRITERS * EACH;
    while count.load(Ordering::SeqCst) < total / 3 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    b.child.kill().unwrap(); // SIGKILL
    b.child.wait().unwrap();
    let at_kill = count.load(Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    assert!(
        at_kill < total,
        "B was killed while writes were still coming"
    );
    let before_kill_b = taken[1].load(Ordering::SeqCst);
    assert!(before_kill_b > 0, "B took part in the stream");

    // Every check-in was acknowledged once in the end; each is stored once.
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged.len(), total);
    let pool = keel::server::db::open_existing(&db_url).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, CAST(COUNT(*) AS BIGINT) FROM checkins WHERE kpi_id = $1 GROUP BY id",
    )
    .bind(&kpi)
    .fetch_all(&pool)
    .await
    .unwrap();
    let stored: std::collections::HashMap<String, i64> = rows.into_iter().collect();
    for (id, answer) in &acknowledged {
        assert_eq!(
            stored.get(id),
            Some(&1),
            "acknowledged check-in {id} ({answer}) stored once"
        );
        // "false" means: already stored by an earlier try whose answer was lost.
        assert!(answer == "true" || answer == "false", "{answer}");
    }
    assert_eq!(stored.len(), total + 2, "nothing stored that was not sent");
    // The KPI's derived data moved with every stored check-in, in the same
    // transaction: its page lists them all.
    let r = call(a.addr, "load_kpi", &[("id", &kpi)], Some(&pm))
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["checkins"].as_array().unwrap().len(), total + 2);
    eprintln!(
        "{total} check-ins, B killed after {at_kill} acknowledged, {} sent again, {} answered false (stored before the answer was lost)",
        resent.load(Ordering::SeqCst),
        acknowledged.iter().filter(|(_, a)| a == "false").count()
    );
}
