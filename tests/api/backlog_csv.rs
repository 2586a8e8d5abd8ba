//! A backlog's CSV file as a round trip (issue 17): the export carries id,
//! version, state, score, owner, labels, votes and rank besides the intake
//! fields; importing it into the same backlog updates those requirements
//! (by id and version) instead of duplicating them; into another backlog it
//! creates them all, as before.
use crate::helpers::{
    App, Call, FORBIDDEN, PW, assert_refused, demo_app, intake_cells, new_id, titles,
};
use axum::http::StatusCode;
use serde_json::Value;

/// Columns of the export.
const TITLE: usize = 0;
const LABELS: usize = 7;
const ID: usize = 8;
const VERSION: usize = 9;
const STATUS: usize = 10;
const SCORE: usize = 11;
const OWNER: usize = 12;
const VOTES: usize = 13;
const RANK: usize = 14;

/// Every cell of a file, header included.
fn cells(csv: &str) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A file of these cells, as a spreadsheet saves it again.
fn file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(vec![]);
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

impl App {
    async fn export(&self, cookie: &str, backlog: &str) -> String {
        let r = self
            .get(&format!("/backlog/{backlog}/export.csv"), Some(cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    async fn requirements_in(&self, backlog: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM requirements WHERE backlog_id = $1")
            .bind(backlog)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    async fn row_of(&self, id: &str) -> (String, i64, Option<String>) {
        sqlx::query_as("SELECT title, version, owner_id FROM requirements WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    async fn events_of(&self, id: &str, kind: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM requirement_events WHERE requirement_id = $1 AND kind = $2",
        )
        .bind(id)
        .bind(kind)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// A Growth backlog with three requirements: Alpha (scored, voted for,
    /// owned by pm4, labelled), Bravo and Charlie.
    async fn filled_backlog(&self, pm: &str) -> (String, Vec<Value>) {
        let backlog = self.growth_backlog(pm).await;
        let text =
            "title,source,labels\nAlpha,customer,mobile;web\nBravo,sales,\nCharlie,support,\n";
        let r = self
            .import(pm, &backlog, &new_id(), text.as_bytes(), true, false)
            .await;
        assert_eq!(r.json()["imported"], 3, "{}", r.body);
        let rows = self.ranked(pm, &backlog, "").await;
        let r = self.rice(pm, &rows[0], 250.0).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let member = self.sign_in("member3@example.com", PW).await;
        let alpha = rows[0]["id"].as_str().unwrap();
        let r = self
            .call(
                "set_vote",
                &[("id", alpha), ("voted", "true")],
                Some(&member),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let pm4 = self.user_id("pm4@example.com").await;
        let version = r.json()["version"].to_string();
        let r = self
            .call(
                "update_requirement",
                &[
                    ("id", alpha),
                    ("version", &version),
                    ("owner_id", &pm4),
                    ("labels", "mobile, web"),
                ],
                Some(pm),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rows = self.ranked(pm, &backlog, "").await;
        (backlog, rows)
    }
}

fn kinds(report: &Value) -> Vec<(i64, String)> {
    report["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["row"].as_i64().unwrap(),
                        r["kind"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_export_carries_id_version_state_score_owner_votes_and_rank_in_the_viewers_language() {
    let app = demo_app().await;
    // pm3 reads Keel in Chinese, admin in English.
    let pm = app.sign_in("pm3@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let (backlog, rows) = app.filled_backlog(&pm).await;
    let zh = cells(&app.export(&pm, &backlog).await);
    assert_eq!(
        zh[0],
        [
            "标题",
            "描述",
            "来源",
            "提出人",
            "客户",
            "细分市场",
            "链接",
            "标签",
            "编号",
            "版本",
            "状态",
            "得分",
            "负责人",
            "票数",
            "排名"
        ]
    );
    let en = cells(&app.export(&admin, &backlog).await);
    assert_eq!(
        en[0],
        [
            "title",
            "description",
            "source",
            "requester",
            "customer",
            "segment",
            "links",
            "labels",
            "id",
            "version",
            "status",
            "score",
            "owner",
            "votes",
            "rank"
        ]
    );
    assert_eq!(en.len(), 4);
    // In rank order, as the page lists them.
    for (i, row) in rows.iter().enumerate() {
        let line = &en[i + 1];
        assert_eq!(line[TITLE], row["title"].as_str().unwrap());
        assert_eq!(line[ID], row["id"].as_str().unwrap());
        assert_eq!(line[VERSION], row["version"].to_string());
        assert_eq!(line[RANK], (i + 1).to_string());
        assert_eq!(line[VOTES], row["votes"].to_string());
    }
    let alpha = &en[1];
    assert_eq!(alpha[TITLE], "Alpha");
    assert_eq!(alpha[LABELS], "mobile; web");
    assert_eq!(alpha[OWNER], "pm4@example.com");
    assert_eq!(alpha[VOTES], "1");
    // RICE 250 × 1 × 100% / 1, as the page shows it.
    assert_eq!(alpha[SCORE], "250");
    assert_eq!(alpha[STATUS], "New");
    assert_eq!(zh[1][STATUS], "新提交");
    assert_eq!(en[2][SCORE], "");
    assert_eq!(en[2][OWNER], "");
}

#[tokio::test]
async fn an_export_imported_into_the_same_backlog_updates_without_duplicates() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let (backlog, rows) = app.filled_backlog(&pm).await;
    let exported = app.export(&pm, &backlog).await;

    // Unchanged, it changes nothing: every row is reported unchanged.
    let r = app
        .import(&pm, &backlog, &new_id(), exported.as_bytes(), false, false)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["valid_rows"], 0);
    assert_eq!(r.json()["unchanged"], 3);
    assert_eq!(
        kinds(&r.json()),
        [
            (2, "unchanged".into()),
            (3, "unchanged".into()),
            (4, "unchanged".into())
        ]
    );

    // Alpha renamed and given another owner, Bravo labelled, a new row added.
    let mut edited = cells(&exported);
    edited[1][TITLE] = "Alpha 2".into();
    edited[1][OWNER] = "PM5@example.com".into();
    edited[2][LABELS] = "later".into();
    // Read-only columns are ignored.
    edited[3][STATUS] = "done".into();
    edited[3][SCORE] = "999".into();
    edited[3][VOTES] = "42".into();
    edited[3][RANK] = "1".into();
    let mut new_row = vec![String::new(); 15];
    new_row[TITLE] = "Delta".into();
    new_row[2] = "customer".into();
    edited.push(new_row);
    let edited = file(&edited);
    let batch = new_id();
    let r = app
        .import(&pm, &backlog, &batch, &edited, false, false)
        .await;
    assert_eq!(r.json()["valid_rows"], 3, "{}", r.body);
    assert_eq!(r.json()["unchanged"], 1);
    assert_eq!(
        kinds(&r.json()),
        [
            (2, "update".into()),
            (3, "update".into()),
            (4, "unchanged".into()),
            (5, "new".into())
        ]
    );
    assert_eq!(r.json()["rows"][0]["name"], "Alpha 2");
    let alpha = rows[0]["id"].as_str().unwrap();
    let (_, before, _) = app.row_of(alpha).await;
    let r = app
        .import(&pm, &backlog, &batch, &edited, true, false)
        .await;
    assert_eq!(r.json()["imported"], 3, "{}", r.body);
    assert_eq!(app.requirements_in(&backlog).await, 4);
    let (title, version, owner) = app.row_of(alpha).await;
    assert_eq!(title, "Alpha 2");
    assert_eq!(version, before + 1);
    assert_eq!(owner, Some(app.user_id("pm5@example.com").await));
    // History as an edit records it, and the owner's change.
    assert_eq!(app.events_of(alpha, "edit").await, 1);
    assert_eq!(app.events_of(alpha, "owner").await, 2);
    let now = app.ranked(&pm, &backlog, "").await;
    let bravo = now.iter().find(|r| r["title"] == "Bravo").unwrap();
    assert_eq!(bravo["labels"], serde_json::json!(["later"]));
    assert_eq!(bravo["version"], rows[1]["version"].as_i64().unwrap() + 1);
    // Charlie, unchanged, kept its state and version.
    let charlie = now.iter().find(|r| r["title"] == "Charlie").unwrap();
    assert_eq!(charlie["status"], "new");
    assert_eq!(charlie["version"], rows[2]["version"]);
    assert_eq!(charlie["votes"], 0);

    // The same file again (another send): the updated rows changed since the
    // export, the unchanged one is left out, nothing is written.
    let r = app
        .import(&pm, &backlog, &new_id(), &edited, true, false)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["imported"], 0);
    let errors: Vec<(i64, String, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "version".into(), "changed_since_export".into()),
            (3, "version".into(), "changed_since_export".into())
        ]
    );
    assert_eq!(app.requirements_in(&backlog).await, 4);
    assert_eq!(app.row_of(alpha).await.1, version);
}

#[tokio::test]
async fn a_row_changed_since_the_export_is_refused_with_its_message_and_nothing_of_it_is_written() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let (backlog, rows) = app.filled_backlog(&pm).await;
    let exported = app.export(&pm, &backlog).await;
    // Someone rescores Bravo after the export.
    let r = app.rice(&pm, &rows[1], 10.0).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut edited = cells(&exported);
    edited[1][TITLE] = "Alpha 2".into();
    edited[2][TITLE] = "Bravo 2".into();
    let edited = file(&edited);
    let batch = new_id();
    let r = app
        .import(&pm, &backlog, &batch, &edited, false, false)
        .await;
    assert_eq!(r.json()["valid_rows"], 1, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["row"], 3);
    assert_eq!(r.json()["errors"][0]["column"], "version");
    assert_eq!(r.json()["errors"][0]["code"], "changed_since_export");
    // The message says to export again, in both languages.
    for locale in ["en", "zh"] {
        let path = format!("{}/locales/{locale}.json", crate::helpers::ROOT);
        let text = std::fs::read_to_string(path).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        let message = json["errors"]["changed_since_export"].as_str().unwrap();
        assert!(message.contains(if locale == "en" {
            "export again"
        } else {
            "重新导出"
        }));
    }
    // Not without asking for the valid rows only.
    let r = app
        .import(&pm, &backlog, &batch, &edited, true, false)
        .await;
    assert_eq!(r.json()["imported"], 0);
    assert_eq!(app.row_of(rows[0]["id"].as_str().unwrap()).await.0, "Alpha");
    // With it: Alpha is updated, Bravo keeps its title.
    let r = app.import(&pm, &backlog, &batch, &edited, true, true).await;
    assert_eq!(r.json()["imported"], 1);
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        ["Alpha 2", "Bravo", "Charlie"]
    );
    // A row without its version, an unknown owner and a requirement named
    // twice are refused at their rows too.
    let exported = app.export(&pm, &backlog).await;
    let mut bad = cells(&exported);
    bad[1][VERSION] = String::new();
    bad[2][OWNER] = "nobody@example.com".into();
    bad[2][TITLE] = "Bravo 3".into();
    let again = bad[3].clone();
    bad.push(again);
    let r = app
        .import(&pm, &backlog, &new_id(), &file(&bad), false, false)
        .await;
    let errors: Vec<(i64, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "required".into()),
            (3, "invalid_choice".into()),
            (5, "repeated_in_file".into())
        ]
    );
}

#[tokio::test]
async fn an_export_imported_into_a_new_backlog_creates_every_row() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let (backlog, _) = app.filled_backlog(&pm).await;
    let exported = app.export(&pm, &backlog).await;
    let second = app.growth_backlog(&pm).await;
    let r = app
        .import(&pm, &second, &new_id(), exported.as_bytes(), false, false)
        .await;
    assert_eq!(
        kinds(&r.json()),
        [(2, "new".into()), (3, "new".into()), (4, "new".into())]
    );
    let r = app
        .import(&pm, &second, &new_id(), exported.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 3, "{}", r.body);
    assert_eq!(app.requirements_in(&second).await, 3);
    assert_eq!(app.requirements_in(&backlog).await, 3);
    let again = app.export(&pm, &second).await;
    assert_eq!(intake_cells(&again), intake_cells(&exported));
    // New ids, versions from 1, in the same order.
    let (first, copy) = (cells(&exported), cells(&again));
    for i in 1..4 {
        assert_ne!(first[i][ID], copy[i][ID]);
        assert_eq!(copy[i][VERSION], "1");
        assert_eq!(copy[i][RANK], i.to_string());
    }
}

#[tokio::test]
async fn the_id_of_another_backlogs_requirement_makes_a_new_one() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let (first, rows) = app.filled_backlog(&pm).await;
    let second = app.growth_backlog(&pm).await;
    let alpha = rows[0]["id"].as_str().unwrap();
    let version = rows[0]["version"].to_string();
    let text = format!(
        "title,source,id,version\nAlpha elsewhere,customer,{alpha},{version}\nFree id,customer,not-an-id,1\n"
    );
    let r = app
        .import(&pm, &second, &new_id(), text.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 2, "{}", r.body);
    assert_eq!(
        titles(&app.ranked(&pm, &second, "").await),
        ["Alpha elsewhere", "Free id"]
    );
    // The requirement the id names is untouched.
    assert_eq!(app.row_of(alpha).await.0, "Alpha");
    assert_eq!(app.requirements_in(&first).await, 3);
}

