//! Demo backlogs: RICE for Product, WSJF for Platform, with requirements in
//! every state, votes, evidence, labels, one requirement placed by hand and a
//! finished priority-poker round. Written through the backlog's store
//! functions, in one transaction, so it reads exactly like data people made.
use super::{TEAM_PLATFORM, TEAM_PRODUCT};
use crate::backlog::model::{Backlog, EvidenceKind, Framework, ScoreInput, Source, Status};
use crate::backlog::{rank, store};
use crate::error::AppResult;
use sqlx::{AnyConnection, AnyPool};

pub const PRODUCT_BACKLOG: &str = "b1d0c0de-0000-4000-8000-000000000001";
pub const PLATFORM_BACKLOG: &str = "b1d0c0de-0000-4000-8000-000000000002";
const POKER_ROUND: &str = "b1d0c0de-0000-4000-8000-0000000000a1";

/// One demo requirement.
struct Item {
    title: &'static str,
    description: &'static str,
    source: Source,
    customer: &'static str,
    segment: &'static str,
    submitter: &'static str,
    labels: &'static [&'static str],
    score: Option<ScoreInput>,
    status: Status,
    /// Days since it was submitted.
    age: i64,
    voters: &'static [&'static str],
}

/// One piece of evidence on the item with that title.
struct Proof {
    title: &'static str,
    kind: EvidenceKind,
    body: &'static str,
    source: &'static str,
    author: &'static str,
}

struct Spec {
    backlog: Backlog,
    items: Vec<Item>,
    proofs: Vec<Proof>,
    /// The title of the requirement a PM placed by hand at the top.
    pinned: Option<&'static str>,
    /// Who changes states and scores (a PM of the team).
    pm: &'static str,
}

const fn rice(reach: f64, impact: f64, confidence: f64, effort: f64) -> Option<ScoreInput> {
    Some(ScoreInput::Rice {
        reach,
        impact,
        confidence,
        effort,
    })
}

const fn wsjf(
    business_value: f64,
    time_criticality: f64,
    risk_reduction: f64,
    job_size: f64,
) -> Option<ScoreInput> {
    Some(ScoreInput::Wsjf {
        business_value,
        time_criticality,
        risk_reduction,
        job_size,
    })
}

#[allow(clippy::too_many_arguments)]
const fn item(
    title: &'static str,
    description: &'static str,
    source: Source,
    customer: &'static str,
    segment: &'static str,
    submitter: &'static str,
    labels: &'static [&'static str],
    score: Option<ScoreInput>,
    status: Status,
    age: i64,
    voters: &'static [&'static str],
) -> Item {
    Item {
        title,
        description,
        source,
        customer,
        segment,
        submitter,
        labels,
        score,
        status,
        age,
        voters,
    }
}

