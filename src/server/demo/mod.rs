//! The demo organisation (`KEEL_DEMO=1`), seeded into an empty database:
//! 3 teams, 2 leaders, 8 PMs and 10 members, all with the password `keel-demo`.
use crate::auth::{Language, Role, store::password};
use crate::people::{Organisation, Person, store};
use sqlx::AnyPool;

mod backlog;
mod goals;
mod growth;
mod surveys;

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
pub async fn seed_if_empty(
    pool: &AnyPool,
    survey_key: Option<&crate::surveys::seal::SealKey>,
) -> Result<bool, String> {
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
    let mut tx = crate::server::db::begin(pool)
        .await
        .map_err(|e| e.to_string())?;
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
            "INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at) VALUES ($1, $2, $3, NULL, 1, $4, $5)",
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
    let id_of = |email: &str| Some(id_of(&ids, email));
    for (team, leader) in [
        (TEAM_PRODUCT, "lead1@example.com"),
        (TEAM_PLATFORM, "lead2@example.com"),
    ] {
        sqlx::query("UPDATE teams SET leader_id = $1 WHERE id = $2")
            .bind(id_of(leader))
            .bind(team)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    goals::seed_goals(pool, &ids, &now).await.map_err(err)?;
    growth::seed_growth(pool, &ids, &now).await.map_err(err)?;
    surveys::seed_surveys(pool, survey_key, &ids, &now)
        .await
        .map_err(err)?;
    backlog::seed_backlogs(pool, &ids).await.map_err(err)?;
    Ok(true)
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

/// A demo person's id by email (empty when no such person was seeded).
fn id_of(ids: &[(&str, String)], email: &str) -> String {
    ids.iter()
        .find(|(e, _)| *e == email)
        .map(|(_, id)| id.clone())
        .unwrap_or_default()
}