#[tokio::test]
async fn formula_cells_are_neutralised_in_every_column_of_the_export() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    let text = "title,description,source,requester,labels\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1 day,customer,@me,+y;-x\n";
    let r = app
        .import(&pm, &backlog, &new_id(), text.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    let exported = app.export(&pm, &backlog).await;
    for row in cells(&exported) {
        for cell in &row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
    }
    let rows = cells(&exported);
    assert_eq!(rows[1][TITLE], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(rows[1][LABELS], "'+y; -x");
    // And the file imports into the same backlog as unchanged.
    let r = app
        .import(&pm, &backlog, &new_id(), exported.as_bytes(), false, false)
        .await;
    assert_eq!(r.json()["unchanged"], 1, "{}", r.body);
    assert!(r.json()["errors"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn updates_by_import_are_for_the_teams_pms_leaders_and_admins() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let (backlog, rows) = app.filled_backlog(&pm).await;
    let exported = app.export(&pm, &backlog).await;
    let mut edited = cells(&exported);
    edited[1][TITLE] = "Taken over".into();
    let edited = file(&edited);
    // A PM of another team, and a member of this one: refused whole, even
    // the preview; nothing written.
    let other_pm = app.sign_in("pm6@example.com", PW).await;
    let member = app.sign_in("member3@example.com", PW).await;
    let calls: Vec<Call> = [false, true]
        .into_iter()
        .map(|commit| {
            Call::json(
                "import_requirements",
                serde_json::json!({
                    "backlog_id": backlog, "batch_id": new_id(), "file": edited,
                    "commit": commit, "only_valid": true
                }),
            )
        })
        .collect();
    assert_refused(
        &app,
        &[
            ("Platform's PM", Some(&other_pm)),
            ("a member", Some(&member)),
        ],
        &calls,
        FORBIDDEN,
    )
    .await;
    assert_eq!(app.row_of(rows[0]["id"].as_str().unwrap()).await.0, "Alpha");
    assert_eq!(app.requirements_in(&backlog).await, 3);
    // Rows without ids still import for anyone, as before.
    let r = app
        .import(
            &member,
            &backlog,
            &new_id(),
            b"title,source\nFrom a member,customer\n",
            true,
            false,
        )
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    // The team's leader may update.
    let lead = app.sign_in("lead1@example.com", PW).await;
    let r = app
        .import(&lead, &backlog, &new_id(), &edited, true, false)
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    assert_eq!(
        app.row_of(rows[0]["id"].as_str().unwrap()).await.0,
        "Taken over"
    );
}