fn product(owner: String) -> Spec {
    use Source::*;
    use Status::*;
    let items = vec![
        item(
            "仪表盘加载慢 Dashboard loads slowly",
            "大客户的仪表盘首屏超过 4 秒。The first view takes over 4 s for large accounts.",
            Support,
            "",
            "全部 All",
            "member1@example.com",
            &["性能 performance"],
            rice(8000.0, 1.0, 100.0, 2.0),
            InProgress,
            14,
            &[
                "member1@example.com",
                "member2@example.com",
                "member10@example.com",
                "pm2@example.com",
            ],
        ),
        item(
            "企业微信扫码登录 WeCom QR sign-in",
            "员工用企业微信扫码即可登录。Staff sign in by scanning with WeCom.",
            Customer,
            "华润集团 China Resources",
            "企业 Enterprise",
            "member1@example.com",
            &["登录 auth", "enterprise"],
            rice(4000.0, 2.0, 80.0, 2.0),
            Planned,
            40,
            &[
                "member1@example.com",
                "member2@example.com",
                "member10@example.com",
            ],
        ),
        item(
            "导出报表到 Excel Export reports to Excel",
            "",
            Sales,
            "Acme Corp",
            "中型 Mid-market",
            "member2@example.com",
            &["报表 reporting"],
            rice(2500.0, 1.0, 100.0, 1.0),
            InProgress,
            52,
            &["member2@example.com", "member1@example.com"],
        ),
        item(
            "深色模式 Dark mode",
            "",
            UserResearch,
            "",
            "全部 All",
            "member10@example.com",
            &["ux"],
            rice(6000.0, 0.5, 80.0, 1.0),
            UnderReview,
            20,
            &[
                "member10@example.com",
                "member3@example.com",
                "member5@example.com",
                "pm5@example.com",
                "member2@example.com",
            ],
        ),
        item(
            "搜索支持拼音 Pinyin search",
            "输入 “dlsb” 能找到 “登录失败”。Typing “dlsb” finds “登录失败”.",
            Support,
            "",
            "中国 China",
            "member1@example.com",
            &["搜索 search"],
            rice(3000.0, 1.0, 80.0, 1.5),
            InProgress,
            45,
            &["member1@example.com"],
        ),
        item(
            "多语言邮件模板 Localised email templates",
            "",
            Customer,
            "Lazada",
            "东南亚 SEA",
            "member10@example.com",
            &["通知 notifications"],
            rice(1800.0, 1.0, 80.0, 1.0),
            Done,
            58,
            &[],
        ),
        item(
            "API 访问令牌 API access tokens",
            "",
            Leadership,
            "",
            "开发者 Developers",
            "lead1@example.com",
            &["api"],
            rice(700.0, 2.0, 100.0, 1.0),
            Planned,
            30,
            &["pm2@example.com"],
        ),
        item(
            "每周摘要邮件 Weekly digest email",
            "",
            InternalIdea,
            "",
            "小微 SMB",
            "pm1@example.com",
            &["通知 notifications"],
            rice(5000.0, 1.0, 50.0, 2.0),
            Done,
            60,
            &["member2@example.com"],
        ),
        item(
            "Slack 集成 Slack integration",
            "",
            Customer,
            "Acme Corp",
            "中型 Mid-market",
            "member2@example.com",
            &["集成 integrations"],
            rice(2000.0, 1.0, 80.0, 2.0),
            UnderReview,
            18,
            &["member2@example.com", "member10@example.com"],
        ),
        item(
            "SAML 单点登录 SAML single sign-on",
            "",
            Sales,
            "宁波银行 Bank of Ningbo",
            "企业 Enterprise",
            "lead1@example.com",
            &["登录 auth", "enterprise"],
            rice(800.0, 3.0, 80.0, 4.0),
            Planned,
            35,
            &["lead1@example.com"],
        ),
        item(
            "移动端离线查看 Offline viewing on mobile",
            "",
            Customer,
            "西门子中国 Siemens China",
            "企业 Enterprise",
            "pm2@example.com",
            &["移动 mobile"],
            rice(1200.0, 2.0, 50.0, 3.0),
            New,
            6,
            &["member1@example.com"],
        ),
        item(
            "批量编辑需求 Bulk edit",
            "",
            UserResearch,
            "",
            "",
            "member2@example.com",
            &["ux"],
            rice(900.0, 1.0, 80.0, 2.0),
            New,
            3,
            &[],
        ),
        item(
            "自定义字段 Custom fields",
            "",
            Customer,
            "美的 Midea",
            "企业 Enterprise",
            "member10@example.com",
            &["enterprise"],
            rice(1500.0, 2.0, 50.0, 5.0),
            UnderReview,
            25,
            &["member10@example.com"],
        ),
        item(
            "数据导入向导 Import wizard",
            "",
            MarketResearch,
            "",
            "小微 SMB",
            "pm2@example.com",
            &[],
            None,
            New,
            1,
            &[],
        ),
        item(
            "审批流 Approval workflows",
            "",
            Sales,
            "海尔 Haier",
            "企业 Enterprise",
            "pm1@example.com",
            &["enterprise"],
            None,
            New,
            2,
            &["member1@example.com"],
        ),
        item(
            "区块链积分 Blockchain loyalty points",
            "",
            InternalIdea,
            "",
            "",
            "member2@example.com",
            &[],
            rice(200.0, 0.25, 50.0, 6.0),
            Rejected,
            70,
            &[],
        ),
    ];
    let proofs = vec![
        Proof {
            title: "企业微信扫码登录 WeCom QR sign-in",
            kind: EvidenceKind::CustomerQuote,
            body: "“没有企业微信登录，我们没法全员推广。” “Without WeCom sign-in we cannot roll it out to everyone.”",
            source: "华润 IT 负责人 CR's head of IT",
            author: "pm1@example.com",
        },
        Proof {
            title: "仪表盘加载慢 Dashboard loads slowly",
            kind: EvidenceKind::Metric,
            body: "P95 首屏 4.8 秒，目标 2 秒。P95 first view 4.8 s, target 2 s.",
            source: "Grafana",
            author: "pm2@example.com",
        },
        Proof {
            title: "深色模式 Dark mode",
            kind: EvidenceKind::ResearchFinding,
            body: "12 位受访者中 9 位晚上使用。9 of 12 interviewees use it in the evening.",
            source: "2026 用户访谈 User interviews",
            author: "pm1@example.com",
        },
    ];
    Spec {
        backlog: Backlog {
            id: PRODUCT_BACKLOG.into(),
            team_id: TEAM_PRODUCT.into(),
            owner_id: owner,
            name: "产品需求池 Product backlog".into(),
            framework: Framework::Rice,
            version: 1,
            requirements: 0,
        },
        items,
        proofs,
        pinned: Some("SAML 单点登录 SAML single sign-on"),
        pm: "pm1@example.com",
    }
}

