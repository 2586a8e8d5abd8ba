//! The demo organisation (`KEEL_DEMO=1`), seeded into an empty database:
//! 3 teams, 2 leaders, 8 PMs and 10 members, all with the password `keel-demo`.
use crate::auth::{Language, Role, store::password};
use crate::people::{Organisation, Person, store};
use sqlx::SqlitePool;

pub const DEMO_PASSWORD: &str = "keel-demo";

struct DemoPerson {
    email: &'static str,
    name: &'static str,
    role: Role,
    team: Option<&'static str>,
    language: Language,
}

const TEAM_PRODUCT: &str = "8c0f5a52-0d43-4c55-8f0e-2c1f2b7d0a01";
const TEAM_GROWTH: &str = "8c0f5a52-0d43-4c55-8f0e-2c1f2b7d0a02";
const TEAM_PLATFORM: &str = "8c0f5a52-0d43-4c55-8f0e-2c1f2b7d0a03";

fn people() -> Vec<DemoPerson> {
    use Language::{En, Zh};
    use Role::*;
    let p = |email, name, role, team, language| DemoPerson {
        email,
        name,
        role,
        team,
        language,
    };
    vec![
        p("admin@example.com", "管理员 Admin", Admin, None, En),
        p(
            "lead1@example.com",
            "陈静 Chen Jing",
            Leader,
            Some(TEAM_PRODUCT),
            Zh,
        ),
        p(
            "lead2@example.com",
            "Oliver Grant 欧立文",
            Leader,
            Some(TEAM_PLATFORM),
            En,
        ),
        p(
            "pm1@example.com",
            "王芳 Wang Fang",
            Pm,
            Some(TEAM_PRODUCT),
            Zh,
        ),
        p(
            "pm2@example.com",
            "Emma Clarke 柯爱玛",
            Pm,
            Some(TEAM_PRODUCT),
            En,
        ),
        p(
            "pm3@example.com",
            "李强 Li Qiang",
            Pm,
            Some(TEAM_GROWTH),
            Zh,
        ),
        p(
            "pm4@example.com",
            "张伟 Zhang Wei",
            Pm,
            Some(TEAM_GROWTH),
            Zh,
        ),
        p(
            "pm5@example.com",
            "Sofia Rossi 罗素菲",
            Pm,
            Some(TEAM_GROWTH),
            En,
        ),
        p(
            "pm6@example.com",
            "刘洋 Liu Yang",
            Pm,
            Some(TEAM_PLATFORM),
            Zh,
        ),
        p(
            "pm7@example.com",
            "James Wu 吴杰明",
            Pm,
            Some(TEAM_PLATFORM),
            En,
        ),
        p(
            "pm8@example.com",
            "赵敏 Zhao Min",
            Pm,
            Some(TEAM_PLATFORM),
            Zh,
        ),
        p(
            "member1@example.com",
            "孙磊 Sun Lei",
            Member,
            Some(TEAM_PRODUCT),
            Zh,
        ),
        p(
            "member2@example.com",
            "Priya Nair 普丽雅",
            Member,
            Some(TEAM_PRODUCT),
            En,
        ),
        p(
            "member3@example.com",
            "周婷 Zhou Ting",
            Member,
            Some(TEAM_GROWTH),
            Zh,
        ),
        p(
            "member4@example.com",
            "黄涛 Huang Tao",
            Member,
            Some(TEAM_GROWTH),
            Zh,
        ),
        p(
            "member5@example.com",
            "Lucas Martin 马卢卡",
            Member,
            Some(TEAM_GROWTH),
            En,
        ),
        p(
            "member6@example.com",
            "吴昊 Wu Hao",
            Member,
            Some(TEAM_PLATFORM),
            Zh,
        ),
        p(
            "member7@example.com",
            "徐丽 Xu Li",
            Member,
            Some(TEAM_PLATFORM),
            Zh,
        ),
        p(
            "member8@example.com",
            "Hannah Becker 贝汉娜",
            Member,
            Some(TEAM_PLATFORM),
            En,
        ),
        p(
            "member9@example.com",
            "马超 Ma Chao",
            Member,
            Some(TEAM_PLATFORM),
            Zh,
        ),
        p(
            "member10@example.com",
            "Daniel Kim 金丹尼",
            Member,
            Some(TEAM_PRODUCT),
            En,
        ),
    ]
}

