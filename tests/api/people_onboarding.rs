//! Onboarding a whole organisation (issue 17): people imported from a CSV
//! file (Chinese headers, GB18030, preview, row errors, only-valid, once by
//! email) and invitation links with which they set their own password.
use crate::helpers::{App, demo_app, new_id};
use axum::http::StatusCode;
use serde_json::{Value, json};

const HEADER: &str = "姓名,邮箱,角色,团队,语言\n";

fn people_csv(n: usize, role_of_first: &str) -> String {
    let mut text = String::from(HEADER);
    for i in 0..n {
        let role = if i == 0 { role_of_first } else { "成员" };
        text.push_str(&format!(
            "新同事{i:02} New {i:02},new{i:02}@example.com,{role},增长组 Growth,中文\n"
        ));
    }
    text
}

impl App {
    async fn import_people(
        &self,
        cookie: &str,
        text: &str,
        commit: bool,
        only_valid: bool,
    ) -> crate::helpers::Reply {
        let file = keel::csv_read::encode_gb18030_for_tests(text);
        let body =
            json!({"batch_id": new_id(), "file": file, "commit": commit, "only_valid": only_valid});
        self.call_json("import_people", body, Some(cookie)).await
    }

    async fn people_total(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM users").await
    }
}

#[tokio::test]
async fn twenty_people_come_from_a_gb18030_file_with_chinese_headers_once_by_email() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let growth_name: String =
        sqlx::query_scalar("SELECT name FROM teams WHERE name LIKE '%Growth%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        growth_name, "增长组 Growth",
        "the file names the team as the admin shows it"
    );
    let mut text = people_csv(20, "产品经理");
    text.push_str("坏邮箱,not-an-email,成员,,\n");
    text.push_str("没有团队,ghost@example.com,member,No such team,en\n");
    text.push_str("重复,new05@example.com,成员,,\n");
    let before = app.people_total().await;

    let preview = app.import_people(&admin, &text, false, false).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let p = preview.json();
    assert_eq!(p["valid_rows"], 20);
    let errors: Vec<(i64, String, String)> = p["errors"]
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
            (22, "email".into(), "invalid_email".into()),
            (23, "team".into(), "invalid_choice".into()),
            (24, "email".into(), "email_taken".into()),
        ]
    );
    // With problems, nothing is stored unless only the valid rows are asked for.
    let r = app.import_people(&admin, &text, true, false).await;
    assert_eq!(r.json()["imported"], 0);
    assert_eq!(app.people_total().await, before);
    let r = app.import_people(&admin, &text, true, true).await;
    assert_eq!(r.json()["imported"], 20, "{}", r.body);
    assert_eq!(app.people_total().await, before + 20);
    let first: (String, String, String) = sqlx::query_as(
        "SELECT u.role, t.name, u.language FROM users u JOIN teams t ON t.id = u.team_id WHERE u.email = 'new00@example.com'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(first, ("pm".into(), "增长组 Growth".into(), "zh".into()));
    // Nobody can sign in before they set a password.
    let r = app
        .call(
            "login",
            &[("email", "new00@example.com"), ("password", "")],
            None,
        )
        .await;
    assert_ne!(r.status, StatusCode::OK);

    // The same people again: nothing changes; one changed role is updated.
    let again = app
        .import_people(&admin, &people_csv(20, "产品经理"), true, false)
        .await
        .json();
    assert_eq!(
        (again["imported"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(20))
    );
    let changed = app
        .import_people(&admin, &people_csv(20, "团队负责人"), true, false)
        .await
        .json();
    assert_eq!(
        (changed["imported"].as_i64(), changed["unchanged"].as_i64()),
        (Some(1), Some(19))
    );
    assert_eq!(app.people_total().await, before + 20);
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'new00@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(role, "leader");

    // English headers and UTF-8 work too; and it is the admin's alone.
    let en =
        "name,email,role,team,language\nAda Lovelace,ada@example.com,Product manager,,English\n";
    let r = app
        .call_json("import_people", json!({"batch_id": new_id(), "file": en.as_bytes(), "commit": true, "only_valid": false}), Some(&admin))
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    let lead = app.sign_in("lead1@example.com", "keel-demo").await;
    let r = app
        .import_people(&lead, &people_csv(1, "成员"), true, false)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_invitation_link_sets_a_password_once_and_no_more() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let r = app
        .import_people(&admin, &people_csv(1, "产品经理"), true, false)
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    let id = app.user_id("new00@example.com").await;
    let invite = |cookie: String| {
        let (app, id) = (&app, id.clone());
        async move {
            app.call("create_invitation", &[("id", &id)], Some(&cookie))
                .await
        }
    };
    let pm = app.sign_in("pm1@example.com", "keel-demo").await;
    assert_eq!(invite(pm).await.status, StatusCode::FORBIDDEN);
    let first = invite(admin.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let old_token = first.json()["token"].as_str().unwrap().to_string();
    // A new link replaces the unused one.
    let link = invite(admin.clone()).await.json();
    let token = link["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    assert!(link["expires_at"].as_str().unwrap().len() >= 16);
    // Only a hash is stored, never the secret.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM invitations")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    let details = |t: String| {
        let app = &app;
        async move { app.call("invitation_details", &[("token", &t)], None).await }
    };
    let old = details(old_token).await;
    assert_eq!(
        (old.status, old.error_code().as_str()),
        (StatusCode::GONE, "invitation_invalid")
    );
    let d = details(token.clone()).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.json()["email"], "new00@example.com");

    let accept = |t: String, pw: &'static str| {
        let app = &app;
        async move {
            app.call(
                "accept_invitation",
                &[("token", &t), ("password", pw)],
                None,
            )
            .await
        }
    };
    let r = accept(token.clone(), "short").await;
    assert_eq!(r.json()["field"], "password", "{}", r.body);
    let r = accept(token.clone(), "my-own-secret-1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookie = r.session_cookie().expect("signed in");
    let me: Value = app.call("me", &[], Some(&cookie)).await.json();
    assert_eq!(me["email"], "new00@example.com");
    // Used once: the link works no more; the password does.
    let r = accept(token.clone(), "another-secret-2").await;
    assert_eq!(r.error_code(), "invitation_invalid");
    let r = app
        .call(
            "login",
            &[
                ("email", "new00@example.com"),
                ("password", "my-own-secret-1"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A password the admin sets by hand ends any unused link.
    let pending = invite(admin.clone()).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .call(
            "reset_password",
            &[("id", &id), ("password", "set-by-the-admin-1")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(details(pending).await.error_code(), "invitation_invalid");
    // A link past its 7 days is refused; so is a link for someone deactivated.
    let expired = invite(admin.clone()).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    sqlx::query("UPDATE invitations SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(details(expired).await.error_code(), "invitation_invalid");
    let fresh = invite(admin.clone()).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let v: i64 = app
        .count(&format!("SELECT version FROM users WHERE id = '{id}'"))
        .await;
    let r = app
        .call(
            "set_person_active",
            &[
                ("id", &id),
                ("version", &v.to_string()),
                ("active", "false"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        accept(fresh, "third-secret-3").await.error_code(),
        "invitation_invalid"
    );
    assert_eq!(invite(admin).await.error_code(), "account_inactive");
}