fn platform(owner: String) -> Spec {
    use Source::*;
    use Status::*;
    let items = vec![
        item(
            "数据库自动备份 Automated database backups",
            "",
            InternalIdea,
            "",
            "",
            "member9@example.com",
            &["可靠性 reliability"],
            wsjf(8.0, 13.0, 20.0, 3.0),
            InProgress,
            12,
            &[
                "member9@example.com",
                "member6@example.com",
                "pm7@example.com",
            ],
        ),
        item(
            "Webhook 失败重试 Webhook retries",
            "",
            Support,
            "",
            "开发者 Developers",
            "member7@example.com",
            &["api"],
            wsjf(5.0, 8.0, 8.0, 2.0),
            Done,
            40,
            &["member7@example.com"],
        ),
        item(
            "API 限流 API rate limiting",
            "突发流量曾三次拖垮服务。Traffic bursts took the service down three times.",
            Support,
            "",
            "全部 All",
            "member6@example.com",
            &["api", "可靠性 reliability"],
            wsjf(13.0, 8.0, 13.0, 5.0),
            InProgress,
            21,
            &["member6@example.com", "member8@example.com"],
        ),
        item(
            "计费模块测试覆盖 Test coverage for billing",
            "",
            InternalIdea,
            "",
            "",
            "pm8@example.com",
            &["质量 quality"],
            wsjf(3.0, 2.0, 13.0, 5.0),
            Planned,
            28,
            &[],
        ),
        item(
            "升级到 PostgreSQL 16 Upgrade to PostgreSQL 16",
            "",
            InternalIdea,
            "",
            "",
            "pm7@example.com",
            &["数据库 database"],
            wsjf(8.0, 5.0, 13.0, 8.0),
            Planned,
            30,
            &["member9@example.com"],
        ),
        item(
            "审计日志 Audit log",
            "",
            Customer,
            "国家电网 State Grid",
            "企业 Enterprise",
            "member8@example.com",
            &["安全 security", "enterprise"],
            wsjf(20.0, 13.0, 8.0, 13.0),
            UnderReview,
            16,
            &[
                "member8@example.com",
                "member6@example.com",
                "lead2@example.com",
            ],
        ),
        item(
            "缓存层 Caching layer",
            "",
            UserResearch,
            "",
            "",
            "member6@example.com",
            &["性能 performance"],
            wsjf(8.0, 5.0, 5.0, 8.0),
            UnderReview,
            7,
            &[],
        ),
        item(
            "多区域部署 Multi-region deployment",
            "",
            Leadership,
            "",
            "海外 International",
            "lead2@example.com",
            &["可靠性 reliability"],
            wsjf(13.0, 5.0, 8.0, 20.0),
            New,
            9,
            &["lead2@example.com"],
        ),
        item(
            "GraphQL 接口 GraphQL API",
            "",
            Customer,
            "Shopee",
            "开发者 Developers",
            "member8@example.com",
            &["api"],
            None,
            New,
            4,
            &["member8@example.com"],
        ),
        item(
            "下线 SDK v1 Retire SDK v1",
            "",
            InternalIdea,
            "",
            "",
            "pm6@example.com",
            &[],
            wsjf(2.0, 3.0, 5.0, 3.0),
            Rejected,
            50,
            &[],
        ),
    ];
    let proofs = vec![
        Proof {
            title: "API 限流 API rate limiting",
            kind: EvidenceKind::Metric,
            body: "上月 3 次宕机，共 94 分钟。3 outages last month, 94 minutes in all.",
            source: "事故记录 Incident log",
            author: "pm7@example.com",
        },
        Proof {
            title: "审计日志 Audit log",
            kind: EvidenceKind::CustomerQuote,
            body: "“等保三级要求保留操作日志。” “Level-3 compliance requires an audit trail.”",
            source: "国家电网采购 State Grid procurement",
            author: "pm6@example.com",
        },
    ];
    Spec {
        backlog: Backlog {
            id: PLATFORM_BACKLOG.into(),
            team_id: TEAM_PLATFORM.into(),
            owner_id: owner,
            name: "平台需求池 Platform backlog".into(),
            framework: Framework::Wsjf,
            version: 1,
            requirements: 0,
        },
        items,
        proofs,
        pinned: None,
        pm: "pm6@example.com",
    }
}

