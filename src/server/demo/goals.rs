//! Demo goals and KPIs.
use super::{TEAM_GROWTH, TEAM_PLATFORM, TEAM_PRODUCT};
use sqlx::AnyPool;

/// Demo goals and KPIs around today's date: a company goal, a goal shared by
/// two teams, a PM's goal, and KPIs in every status with weekly check-ins.
pub(super) async fn seed_goals(
    pool: &AnyPool,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::kpi::model::{Goal, GoalLevel, KpiForm, Visibility, day_number, day_text};
    use crate::kpi::store as ks;
    let id_of = |email: &str| super::id_of(ids, email);
    let admin = id_of("admin@example.com");
    let today = day_number(
        &crate::server::clock::OrgClock::new(crate::calendar::DEFAULT_TIME_ZONE)
            .today()
            .0,
    )
    .unwrap_or(0);
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
        description: String::new(),
        start_date: None,
        due_date: None,
        archived: false,
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
                    sqlx::query_scalar("SELECT team_id FROM users WHERE id = $1")
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
