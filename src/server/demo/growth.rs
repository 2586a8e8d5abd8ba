//! Demo growth data.
use super::{TEAM_GROWTH, TEAM_PLATFORM, TEAM_PRODUCT};
use sqlx::AnyPool;

/// The demo's growth data: the current and next half-year, levels for the
/// PMs and leaders, ratings, a catalog, three plans (one item overdue),
/// budgets and two mentoring pairs.
pub(super) async fn seed_growth(
    pool: &AnyPool,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::kpi::model::{day_number, day_text};
    let id_of = |email: &str| super::id_of(ids, email);
    let today_text = crate::server::clock::OrgClock::new(crate::calendar::DEFAULT_TIME_ZONE)
        .today()
        .0;
    let today = day_number(&today_text).unwrap_or(0);
    let year: i32 = today_text[..4].parse().unwrap_or(2026);
    let first_half = &today_text[5..7] <= "06";
    let half = |year: i32, first: bool| {
        if first {
            (
                format!("{year} H1"),
                format!("{year}-01-01"),
                format!("{year}-06-30"),
            )
        } else {
            (
                format!("{year} H2"),
                format!("{year}-07-01"),
                format!("{year}-12-31"),
            )
        }
    };
    let current = half(year, first_half);
    let next = if first_half {
        half(year, false)
    } else {
        half(year + 1, true)
    };
    let period = |n: u8| format!("6e0b0000-0000-4000-8000-0000000000{n:02}");
    for (n, (name, start, end)) in [(1, current), (2, next)] {
        sqlx::query("INSERT INTO periods (id, name, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(period(n))
            .bind(name)
            .bind(start)
            .bind(end)
            .bind(now)
            .execute(pool)
            .await?;
    }
    let p1 = period(1);
    const TRACK: &str = "6e0a0000-0000-4000-8000-000000000001";
    let comp = |i: usize| format!("6e0a0000-0000-4000-8000-0000000001{i:02}");
    let level = |i: usize| format!("6e0a0000-0000-4000-8000-0000000002{i:02}");
    // Level, then self and leader ratings per competency (0 = not rated).
    let people: [(&str, usize, [u8; 6], [u8; 6]); 9] = [
        ("pm1@example.com", 2, [3, 2, 3, 3, 3, 2], [3, 2, 2, 3, 3, 1]),
        ("pm2@example.com", 3, [4, 3, 4, 4, 4, 3], [3, 3, 4, 3, 4, 2]),
        ("pm3@example.com", 1, [2, 1, 3, 2, 2, 1], [0; 6]),
        ("pm4@example.com", 2, [3, 3, 3, 2, 3, 2], [3, 2, 3, 2, 3, 2]),
        ("pm5@example.com", 3, [4, 3, 4, 3, 4, 3], [4, 3, 4, 3, 3, 3]),
        ("pm6@example.com", 2, [0; 6], [3, 2, 3, 3, 2, 2]),
        ("pm7@example.com", 3, [0; 6], [0; 6]),
        ("pm8@example.com", 1, [2, 1, 2, 1, 2, 1], [0; 6]),
        ("lead1@example.com", 5, [0; 6], [0; 6]),
    ];
    for (email, lvl, selfs, leads) in people {
        let user = id_of(email);
        sqlx::query("INSERT INTO person_levels (user_id, track_id, level_id, version, updated_at) VALUES ($1, $2, $3, 1, $4)")
            .bind(&user)
            .bind(TRACK)
            .bind(level(lvl))
            .bind(now)
            .execute(pool)
            .await?;
        if selfs.iter().chain(leads.iter()).all(|r| *r == 0) {
            continue;
        }
        sqlx::query(
            "INSERT INTO assessments (period_id, user_id, version, updated_at) VALUES ($1, $2, 1, $3)",
        )
        .bind(&p1)
        .bind(&user)
        .bind(now)
        .execute(pool)
        .await?;
        for i in 0..6 {
            let r = |v: u8| (v > 0).then_some(v as i64);
            sqlx::query("INSERT INTO ratings (period_id, user_id, competency_id, self_rating, leader_rating) VALUES ($1, $2, $3, $4, $5)")
                .bind(&p1)
                .bind(&user)
                .bind(comp(i + 1))
                .bind(r(selfs[i]))
                .bind(r(leads[i]))
                .execute(pool)
                .await?;
        }
    }
    let admin = id_of("admin@example.com");
    // Title, kind, competencies (1-based), link, cost in yuan, language.
    let catalog: [(&str, &str, &[usize], &str, i64, &str); 12] = [
        (
            "Continuous Discovery Habits",
            "reading",
            &[1],
            "https://www.producttalk.org/",
            120,
            "en",
        ),
        ("用户访谈实战工作坊", "course", &[1, 5], "", 1800, "zh"),
        ("Good Strategy Bad Strategy", "reading", &[2], "", 90, "en"),
        ("产品战略与路线图课程", "course", &[2], "", 2600, "zh"),
        (
            "Mind the Product conference",
            "conference",
            &[2, 6],
            "https://www.mindtheproduct.com/",
            9800,
            "en",
        ),
        (
            "Shape Up",
            "reading",
            &[3],
            "https://basecamp.com/shapeup",
            0,
            "en",
        ),
        ("敏捷交付与需求拆分", "course", &[3], "", 1500, "zh"),
        ("SQL for product managers", "course", &[4], "", 800, "en"),
        ("数据驱动增长训练营", "course", &[4, 2], "", 3200, "zh"),
        ("Writing product narratives", "course", &[5], "", 600, "en"),
        (
            "内部分享：季度产品复盘",
            "internal_sharing",
            &[5, 6],
            "",
            0,
            "zh",
        ),
        (
            "带领跨团队项目（延展任务）",
            "stretch_assignment",
            &[6, 3],
            "",
            0,
            "zh",
        ),
    ];
    let mut catalog_ids = Vec::new();
    for (n, (title, kind, comps, link, cost, lang)) in catalog.iter().enumerate() {
        let id = format!("6e0c0000-0000-4000-8000-0000000000{:02}", n + 1);
        sqlx::query("INSERT INTO catalog (id, title, kind, link, cost, language, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(title)
            .bind(kind)
            .bind(link)
            .bind(cost * 100)
            .bind(lang)
            .bind(&admin)
            .bind(now)
            .execute(pool)
            .await?;
        for c in comps.iter() {
            sqlx::query(
                "INSERT INTO catalog_competencies (catalog_id, competency_id) VALUES ($1, $2)",
            )
            .bind(&id)
            .bind(comp(*c))
            .execute(pool)
            .await?;
        }
        catalog_ids.push(id);
    }
    // Plans: (person, [(title, kind, competency, due offset in days, status, cost, evidence)]).
    let plans: [(&str, &[(&str, &str, usize, i64, &str, i64, &str)]); 3] = [
        (
            "pm1@example.com",
            &[
                (
                    "用户访谈实战工作坊",
                    "course",
                    1,
                    -20,
                    "done",
                    1800,
                    "完成结业项目：10 场用户访谈",
                ),
                (
                    "SQL for product managers",
                    "course",
                    4,
                    30,
                    "in_progress",
                    800,
                    "",
                ),
                (
                    "内部分享：季度产品复盘",
                    "internal_sharing",
                    5,
                    -5,
                    "planned",
                    0,
                    "",
                ),
            ],
        ),
        (
            "pm4@example.com",
            &[
                (
                    "Good Strategy Bad Strategy",
                    "reading",
                    2,
                    40,
                    "planned",
                    90,
                    "",
                ),
                ("数据驱动增长训练营", "course", 4, 60, "planned", 3200, ""),
            ],
        ),
        (
            "pm5@example.com",
            &[(
                "Writing product narratives",
                "course",
                5,
                -30,
                "done",
                600,
                "https://example.com/narrative",
            )],
        ),
    ];
    for (n, (email, items)) in plans.iter().enumerate() {
        let user = id_of(email);
        let plan = format!("6e0d0000-0000-4000-8000-0000000000{:02}", n + 1);
        sqlx::query("INSERT INTO plans (id, period_id, user_id, version, created_at) VALUES ($1, $2, $3, 1, $4)")
            .bind(&plan)
            .bind(&p1)
            .bind(&user)
            .bind(now)
            .execute(pool)
            .await?;
        for (title, kind, c, due, status, cost, evidence) in items.iter() {
            let from_catalog = catalog
                .iter()
                .position(|c| c.0 == *title)
                .map(|i| catalog_ids[i].clone());
            sqlx::query("INSERT INTO plan_items (id, plan_id, kind, title, competency_id, due_date, status, evidence, cost, catalog_id, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13)")
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(&plan)
                .bind(kind)
                .bind(title)
                .bind(comp(*c))
                .bind(day_text(today + due))
                .bind(status)
                .bind(evidence)
                .bind(cost * 100)
                .bind(from_catalog)
                .bind(&user)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await?;
        }
    }
    for (scope, subject, yuan) in [
        ("team", TEAM_PRODUCT.to_string(), 30_000),
        ("team", TEAM_GROWTH.to_string(), 20_000),
        ("team", TEAM_PLATFORM.to_string(), 25_000),
        ("person", id_of("pm3@example.com"), 3_000),
    ] {
        sqlx::query("INSERT INTO budgets (period_id, scope, subject_id, amount, version) VALUES ($1, $2, $3, $4, 1)")
            .bind(&p1)
            .bind(scope)
            .bind(subject)
            .bind(yuan * 100)
            .execute(pool)
            .await?;
    }
    for (n, (mentor, mentee, goals)) in [
        (
            "pm7@example.com",
            "pm3@example.com",
            "数据分析能力：独立完成一次实验设计与复盘",
        ),
        (
            "pm2@example.com",
            "pm1@example.com",
            "Lead discovery for one product area; present findings to the team",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("6e0e0000-0000-4000-8000-0000000000{:02}", n + 1);
        sqlx::query("INSERT INTO mentorships (id, mentor_id, mentee_id, goals, active, created_by, created_at) VALUES ($1, $2, $3, $4, 1, $5, $6)")
            .bind(&id)
            .bind(id_of(mentor))
            .bind(id_of(mentee))
            .bind(goals)
            .bind(&admin)
            .bind(now)
            .execute(pool)
            .await?;
        sqlx::query("INSERT INTO mentor_meetings (id, mentorship_id, day, note, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&id)
            .bind(day_text(today - 14))
            .bind("First meeting: agreed goals and a monthly rhythm. 首次会面：确定目标与每月节奏。")
            .bind(id_of(mentor))
            .bind(now)
            .execute(pool)
            .await?;
    }
    Ok(())
}