/// An instant `days` (and `hours`) before now, as stored.
fn ago(days: i64, hours: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    (time::OffsetDateTime::now_utc() - time::Duration::days(days) - time::Duration::hours(hours))
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub(super) async fn seed_backlogs(pool: &AnyPool, ids: &[(&str, String)]) -> AppResult<()> {
    let id_of = |email: &str| super::id_of(ids, email);
    let mut tx = crate::server::db::begin(pool).await?;
    let product_ids = seed_one(&mut tx, ids, product(id_of("pm1@example.com"))).await?;
    seed_one(&mut tx, ids, platform(id_of("pm6@example.com"))).await?;
    // A finished priority-poker round: three PMs and their leader estimated
    // three requirements; the owner accepted a value for each and closed it.
    let picked = [
        "深色模式 Dark mode",
        "自定义字段 Custom fields",
        "Slack 集成 Slack integration",
    ];
    let items: Vec<(String, ScoreInput)> = picked
        .iter()
        .filter_map(|t| product_ids.iter().find(|(title, ..)| title == t))
        .filter_map(|(_, id, input)| Some((id.clone(), input.clone()?)))
        .collect();
    let invitees: Vec<String> = ["pm1@example.com", "pm2@example.com", "lead1@example.com"]
        .iter()
        .map(|e| id_of(e))
        .collect();
    let item_ids: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    store::poker::insert_round(
        &mut tx,
        POKER_ROUND,
        PRODUCT_BACKLOG,
        &id_of("pm1@example.com"),
        "一季度估分会 Q1 scoring session",
        &item_ids,
        &invitees,
        &ago(12, 0),
    )
    .await?;
    for (n, user) in invitees.iter().enumerate() {
        // Each person's reach differs a little from the accepted value.
        let estimates: Vec<(String, ScoreInput)> = items
            .iter()
            .map(|(id, input)| {
                let mut input = input.clone();
                if let ScoreInput::Rice { reach, .. } = &mut input {
                    *reach = (*reach * (0.8 + 0.2 * n as f64)).round();
                }
                (id.clone(), input)
            })
            .collect();
        store::poker::save_estimates(
            &mut tx,
            POKER_ROUND,
            user,
            &estimates,
            true,
            &ago(11, n as i64),
        )
        .await?;
    }
    for (id, input) in &items {
        store::poker::accept(&mut tx, POKER_ROUND, id, input, &ago(10, 0)).await?;
    }
    store::poker::close(&mut tx, POKER_ROUND, &ago(10, 0)).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores one backlog; returns each requirement's title, id and score input.
async fn seed_one(
    conn: &mut AnyConnection,
    ids: &[(&str, String)],
    spec: Spec,
) -> AppResult<Vec<(&'static str, String, Option<ScoreInput>)>> {
    let id_of = |email: &str| super::id_of(ids, email);
    let pm = id_of(spec.pm);
    let backlog = &spec.backlog;
    store::insert_backlog(conn, backlog, &ago(90, 0)).await?;
    let keys = rank::spread_keys(spec.items.len());
    let mut stored = Vec::new();
    for (it, key) in spec.items.iter().zip(&keys) {
        let id = uuid::Uuid::new_v4().to_string();
        let created = ago(it.age, 0);
        let new = store::NewRequirement {
            id: &id,
            backlog_id: &backlog.id,
            title: it.title,
            description: it.description,
            source: it.source,
            requester: "",
            customer: it.customer,
            segment: it.segment,
            links: &[],
            submitted_by: &id_of(it.submitter),
            rank_key: key,
        };
        store::insert_requirement(conn, &new, &created).await?;
        let labels: Vec<String> = it.labels.iter().map(|l| l.to_string()).collect();
        store::set_labels(conn, &id, &labels).await?;
        let mut version = 1;
        // Scored a day after it arrived, then moved along its lifecycle a
        // step every few days (never later than a few hours ago).
        let step_at = |step: i64| ago((it.age - 1 - 2 * step).max(0), 0);
        if let Some(input) = &it.score {
            let at = step_at(0);
            store::set_score(conn, &id, version, input, input.score()?, None, &at).await?;
            let to = serde_json::to_string(input).ok();
            store::record_event(&mut *conn, &id, &pm, "score", None, to.as_deref(), &at).await?;
            version += 1;
        }
        let main = [
            Status::UnderReview,
            Status::Planned,
            Status::InProgress,
            Status::Done,
        ];
        let path: Vec<Status> = match it.status {
            Status::Rejected => vec![Status::UnderReview, Status::Rejected],
            target => match main.iter().position(|s| *s == target) {
                Some(end) => main[..=end].to_vec(),
                None => Vec::new(),
            },
        };
        let mut from = Status::New;
        for (n, to) in path.iter().enumerate() {
            let at = step_at(n as i64 + 1);
            let reason = (*to == Status::Rejected)
                .then_some("与产品方向不符 Not where the product is going");
            store::set_status(conn, &id, version, *to, reason, None, &at).await?;
            store::record_event(
                &mut *conn,
                &id,
                &pm,
                "status",
                Some(from.as_str()),
                Some(to.as_str()),
                &at,
            )
            .await?;
            version += 1;
            from = *to;
        }
        for (n, voter) in it.voters.iter().enumerate() {
            store::set_vote(
                conn,
                &id,
                &id_of(voter),
                true,
                &ago(it.age, -(n as i64) - 1),
            )
            .await?;
        }
        stored.push((it.title, id, it.score.clone()));
    }
    for (n, proof) in spec.proofs.iter().enumerate() {
        let Some((_, req, _)) = stored.iter().find(|s| s.0 == proof.title) else {
            continue;
        };
        let id = uuid::Uuid::new_v4().to_string();
        let at = ago(5 - n as i64, 0);
        store::insert_evidence(
            conn,
            &id,
            req,
            proof.kind,
            proof.body,
            proof.source,
            &id_of(proof.author),
            &at,
        )
        .await?;
    }
    // Laid out in score order, as "reset to score order" would.
    let mut order: Vec<(&str, f64)> = stored
        .iter()
        .map(|(_, id, input)| {
            let score = input.as_ref().and_then(|i| i.score().ok());
            (id.as_str(), score.unwrap_or(f64::NEG_INFINITY))
        })
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let ranked: Vec<&str> = order.iter().map(|o| o.0).collect();
    let keys = rank::spread_keys(ranked.len());
    store::reset_keys(conn, &ranked, &keys, &ago(0, 2)).await?;
    // One requirement a PM placed at the top by hand.
    if let Some((_, id, _)) = spec.pinned.and_then(|t| stored.iter().find(|s| s.0 == t)) {
        let old = &keys[ranked.iter().position(|r| r == id).unwrap_or(0)];
        let key = rank::key_between(None, keys.first().map(String::as_str));
        let at = ago(0, 1);
        store::set_rank(conn, id, &key, true, &at).await?;
        store::record_event(&mut *conn, id, &pm, "move", Some(old), Some(&key), &at).await?;
    }
    Ok(stored)
}