/// Seeds the demo organisation when the database has none. Returns whether it did.
pub async fn seed_if_empty(pool: &SqlitePool) -> Result<bool, String> {
    let err = |e: crate::error::AppError| format!("demo seed failed: {e}");
    if crate::auth::store::organisation_exists(pool)
        .await
        .map_err(err)?
    {
        return Ok(false);
    }
    let now = super::now_rfc3339();
    let people = people();
    // Hashed on the blocking pool (argon2 is slow by design), one account at a time.
    let hashes = demo_hashes(people.len()).await.map_err(err)?;
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let org = Organisation {
        name: "Keel 示例公司 Demo Co.".into(),
        time_zone: crate::calendar::DEFAULT_TIME_ZONE.into(),
        currency: crate::calendar::DEFAULT_CURRENCY.into(),
        version: 1,
    };
    store::insert_organisation(&mut *tx, &org, &now)
        .await
        .map_err(err)?;
    let teams = [
        (TEAM_PRODUCT, "产品部 Product", None),
        (TEAM_GROWTH, "增长组 Growth", Some(TEAM_PRODUCT)),
        (TEAM_PLATFORM, "平台组 Platform", None),
    ];
    for (id, name, parent) in teams {
        sqlx::query(
            "INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at) VALUES (?, ?, ?, NULL, 1, ?, ?)",
        )
        .bind(id)
        .bind(name)
        .bind(parent)
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    let mut ids = Vec::new();
    for (p, hash) in people.iter().zip(hashes) {
        let person = Person {
            id: uuid::Uuid::new_v4().to_string(),
            email: p.email.into(),
            display_name: p.name.into(),
            role: p.role,
            team_id: p.team.map(Into::into),
            language: p.language,
            active: true,
            version: 1,
        };
        store::insert_person(&mut *tx, &person, &hash, &now)
            .await
            .map_err(err)?;
        ids.push((p.email, person.id));
    }
    let id_of = |email: &str| {
        ids.iter()
            .find(|(e, _)| *e == email)
            .map(|(_, id)| id.clone())
    };
    for (team, leader) in [
        (TEAM_PRODUCT, "lead1@example.com"),
        (TEAM_PLATFORM, "lead2@example.com"),
    ] {
        sqlx::query("UPDATE teams SET leader_id = ? WHERE id = ?")
            .bind(id_of(leader))
            .bind(team)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    seed_goals(pool, &ids, &now).await.map_err(err)?;
    seed_growth(pool, &ids, &now).await.map_err(err)?;
    seed_surveys(pool, &ids, &now).await.map_err(err)?;
    Ok(true)
}

/// Demo goals and KPIs around today's date: a company goal, a goal shared by
/// two teams, a PM's goal, and KPIs in every status with weekly check-ins.
async fn seed_goals(
    pool: &SqlitePool,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::kpi::model::{Goal, GoalLevel, KpiForm, Visibility, day_number, day_text};
    use crate::kpi::store as ks;
    let id_of = |email: &str| {
        ids.iter()
            .find(|(e, _)| *e == email)
            .map(|(_, id)| id.clone())
            .unwrap_or_default()
    };
    let admin = id_of("admin@example.com");
    let today = day_number(&super::today_in(crate::calendar::DEFAULT_TIME_ZONE).0).unwrap_or(0);
    let goal = |id: &str,
                title: &str,
                level,
                owner: Option<String>,
                teams: Vec<(&str, &str)>,
                parent: Option<&str>,
                vis| Goal {
        id: id.into(),
        title: title.into(),
        level,
        owner_id: owner,
        owner_name: None,
        teams: teams
            .into_iter()
            .map(|(a, b)| (a.into(), b.into()))
            .collect(),
        parent_id: parent.map(Into::into),
        visibility: vis,
        weight: 1.0,
        version: 1,
    };
    const G1: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000001";
    const G2: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000002";
    const G3: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000003";
    const G4: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000004";
    let goals = [
        goal(
            G1,
            "提升活跃用户 Grow active users",
            GoalLevel::Company,
            None,
            vec![],
            None,
            Visibility::Organisation,
        ),
        goal(
            G2,
            "新用户增长 New-user growth",
            GoalLevel::Team,
            None,
            vec![(TEAM_PRODUCT, ""), (TEAM_GROWTH, "")],
            Some(G1),
            Visibility::Organisation,
        ),
        goal(
            G3,
            "平台稳定可靠 A reliable platform",
            GoalLevel::Team,
            None,
            vec![(TEAM_PLATFORM, "")],
            Some(G1),
            Visibility::Organisation,
        ),
        goal(
            G4,
            "提升注册转化 Lift sign-up conversion",
            GoalLevel::Pm,
            Some(id_of("pm3@example.com")),
            vec![],
            Some(G2),
            Visibility::Team,
        ),
    ];
    for g in &goals {
        ks::insert_goal(pool, g, &admin, now).await?;
    }
    // (code, name, owner, unit, direction, baseline, target, visibility, goal,
    //  weekly values, days since the last check-in)
    type Seed<'a> = (
        &'a str,
        &'a str,
        String,
        &'a str,
        &'a str,
        f64,
        f64,
        &'a str,
        Option<&'a str>,
        Vec<f64>,
        i64,
    );
    let kpis: Vec<Seed> = vec![
        (
            "DAU",
            "日活跃用户 Daily active users",
            format!("pm:{}", id_of("pm3@example.com")),
            "k",
            "increase",
            100.0,
            200.0,
            "organisation",
            Some(G2),
            vec![100.0, 108.0, 113.0, 121.0, 127.0, 131.0, 139.0, 146.0],
            2,
        ),
        (
            "CONV",
            "注册转化率 Sign-up conversion",
            format!("pm:{}", id_of("pm3@example.com")),
            "%",
            "increase",
            2.0,
            4.0,
            "team",
            Some(G4),
            vec![2.0, 2.1, 2.1, 2.2, 2.3, 2.3, 2.4, 2.4],
            3,
        ),
        (
            "NPS",
            "净推荐值 Net promoter score",
            format!("pm:{}", id_of("pm1@example.com")),
            "",
            "increase",
            20.0,
            45.0,
            "organisation",
            Some(G2),
            vec![20.0, 21.0, 20.0, 22.0, 21.0, 22.0],
            10,
        ),
        (
            "CHURN",
            "月流失率 Monthly churn",
            format!("pm:{}", id_of("pm2@example.com")),
            "%",
            "decrease",
            8.0,
            5.0,
            "team",
            Some(G2),
            vec![8.0, 7.6, 7.3, 7.0, 6.7, 6.5, 6.1, 5.9],
            1,
        ),
        (
            "ACT-7",
            "七日激活 7-day activation",
            format!("pm:{}", id_of("pm4@example.com")),
            "%",
            "increase",
            30.0,
            40.0,
            "private",
            None,
            vec![30.0, 33.0, 35.0, 38.0, 40.0, 41.0],
            4,
        ),
        (
            "UPTIME",
            "可用性 Uptime",
            format!("pm:{}", id_of("pm7@example.com")),
            "%",
            "stay_above",
            99.5,
            99.9,
            "organisation",
            Some(G3),
            vec![99.95, 99.93, 99.97, 99.92, 99.96, 99.94, 99.95, 99.98],
            2,
        ),
        (
            "P95",
            "接口 P95 延迟 API p95 latency",
            format!("team:{TEAM_PLATFORM}"),
            "ms",
            "stay_below",
            800.0,
            500.0,
            "team",
            Some(G3),
            vec![780.0, 690.0, 610.0, 560.0, 530.0, 520.0, 515.0, 540.0],
            2,
        ),
    ];
    for (i, (code, name, owner, unit, direction, baseline, target, vis, goal, values, gap)) in
        kpis.into_iter().enumerate()
    {
        let form = KpiForm {
            code: code.into(),
            name: name.into(),
            owner: owner.clone(),
            unit: unit.into(),
            direction: direction.into(),
            baseline: baseline.to_string(),
            target: target.to_string(),
            start_date: day_text(today - 60),
            due_date: day_text(today + 120),
            cadence_days: "7".into(),
            visibility: vis.into(),
            goal_id: goal.unwrap_or_default().into(),
            weight: "1".into(),
        };
        let Ok(fields) = form.check() else { continue };
        let (person, team) = match &fields.owner {
            crate::kpi::model::Owner::Pm(p) => {
                let team: Option<String> =
                    sqlx::query_scalar("SELECT team_id FROM users WHERE id = ?")
                        .bind(p)
                        .fetch_one(pool)
                        .await?;
                (p.clone(), team.unwrap_or_default())
            }
            crate::kpi::model::Owner::Team(t) => (id_of("lead2@example.com"), t.clone()),
        };
        let kpi_id = uuid::Uuid::from_u128(0x7b1d_0000_0000_4000_8000_0000_0000_0000 + i as u128)
            .to_string();
        ks::insert_kpi(pool, &kpi_id, &fields, &team, &person, now).await?;
        let n = values.len() as i64;
        let days: Vec<String> = (0..n)
            .map(|k| day_text(today - gap - 7 * (n - 1 - k)))
            .collect();
        let check_ids: Vec<String> = (0..n).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        let items: Vec<ks::NewCheckIn<'_>> = values
            .iter()
            .enumerate()
            .map(|(k, v)| ks::NewCheckIn {
                id: &check_ids[k],
                kpi_id: &kpi_id,
                day: &days[k],
                value: *v,
                confidence: 60 + (k as i64 * 3) % 30,
                note: "",
                corrects: None,
                author: &person,
            })
            .collect();
        ks::insert_checkins(pool, &kpi_id, &items, now).await?;
    }
    Ok(())
}

async fn demo_hashes(n: usize) -> crate::error::AppResult<Vec<String>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| password::hash(DEMO_PASSWORD.to_string()))
        .collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await?);
    }
    Ok(out)
}

