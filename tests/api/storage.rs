//! Storage across backends and servers (issue 16): background work that
//! runs once however many servers share a database, backups, restores and
//! copies between SQLite and PostgreSQL, and their refusals.
use crate::helpers::{
    App, PW, TempDir, app_at, demo_app, fresh_db_url, new_pg_database, on_postgres, options,
    pg_server, settings, sqlite_only,
};
use keel::server::{cli, copy, jobs};

/// Another server on the same database as `app`.
async fn second_server(app: &App) -> keel::server::AppState {
    keel::server::build_state(settings(&app.db_url, false), options())
        .await
        .unwrap()
}

#[tokio::test]
async fn background_work_runs_once_however_many_servers_share_the_database() {
    let app = demo_app().await;
    let states = [
        second_server(&app).await,
        second_server(&app).await,
        second_server(&app).await,
    ];
    let run = |round: usize| {
        let states = states.clone();
        async move {
            let mut tasks = Vec::new();
            for (i, s) in states.into_iter().enumerate() {
                tasks.push(tokio::spawn(async move {
                    jobs::tick(&s, &format!("server-{i}-round-{round}")).await
                }));
            }
            let mut ran = Vec::new();
            for t in tasks {
                ran.extend(t.await.unwrap());
            }
            ran
        }
    };
    let first = run(1).await;
    for job in jobs::Job::ALL {
        assert_eq!(
            first.iter().filter(|j| **j == job).count(),
            1,
            "{} ran once among three servers: {first:?}",
            job.name()
        );
    }
    // Right after, nothing is due on any server.
    assert!(run(2).await.is_empty());
    // A period later (the claim compares with the stored last run), one server runs it again.
    sqlx::query("UPDATE jobs SET last_run = '2000-01-01T00:00:00Z' WHERE name = 'survey_sweep'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(run(3).await, vec![jobs::Job::SurveySweep]);
}

#[tokio::test]
async fn expired_sessions_are_deleted_by_the_job() {
    let app = demo_app().await;
    let cookie = app.sign_in("pm1@example.com", PW).await;
    let table = if on_postgres().is_some() {
        "tower_sessions.sessions"
    } else {
        "sessions"
    };
    let expire = if on_postgres().is_some() {
        format!("UPDATE {table} SET expiry_date = now() - interval '1 day'")
    } else {
        format!("UPDATE {table} SET expiry_date = 0")
    };
    let sessions: i64 = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
    assert!(sessions >= 1);
    sqlx::query(&expire).execute(&app.pool).await.unwrap();
    let s = second_server(&app).await;
    jobs::run(&s, jobs::Job::SessionExpiry).await.unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM {table}")).await, 0);
    assert!(app.call("me", &[], Some(&cookie)).await.json().is_null());
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_database_with_every_row() {
    let app = demo_app().await;
    let dir = TempDir::new();
    let file = dir.path().join("keel-backup.db");
    let said = cli::backup(&app.db_url, &file).await.unwrap();
    assert!(said.starts_with("backed up "), "{said}");
    // A second backup to the same name is refused and leaves the first.
    let err = cli::backup(&app.db_url, &file).await.unwrap_err();
    assert!(err.contains("exists already"), "{err}");

    let target_dir = TempDir::new();
    let target = fresh_db_url(&target_dir).await;
    let said = cli::restore(&target, &file).await.unwrap();
    assert!(said.starts_with("restored "), "{said}");
    let restored = app_at(target_dir, target.clone(), false).await;
    let (a, b) = (
        copy::contents(&app.pool).await.unwrap(),
        copy::contents(&restored.pool).await.unwrap(),
    );
    assert!(a.len() > 40, "every table: {}", a.len());
    for (table, rows) in &a {
        assert!(Some(rows) == b.get(table), "{table} restored row for row");
    }
    assert!(a.keys().eq(b.keys()), "the same tables");
    // People sign in on the restored database and see their work.
    let pm = restored.sign_in("pm1@example.com", PW).await;
    let me = restored.call("me", &[], Some(&pm)).await.json();
    assert_eq!(me["email"], "pm1@example.com");

    // Restoring again into the now full database writes nothing.
    let before = copy::contents(&restored.pool).await.unwrap();
    let err = cli::restore(&target, &file).await.unwrap_err();
    assert!(err.contains("already holds an organisation"), "{err}");
    assert!(
        copy::contents(&restored.pool).await.unwrap() == before,
        "nothing written"
    );
}

#[tokio::test]
async fn a_backup_of_another_schema_version_or_no_backup_is_refused() {
    let app = demo_app().await;
    let dir = TempDir::new();
    let file = dir.path().join("old.db");
    cli::backup(&app.db_url, &file).await.unwrap();
    // As if made by an older Keel: its last migration missing.
    let old = keel::server::db::open_existing(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&old)
    .await
    .unwrap();
    old.close().await;
    let target_dir = TempDir::new();
    let target = fresh_db_url(&target_dir).await;
    let err = cli::restore(&target, &file).await.unwrap_err();
    assert!(err.contains("schema version"), "{err}");
    assert!(!err.contains('\n'), "one line: {err}");
    let pool = keel::server::db::connect(&target).await.unwrap();
    assert!(copy::is_empty(&pool).await.unwrap(), "nothing written");

    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "not a database at all, just some words").unwrap();
    let err = cli::restore(&target, &junk).await.unwrap_err();
    assert!(err.contains("notes.txt"), "{err}");
    let err = cli::restore(&target, &dir.path().join("missing.db"))
        .await
        .unwrap_err();
    assert!(err.contains("is not a file"), "{err}");
    assert!(copy::is_empty(&pool).await.unwrap(), "nothing written");
}

#[tokio::test]
async fn copy_to_refuses_a_target_that_does_not_connect_or_is_not_empty() {
    let app = demo_app().await;
    let err = cli::copy_to(&app.db_url, "postgres://keel@127.0.0.1:1/keel")
        .await
        .unwrap_err();
    assert!(
        err.starts_with("the target database: cannot connect"),
        "{err}"
    );
    let err = cli::copy_to(&app.db_url, "mysql://keel@127.0.0.1/keel")
        .await
        .unwrap_err();
    assert!(err.contains("sqlite:// or postgres://"), "{err}");
    // Into itself: it holds an organisation.
    let before = copy::contents(&app.pool).await.unwrap();
    let err = cli::copy_to(&app.db_url, &app.db_url).await.unwrap_err();
    assert!(err.contains("already holds an organisation"), "{err}");
    assert!(
        copy::contents(&app.pool).await.unwrap() == before,
        "nothing written"
    );
}

#[tokio::test]
async fn the_demo_organisation_moves_from_sqlite_to_postgresql_and_back() {
    sqlite_only!("it copies between the two backends itself, from a SQLite source");
    let Some(server) = pg_server() else {
        panic!("KEEL_TEST_PG must name a PostgreSQL server (scripts/test.sh starts one)");
    };
    let app = demo_app().await;
    // Some work of the test's own on top of the demo's.
    let pm = app.sign_in("pm3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    app.submit(&pm, &backlog, "Carried over 搬迁", "").await;

    let pg = new_pg_database(&server).await;
    let said = cli::copy_to(&app.db_url, &pg).await.unwrap();
    assert!(said.contains("the target holds the same rows"), "{said}");
    let dir = TempDir::new();
    let on_pg = app_at(dir, pg.clone(), false).await;
    assert!(
        copy::contents(&app.pool).await.unwrap() == copy::contents(&on_pg.pool).await.unwrap(),
        "the copy holds the same rows"
    );
    let pm = on_pg.sign_in("pm3@example.com", PW).await;
    let list = on_pg.page(&pm, &backlog, &[("search", "搬迁")], 0).await;
    assert!(list.to_string().contains("Carried over 搬迁"), "{list}");
    // Work goes on there (new history rows after the copied ones), then back.
    on_pg.submit(&pm, &backlog, "Made on PostgreSQL", "").await;
    let back_dir = TempDir::new();
    let back = format!("sqlite://{}", back_dir.path().join("back.db").display());
    cli::copy_to(&pg, &back).await.unwrap();
    let back_app = app_at(back_dir, back, false).await;
    assert!(
        copy::contents(&on_pg.pool).await.unwrap() == copy::contents(&back_app.pool).await.unwrap(),
        "the copy back holds the same rows"
    );
    let pm = back_app.sign_in("pm3@example.com", PW).await;
    let list = back_app
        .page(&pm, &backlog, &[("search", "postgresql")], 0)
        .await;
    assert!(list.to_string().contains("Made on PostgreSQL"), "{list}");
}
