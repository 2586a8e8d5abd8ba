//! Forms that matter work before hydration (issue 15): a survey's answer, a
//! KPI check-in and a requirement's submission are real HTML forms that
//! post to their server functions; the server sends the browser back to the
//! page with the result, which the page shows as the hydrated form does.
use crate::helpers::{App, PW, answer_form_fields, demo_app, form_tag, new_id};
use axum::http::{StatusCode, header};

/// The demo KPI DAU (pm3, Growth), which admins may check in on.
const DAU: &str = "7b1d0000-0000-4000-8000-000000000000";

fn location(r: &crate::helpers::Reply) -> String {
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "a plain form post is answered with a redirect: {:?} {}",
        r.headers,
        r.body
    );
    r.headers[header::LOCATION].to_str().unwrap().to_string()
}

fn set_cookies(r: &crate::helpers::Reply) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The demo's open wellbeing pulse, which every demo person is asked.
async fn pulse(app: &App) -> String {
    sqlx::query_scalar("SELECT id FROM survey_rounds WHERE title LIKE 'Wellbeing pulse%'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_survey_is_answered_as_a_plain_form_post() {
    let app = demo_app().await;
    let rid = pulse(&app).await;
    let page_path = format!("/surveys/{rid}/answer");
    let me = app.sign_in("member2@example.com", PW).await;

    // The page's form posts to the plain-form twin of submit_answers, with
    // every control named for it.
    let page = app.get(&page_path, Some(&me)).await;
    assert_eq!(page.status, StatusCode::OK);
    let tag = form_tag(&page.body, "answer-form");
    assert!(
        tag.contains(r#"method="post""#) && tag.contains(r#"action="/api/submit_answers_form""#),
        "{tag}"
    );
    for name in [
        r#"name="round_id""#,
        r#"name="submission""#,
        r#"name="answers[0][question_id]""#,
        r#"type="radio" name="answers[0][values][]" value="1""#,
    ] {
        assert!(page.body.contains(name), "{name} is in the page");
    }
    let detail = app.call("load_round", &[("id", &rid)], Some(&me)).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let detail = detail.json();
    let questions = detail["questions"].as_array().unwrap();
    // Likert 1 is at the stress question's distress threshold.
    let all = answer_form_fields(&detail, 1, "plain post 无脚本");
    let head = [
        ("round_id".to_string(), rid.clone()),
        ("submission".to_string(), new_id()),
    ];

    // A required question left unanswered (its hidden id still sent) is
    // named at its field; nothing is stored.
    let first = questions[0]["id"].as_str().unwrap().to_string();
    let mut partial: Vec<(String, String)> = head.to_vec();
    partial.extend(
        all.iter()
            .filter(|(k, _)| k != "answers[0][values][]")
            .cloned(),
    );
    let r = app
        .plain_post(
            "submit_answers_form",
            &pairs(&partial),
            &page_path,
            Some(&me),
        )
        .await;
    let back = location(&r);
    assert_eq!(
        back,
        format!("{page_path}?error=required&field={first}&failed=submit_answers_form")
    );
    let page = app.get(&back, Some(&me)).await;
    assert!(
        page.body.contains("field-error"),
        "the message is at the question before hydration"
    );
    assert!(
        page.body.contains(r#"id="answer-form""#),
        "the form is still there"
    );

    // Someone not asked is refused through the same rule as submit_answers.
    let admin = app.sign_in("admin@example.com", PW).await;
    let mut whole: Vec<(String, String)> = head.to_vec();
    whole.extend(all.iter().cloned());
    let r = app
        .plain_post(
            "submit_answers_form",
            &pairs(&whole),
            &page_path,
            Some(&admin),
        )
        .await;
    assert_eq!(
        location(&r),
        format!("{page_path}?error=forbidden&failed=submit_answers_form")
    );
    let r = app
        .call("submit_answers_form", &pairs(&whole), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.call("submit_answers_form", &pairs(&whole), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(
        detail_of(&app, &me, &rid).await["round"]["done"],
        false,
        "nothing was stored"
    );

    // The whole answer: back to the page, answered, and (an answer at a
    // distress threshold) a cookie of this browser's only says support is due.
    let r = app
        .plain_post("submit_answers_form", &pairs(&whole), &page_path, Some(&me))
        .await;
    let back = location(&r);
    assert_eq!(back, format!("{page_path}?done=submit_answers_form"));
    let support = set_cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("keel_survey_support=1"))
        .expect("the support cookie");
    assert!(support.contains(&format!("Path={page_path}")), "{support}");
    assert!(support.contains("HttpOnly"), "{support}");
    assert_eq!(detail_of(&app, &me, &rid).await["round"]["done"], true);

    let with_support = format!("{me}; keel_survey_support=1");
    let page = app.get(&back, Some(&with_support)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-testid="answer-thanks""#));
    assert!(page.body.contains(r#"data-testid="support-resources""#));
    assert!(
        set_cookies(&page)
            .iter()
            .any(|c| c.starts_with("keel_survey_support=;") && c.contains("Max-Age=0")),
        "the cookie is cleared once read: {:?}",
        page.headers
    );
    let page = app.get(&back, Some(&me)).await;
    assert!(page.body.contains(r#"data-testid="answer-thanks""#));
    assert!(!page.body.contains(r#"data-testid="support-resources""#));

    // Sent again (the back button): the same submission is a replay; a new
    // one is a second answer, refused.
    let r = app
        .plain_post("submit_answers_form", &pairs(&whole), &page_path, Some(&me))
        .await;
    assert_eq!(
        location(&r),
        format!("{page_path}?done=submit_answers_form")
    );
    whole[1].1 = new_id();
    let r = app
        .plain_post("submit_answers_form", &pairs(&whole), &page_path, Some(&me))
        .await;
    assert_eq!(
        location(&r),
        format!("{page_path}?error=already_answered&failed=submit_answers_form")
    );
}

async fn detail_of(app: &App, who: &str, rid: &str) -> serde_json::Value {
    let r = app.call("load_round", &[("id", rid)], Some(who)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_check_in_is_a_plain_form_post() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let page_path = format!("/kpis/{DAU}");
    let page = app.get(&page_path, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let tag = form_tag(&page.body, "checkin-form");
    assert!(
        tag.contains(r#"method="post""#) && tag.contains(r#"action="/api/add_checkin""#),
        "{tag}"
    );
    assert!(
        page.body
            .contains(&format!(r#"name="kpi_id" value="{DAU}""#))
    );
    let count = format!("SELECT COUNT(*) FROM checkins WHERE kpi_id = '{DAU}'");
    let before = app.count(&count).await;

    let id = new_id();
    let mut form = vec![
        ("id", id.as_str()),
        ("kpi_id", DAU),
        ("value", "lots"),
        ("day", ""),
        ("confidence", "70"),
        ("note", "plain post check-in"),
        ("corrects", ""),
    ];
    let r = app
        .plain_post("add_checkin", &form, &page_path, Some(&admin))
        .await;
    let back = location(&r);
    assert_eq!(
        back,
        format!("{page_path}?error=not_a_number&field=value&failed=add_checkin")
    );
    assert!(!back.contains("lots"), "no value goes into the address");
    let page = app.get(&back, Some(&admin)).await;
    assert!(page.body.contains("field-error"));
    assert_eq!(app.count(&count).await, before);

    form[2] = ("value", "151");
    let r = app
        .plain_post("add_checkin", &form, &page_path, Some(&admin))
        .await;
    let back = location(&r);
    assert_eq!(back, format!("{page_path}?done=add_checkin"));
    assert_eq!(app.count(&count).await, before + 1);
    let page = app.get(&back, Some(&admin)).await;
    assert!(
        page.body.contains("plain post check-in"),
        "the check-in is listed"
    );
    assert!(page.body.contains("alert-ok"), "the saved note shows");
    // The same form sent twice stores once.
    let r = app
        .plain_post("add_checkin", &form, &page_path, Some(&admin))
        .await;
    assert_eq!(location(&r), format!("{page_path}?done=add_checkin"));
    assert_eq!(app.count(&count).await, before + 1);
}

#[tokio::test]
async fn a_requirement_is_submitted_as_a_plain_form_post() {
    let app = demo_app().await;
    let member = app.sign_in("member1@example.com", PW).await;
    let page = app.get("/backlog", Some(&member)).await;
    assert_eq!(page.status, StatusCode::OK);
    let tag = form_tag(&page.body, "requirement-form");
    assert!(
        tag.contains(r#"method="post""#) && tag.contains(r#"action="/api/submit_requirement""#),
        "{tag}"
    );
    // The backlog shown is the one the form submits to.
    let marker = r#"name="backlog_id" value=""#;
    let at = page.body.find(marker).expect("the backlog's hidden field") + marker.len();
    let backlog = page.body[at..at + page.body[at..].find('"').unwrap()].to_string();
    assert!(uuid::Uuid::parse_str(&backlog).is_ok(), "{backlog}");

    let id = new_id();
    let title = "Plain post requirement 无脚本提交";
    let mut form = requirement_form(&id, &backlog);
    let r = app
        .plain_post("submit_requirement", &form, "/backlog", Some(&member))
        .await;
    let back = location(&r);
    // `failed` names the form, so a page with several shows it at that one.
    assert_eq!(
        back,
        "/backlog?error=required&field=title&failed=submit_requirement"
    );
    let page = app.get(&back, Some(&member)).await;
    assert!(page.body.contains("field-error"));

    form[2] = ("title", title);
    let r = app
        .plain_post("submit_requirement", &form, "/backlog", Some(&member))
        .await;
    let back = location(&r);
    assert_eq!(back, "/backlog?done=submit_requirement");
    let stored: String = sqlx::query_scalar("SELECT backlog_id FROM requirements WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, backlog);
    let page = app.get(&back, Some(&member)).await;
    assert!(page.body.contains(title), "the requirement is listed");
    assert!(page.body.contains("alert-ok"), "the submitted note shows");

    // From another backlog's page (`?b=`), the answer goes back to that
    // backlog, with a stale result of an earlier post replaced.
    let platform = "b1d0c0de-0000-4000-8000-000000000002";
    let referer = format!("/backlog?b={platform}&done=submit_requirement");
    let id = new_id();
    let title = "Plain post to the platform backlog";
    let form = requirement_form(&id, platform);
    let r = app
        .plain_post("submit_requirement", &form, &referer, Some(&member))
        .await;
    assert_eq!(
        location(&r),
        format!("/backlog?b={platform}&error=required&field=title&failed=submit_requirement")
    );
    let mut form = form;
    form[2] = ("title", title);
    let r = app
        .plain_post("submit_requirement", &form, &referer, Some(&member))
        .await;
    let back = location(&r);
    assert_eq!(
        back,
        format!("/backlog?b={platform}&done=submit_requirement")
    );
    let page = app.get(&back, Some(&member)).await;
    assert!(
        page.body.contains(title),
        "the platform backlog is shown with it"
    );
}

/// The requirement form as a browser posts it, its title left empty.
fn requirement_form<'a>(id: &'a str, backlog: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", id),
        ("backlog_id", backlog),
        ("title", ""),
        ("description", ""),
        ("source", "customer"),
        ("requester", ""),
        ("customer", ""),
        ("segment", ""),
        ("links", ""),
    ]
}