/// The demo's growth data: the current and next half-year, levels for the
/// PMs and leaders, ratings, a catalog, three plans (one item overdue),
/// budgets and two mentoring pairs.
async fn seed_growth(
    pool: &SqlitePool,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::kpi::model::{day_number, day_text};
    let id_of = |email: &str| {
        ids.iter()
            .find(|(e, _)| *e == email)
            .map(|(_, id)| id.clone())
            .unwrap_or_default()
    };
    let today_text = super::today_in(crate::calendar::DEFAULT_TIME_ZONE).0;
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
        sqlx::query("INSERT INTO periods (id, name, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?)")
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
        sqlx::query("INSERT INTO person_levels (user_id, track_id, level_id, version, updated_at) VALUES (?, ?, ?, 1, ?)")
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
            "INSERT INTO assessments (period_id, user_id, version, updated_at) VALUES (?, ?, 1, ?)",
        )
        .bind(&p1)
        .bind(&user)
        .bind(now)
        .execute(pool)
        .await?;
        for i in 0..6 {
            let r = |v: u8| (v > 0).then_some(v as i64);
            sqlx::query("INSERT INTO ratings (period_id, user_id, competency_id, self_rating, leader_rating) VALUES (?, ?, ?, ?, ?)")
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
        sqlx::query("INSERT INTO catalog (id, title, kind, link, cost, language, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
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
                "INSERT INTO catalog_competencies (catalog_id, competency_id) VALUES (?, ?)",
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
        sqlx::query("INSERT INTO plans (id, period_id, user_id, version, created_at) VALUES (?, ?, ?, 1, ?)")
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
            sqlx::query("INSERT INTO plan_items (id, plan_id, kind, title, competency_id, due_date, status, evidence, cost, catalog_id, version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")
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
        sqlx::query("INSERT INTO budgets (period_id, scope, subject_id, amount, version) VALUES (?, ?, ?, ?, 1)")
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
        sqlx::query("INSERT INTO mentorships (id, mentor_id, mentee_id, goals, active, created_by, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)")
            .bind(&id)
            .bind(id_of(mentor))
            .bind(id_of(mentee))
            .bind(goals)
            .bind(&admin)
            .bind(now)
            .execute(pool)
            .await?;
        sqlx::query("INSERT INTO mentor_meetings (id, mentorship_id, day, note, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")
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

/// Demo surveys: two closed quarterly rounds over the whole organisation
/// (with answers, so results, the heatmap and the trend have something to
/// show) and an open wellbeing pulse waiting for everyone's answer.
async fn seed_surveys(
    pool: &SqlitePool,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::surveys::model::{AnswerInput, QuestionKind, Theme, template};
    use crate::surveys::store as ss;
    let admin = ids
        .iter()
        .find(|(e, _)| *e == "admin@example.com")
        .map(|(_, id)| id.clone())
        .unwrap_or_default();
    let teams = store::teams(pool).await?;
    let people = store::people(pool).await?;
    let targets = vec![TEAM_PRODUCT.to_string(), TEAM_PLATFORM.to_string()];
    let invitees = ss::invitees(&targets, &teams, &people);
    let at = |days: i64| ss::stamp(chrono::Utc::now() + chrono::Duration::days(days));
    // A small deterministic generator: the demo looks the same on every install.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move |n: i64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % n as u64) as i64
    };
    let rounds = [
        (
            "Q2 engagement & wellbeing · 二季度敬业度与身心健康",
            -200,
            -186,
            vec![
                Theme::Engagement,
                Theme::Safety,
                Theme::Balance,
                Theme::Wellbeing,
            ],
            0,
        ),
        (
            "Q3 engagement & wellbeing · 三季度敬业度与身心健康",
            -110,
            -96,
            vec![
                Theme::Engagement,
                Theme::Safety,
                Theme::Balance,
                Theme::Wellbeing,
            ],
            1,
        ),
        (
            "Wellbeing pulse · 身心健康脉冲调研",
            -1,
            12,
            vec![Theme::Wellbeing, Theme::Balance],
            2,
        ),
    ];
    for (title, opens, closes, themes, lift) in rounds {
        let id = uuid::Uuid::new_v4().to_string();
        let row = ss::RoundRow {
            id: id.clone(),
            title: title.into(),
            owner_id: admin.clone(),
            opens_at: at(opens),
            closes_at: at(closes),
            pulse: "none".into(),
            series_id: id.clone(),
            min_group: 5,
            comment_min: 5,
            visibility: "team".into(),
            support_note: String::new(),
            version: 1,
        };
        let questions: Vec<_> = themes.into_iter().flat_map(template).collect();
        ss::insert_round(pool, &row, &targets, &questions, &invitees, now).await?;
        if closes > 0 {
            continue;
        }
        let stored = ss::questions(pool, &id).await?;
        for (person, team) in &invitees {
            if next(10) == 0 {
                continue;
            }
            let answers: Vec<AnswerInput> = stored
                .iter()
                .filter_map(|q| {
                    let values = match q.kind {
                        QuestionKind::Likert => vec![(2 + lift + next(4)).min(5)],
                        QuestionKind::Enps => vec![(5 + lift + next(6)).min(10)],
                        QuestionKind::Single => vec![next(q.options.len() as i64)],
                        QuestionKind::Multiple => vec![next(q.options.len() as i64)],
                        QuestionKind::Text => {
                            let t = [
                                "More focus time, fewer meetings",
                                "希望目标更清晰",
                                "Great people to work with",
                                "工具需要升级",
                            ];
                            return (next(3) == 0).then(|| AnswerInput {
                                question_id: q.id.clone(),
                                values: vec![],
                                text: t[next(4) as usize].into(),
                            });
                        }
                    };
                    Some(AnswerInput {
                        question_id: q.id.clone(),
                        values,
                        text: String::new(),
                    })
                })
                .collect();
            // The same storage a real answer gets (counters overwritten in
            // place, free text pending until the close), though the round
            // has closed already.
            let sub = uuid::Uuid::new_v4().to_string();
            ss::submit(pool, &id, person, &sub, team, &answers, false).await?;
        }
        // Closed already: the free text goes to its final place now.
        ss::finalise(pool, &id).await?;
    }
    Ok(())
}
