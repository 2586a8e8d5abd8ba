//! The authorisation matrix's table (see `authz`): one row per (server
//! function, kind of record), the answer each caller must get, and the
//! arguments the row sends.
use crate::authz::*;
use crate::authz_fixtures::*;
use crate::helpers::{PW, SETUP_TOKEN, answer_form_fields, local, new_id, today};
use keel::kpi::model::day_text;
use serde_json::json;

pub(crate) fn table() -> Vec<Row> {
    vec![
        // ------------------------------------------------ people (admin only)
        //                                       admin lead1 lead2 pm1 pm6 member1 member6 anon
        row(
            "people_overview",
            "the people directory",
            ADMIN,
            |_, _| form! {},
        ),
        row("create_invitation", "for pm2", ADMIN, |f, _| {
            form! { "id" => f.id("pm2") }
        }),
        row(
            "import_people",
            "a file of one new person",
            ADMIN,
            |_, _| {
                let csv = format!(
                    "name,email,role\nAuthz {s},authz-import-{s}@example.com,member\n",
                    s = short()
                );
                Req::Json(
                    json!({"batch_id": new_id(), "file": csv.as_bytes(), "commit": true, "only_valid": false}),
                )
            },
        ),
        row(
            "invitation_details",
            "a made-up link",
            [NO_INVITATION; 8],
            |_, _| {
                form! { "token" => "0".repeat(64) }
            },
        ),
        row(
            "accept_invitation",
            "a made-up link",
            [NO_INVITATION; 8],
            |_, _| {
                form! { "token" => "0".repeat(64), "password" => "long-enough-1" }
            },
        ),
        row("list_people", "a page of people", ADMIN, |_, _| {
            form! { "search" => "", "team_id" => "", "role" => "", "active" => "", "offset" => 0 }
        }),
        row(
            "update_organisation",
            "organisation settings",
            ADMIN,
            |f, _| {
                form! {
                    "name" => "Keel 示例公司 Demo Co.", "time_zone" => "Asia/Shanghai",
                    "currency" => "CNY", "version" => f.v("org"),
                }
            },
        ),
        row("create_team", "a new team", ADMIN, |_, _| {
            form! {
                "id" => new_id(), "name" => format!("Authz team {}", short()),
                "parent_id" => "", "leader_id" => "",
            }
        }),
        row("update_team", "Product, unchanged", ADMIN, |f, _| {
            form! {
                "id" => f.id("product"), "version" => f.v("team:product"), "name" => "产品部 Product",
                "parent_id" => "", "leader_id" => f.id("lead1"),
            }
        }),
        row("create_person", "a new member", ADMIN, |_, _| {
            let s = short();
            form! {
                "id" => new_id(), "email" => format!("authz-{s}@example.com"),
                "display_name" => format!("Authz {s}"), "role" => "member", "team_id" => "",
                "password" => "long-enough", "language" => "en",
            }
        }),
        row("update_person", "pm2, unchanged", ADMIN, |f, _| {
            form! {
                "id" => f.id("pm2"), "version" => f.v("person:pm2"), "email" => "pm2@example.com",
                "display_name" => "Emma Clarke 柯爱玛", "role" => "pm", "team_id" => f.id("product"),
            }
        }),
        row("set_person_active", "pm2 stays active", ADMIN, |f, _| {
            form! { "id" => f.id("pm2"), "version" => f.v("person:pm2"), "active" => "true" }
        }),
        // Handing over pm2's work (Product): admins and Product's leader.
        row("person_holdings", "pm2's work", ABOVE, |f, _| {
            form! { "id" => f.id("pm2") }
        }),
        row(
            "hand_over",
            "an item pm2 does not hold",
            HAND_OVER_ONE,
            |f, _| {
                form! {
                    "person_id" => f.id("pm2"), "kind" => "kpi", "item_id" => new_id(),
                    "to_id" => f.id("pm1"),
                }
            },
        ),
        row(
            "hand_over_all",
            "to pm2 themselves",
            HAND_OVER_ALL,
            |f, _| {
                form! { "person_id" => f.id("pm2"), "to_id" => f.id("pm2") }
            },
        ),
        row(
            "reset_password",
            "member10, to the same password",
            ADMIN,
            |f, _| {
                form! { "id" => f.id("member10"), "password" => PW }
            },
        ),
        row(
            "dashboard_summary",
            "one's own place",
            SIGNED_IN,
            |_, _| form! {},
        ),
        // ------------------------------------------------ backlog: a Product backlog owned by pm1
        row("backlogs", "every backlog", SIGNED_IN, |_, _| form! {}),
        row("create_backlog", "for Product", TEAM_WORK, |f, _| {
            form! {
                "id" => new_id(), "team_id" => f.id("product"), "owner_id" => f.id("pm1"),
                "name" => format!("Authz backlog {}", short()), "framework" => "rice",
            }
        }),
        row("reassign_backlog", "Product's backlog", ABOVE, |f, _| {
            form! { "id" => f.id("backlog"), "version" => f.v("backlog"), "owner_id" => f.id("pm1") }
        }),
        row(
            "submit_requirement",
            "to Product's backlog (anyone)",
            SIGNED_IN,
            |f, _| {
                form! {
                    "id" => new_id(), "backlog_id" => f.id("backlog"), "title" => "Authz 需求",
                    "description" => "", "source" => "customer", "requester" => "", "customer" => "",
                    "segment" => "", "links" => "",
                }
            },
        ),
        row("requirements", "Product's list", SIGNED_IN, |f, _| {
            form! {
                "backlog_id" => f.id("backlog"), "search" => "", "status" => "", "source" => "",
                "label" => "", "owner" => "", "sort" => "", "offset" => 0,
            }
        }),
        row(
            "score_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! { "id" => f.id("req"), "version" => f.v("req"), "input" => rice() }
            },
        ),
        row(
            "move_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! { "id" => f.id("req"), "after_id" => f.id("req2") }
            },
        ),
        // Before any reset: callers allowed get past authorisation to
        // "nothing to undo" (undoing itself is tested in backlog_edit).
        row(
            "undo_reset",
            "Product's backlog, no reset yet",
            NO_UNDO,
            |f, _| {
                form! { "backlog_id" => f.id("backlog") }
            },
        ),
        row("reset_order", "Product's backlog", TEAM_WORK, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        row(
            "update_backlog",
            "Product's backlog, unchanged",
            TEAM_WORK,
            |f, _| {
                form! {
                    "id" => f.id("backlog"), "version" => f.v("backlog"), "name" => "Authz 需求池",
                    "framework" => "rice",
                }
            },
        ),
        row(
            "change_status",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                let to = if f.s("req_status") == "new" {
                    "under_review"
                } else {
                    "new"
                };
                form! {
                    "id" => f.id("req"), "version" => f.v("req"), "status" => to,
                    "reason" => "", "duplicate_of" => "",
                }
            },
        ),
        row(
            "undo_merge",
            "a merged Product duplicate",
            TEAM_WORK,
            |f, c| {
                let k = f.pick("dup", c);
                form! { "id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        row(
            "update_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! {
                    "id" => f.id("req"), "version" => f.v("req"), "owner_id" => f.id("pm1"),
                    "labels" => "authz",
                }
            },
        ),
        // By now `req` is under review: only the team's editors may correct
        // it (its submitter, member1, only while it is new).
        row(
            "edit_requirement",
            "a Product requirement under review, unchanged",
            TEAM_WORK,
            |f, _| {
                form! {
                    "id" => f.id("req"), "version" => f.v("req"), "title" => "Authz 用户登录失败",
                    "description" => "", "source" => "customer", "requester" => "", "customer" => "",
                    "segment" => "", "links" => "",
                }
            },
        ),
        row(
            "withdraw_requirement",
            "member1's new requirement (its submitter only)",
            SUBMITTER,
            |f, _| {
                form! { "id" => f.id("req_withdraw"), "version" => f.v("req_withdraw") }
            },
        ),
        row(
            "requirement_detail",
            "a Product requirement",
            SIGNED_IN,
            |f, _| {
                form! { "id" => f.id("req") }
            },
        ),
        row("why_moved", "a Product requirement", SIGNED_IN, |f, _| {
            form! { "id" => f.id("req"), "since" => "2020-01-01" }
        }),
        row("my_requirements", "one's own", SIGNED_IN, |_, _| form! {}),
        row("backlog_labels", "Product's backlog", SIGNED_IN, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        row(
            "backlog_overview",
            "Product's backlog",
            SIGNED_IN,
            |f, _| {
                form! { "backlog_id" => f.id("backlog") }
            },
        ),
        row("set_vote", "a Product requirement", SIGNED_IN, |f, _| {
            form! { "id" => f.id("req"), "voted" => "true" }
        }),
        row(
            "add_evidence",
            "to a Product requirement",
            SIGNED_IN,
            |f, _| {
                form! {
                    "id" => new_id(), "requirement_id" => f.id("req"), "kind" => "customer_quote",
                    "body" => "authz", "source" => "",
                }
            },
        ),
        row(
            "edit_evidence",
            "member1's evidence (its author only)",
            SUBMITTER,
            |f, _| {
                form! {
                    "id" => f.id("evidence"), "kind" => "metric", "body" => "Authz 证据",
                    "source" => "",
                }
            },
        ),
        // Refusals run first; then its author deletes it.
        row(
            "delete_evidence",
            "member1's evidence (its author only)",
            SUBMITTER,
            |f, _| {
                form! { "id" => f.id("evidence") }
            },
        ),
        row(
            "backlog_choices",
            "the new-backlog form",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "import_requirements",
            "into Product's backlog (anyone may submit)",
            SIGNED_IN,
            |f, _| {
                let csv = format!("title,source\nAuthz import {},customer\n", short());
                Req::Json(json!({
                    "backlog_id": f.id("backlog"), "batch_id": new_id(), "file": csv.as_bytes(),
                    "commit": true, "only_valid": false
                }))
            },
        ),
        row(
            "open_poker_round",
            "on Product's backlog",
            TEAM_WORK,
            |f, _| {
                Req::Json(json!({
                    "id": new_id(), "backlog_id": f.id("backlog"), "title": "Authz sizing",
                    "requirement_ids": [f.id("req")], "invitees": [f.id("pm1")]
                }))
            },
        ),
        row("poker_rounds", "Product's backlog", SIGNED_IN, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        // pm1's round on Product's backlog, inviting admin, lead1, pm1 and member1.
        row(
            "poker_round",
            "editors and invitees",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                form! { "id" => f.id("poker") }
            },
        ),
        row(
            "save_estimates",
            "invitees only",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                Req::Json(json!({
                    "round_id": f.id("poker"), "estimates": [[f.id("req"), rice()]], "submit": false
                }))
            },
        ),
        row(
            "accept_estimate",
            "the backlog's editors",
            TEAM_WORK,
            |f, _| {
                form! { "round_id" => f.id("poker"), "requirement_id" => f.id("req"), "input" => rice() }
            },
        ),
        row(
            "close_poker_round",
            "the backlog's editors",
            TEAM_WORK,
            |f, _| {
                form! { "round_id" => f.id("poker_close") }
            },
        ),
        // ------------------------------------------------ goals and KPIs: pm1's KPIs and goal
        row(
            "archived_goals",
            "what one may see",
            SIGNED_IN,
            |_, _| form! {},
        ),
        // A stale version: the admin gets past authorisation to it.
        row(
            "delete_kpi",
            "pm1's team KPI, stale",
            STALE_ADMIN,
            |f, _| {
                form! { "id" => f.id("kpi_team"), "version" => 0 }
            },
        ),
        row("kpi_dashboard", "what one may see", SIGNED_IN, |_, _| {
            form! {
                "team" => "", "pm" => "", "status" => "", "page" => 0, "search" => "",
                "period" => "", "from" => "", "to" => "",
            }
        }),
        row(
            "kpi_form_choices",
            "the new-KPI form",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("create_kpi", "owned by pm1", TEAM_WORK, |f, _| {
            let code = format!("AZ{}", short().to_uppercase());
            let owner = format!("pm:{}", f.id("pm1"));
            Req::Json(json!({ "id": new_id(), "form": kpi_form(&code, &owner, "team", "") }))
        }),
        row(
            "create_kpi",
            "owned by the caller, under pm1's private goal",
            // Issue 13: this was accepted (lead2 and pm6 could hang a KPI under a goal they
            // cannot see); the goal must look nonexistent to them.
            [OK, OK, HIDDEN_GOAL, OK, HIDDEN_GOAL, F, F, U],
            |f, c| kpi_under(f, c, f.id("goal_private")),
        ),
        row(
            "create_kpi",
            "owned by the caller, under a goal id that does not exist",
            [
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                F,
                F,
                U,
            ],
            |f, c| kpi_under(f, c, new_id()),
        ),
        row(
            "create_kpi",
            "owned by the caller, under Product's team goal (seen by all)",
            [OK, OK, GOAL_REFUSED, OK, GOAL_REFUSED, F, F, U],
            |f, c| kpi_under(f, c, GOAL_PRODUCT_TEAM.to_string()),
        ),
        row(
            "update_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, F, NF, U],
            |f, _| update_kpi(f, "kpi_team", ""),
        ),
        row(
            "update_kpi",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| update_kpi(f, "kpi_private", ""),
        ),
        row(
            "update_kpi",
            "a KPI the caller edits, moved under pm1's private goal",
            // Issue 13, as for create_kpi: this was accepted for lead2 and pm6.
            [OK, OK, HIDDEN_GOAL, OK, HIDDEN_GOAL, F, NF, U],
            |f, c| {
                let k = f.pick("kpi_own", c);
                update_kpi(f, &k, &f.id("goal_private"))
            },
        ),
        row(
            "reassign_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, F, NF, F, NF, U],
            |f, _| reassign(f, "kpi_team"),
        ),
        row(
            "reassign_kpi",
            "pm1's private KPI",
            [OK, OK, NF, F, NF, NF, NF, U],
            |f, _| reassign(f, "kpi_private"),
        ),
        row(
            "load_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, OK, NF, U],
            |f, _| {
                form! { "id" => f.id("kpi_team") }
            },
        ),
        row(
            "load_kpi",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! { "id" => f.id("kpi_private") }
            },
        ),
        row(
            "add_checkin",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, F, NF, U],
            |f, _| checkin(f.id("kpi_team")),
        ),
        row(
            "add_checkin",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| checkin(f.id("kpi_private")),
        ),
        row("checkins_due", "one's own", SIGNED_IN, |_, _| form! {}),
        row("goal_tree", "what one may see", SIGNED_IN, |_, _| form! {}),
        row(
            "goal_children",
            "pm1's private goal",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| form! { "id" => f.id("goal_private") },
        ),
        row("create_goal", "a company goal", ADMIN, |_, _| {
            goal_json("company", String::new(), vec![], String::new())
        }),
        row("create_goal", "a team goal of Product", ABOVE, |f, _| {
            goal_json("team", String::new(), vec![f.id("product")], String::new())
        }),
        row("create_goal", "a PM goal of pm1", TEAM_WORK, |f, _| {
            goal_json("pm", f.id("pm1"), vec![], String::new())
        }),
        row(
            "create_goal",
            "a PM goal of the caller's, under pm1's private goal",
            // Issue 13: this was accepted for lead2 (for pm6) and pm6.
            [OK, OK, HIDDEN_PARENT, OK, HIDDEN_PARENT, F, F, U],
            |f, c| goal_json("pm", own_pm(f, c), vec![], f.id("goal_private")),
        ),
        row(
            "create_goal",
            "a PM goal of the caller's, under a goal id that does not exist",
            [
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                F,
                F,
                U,
            ],
            |f, c| goal_json("pm", own_pm(f, c), vec![], new_id()),
        ),
        row(
            "create_goal",
            "a PM goal of the caller's, under Product's team goal (seen by all)",
            [OK, OK, PARENT_REFUSED, OK, PARENT_REFUSED, F, F, U],
            |f, c| goal_json("pm", own_pm(f, c), vec![], GOAL_PRODUCT_TEAM.to_string()),
        ),
        row(
            "create_goal",
            "a team goal of the caller's team, under pm1's private goal",
            // Issue 13: this was accepted for lead2 (a Platform goal under a hidden goal).
            [OK, OK, HIDDEN_PARENT, F, F, F, F, U],
            |f, c| {
                goal_json(
                    "team",
                    String::new(),
                    vec![own_team(f, c)],
                    f.id("goal_private"),
                )
            },
        ),
        // Issue 17. Restoring (archived=false) an active record changes
        // nothing else, so the other rows stay as they were; a delete is
        // tried on the demo's shared team goal, which cannot go (goals and
        // KPIs hang under it).
        row(
            "update_goal",
            "pm1's private goal",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! {
                    "id" => f.id("goal_private"), "version" => f.v("goal_private"),
                    "title" => "Authz 私有目标", "description" => "", "owner_id" => "",
                    "parent_id" => "", "visibility" => "private", "start_date" => "",
                    "due_date" => "",
                }
            },
        ),
        row(
            "archive_goal",
            "pm1's private goal (restore)",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! {
                    "id" => f.id("goal_private"), "version" => f.v("goal_private"),
                    "archived" => "false",
                }
            },
        ),
        row(
            "goal_dependents",
            "pm1's private goal",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| form! { "id" => f.id("goal_private") },
        ),
        row(
            "delete_goal",
            "Product's shared team goal (goals and KPIs under it)",
            [NOT_EMPTY, NOT_EMPTY, F, F, F, F, F, U],
            |_, _| form! { "id" => GOAL_PRODUCT_TEAM, "version" => "1" },
        ),
        row(
            "archive_kpi",
            "pm1's private KPI (restore)",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! {
                    "id" => f.id("kpi_private"), "version" => f.v("kpi_private"),
                    "archived" => "false",
                }
            },
        ),
        row(
            "charter_people",
            "whose charters one reads",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "load_charter",
            "pm1's charter",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! { "person_id" => f.id("pm1") }
            },
        ),
        row(
            "save_charter",
            "pm1's charter",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "person_id" => f.id("pm1"), "version" => f.v("charter:pm1"),
                    "responsibilities" => "Authz 职责", "decision_rights" => "Authz",
                }
            },
        ),
        row(
            "import_checkins",
            "a check-in of pm1's team-visible KPI",
            [OK, OK, RNF, OK, RNF, F, F, U],
            |f, _| {
                let csv = format!(
                    "date,kpi_code,value,confidence,note\n{},{},5,80,authz {}\n",
                    f.s("yesterday"),
                    f.s("code:kpi_team"),
                    short()
                );
                Req::Json(json!({
                    "batch_id": new_id(), "file": csv.as_bytes(), "commit": true, "only_valid": false
                }))
            },
        ),
        // ------------------------------------------------ growth: pm1's growth, plan and pair
        row(
            "person_growth",
            "pm1's",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! { "person_id" => f.id("pm1"), "period_id" => "" }
            },
        ),
        row(
            "save_ratings",
            "pm1's self ratings (only pm1)",
            [F, F, F, OK, F, F, F, U],
            |f, _| {
                Req::Json(json!({
                    "person_id": f.id("pm1"), "period_id": PERIOD1, "version": f.vers["assessment:pm1"],
                    "as_leader": false, "ratings": [{"competency_id": COMP1, "rating": "3"}]
                }))
            },
        ),
        row("save_ratings", "pm1's leader ratings", ABOVE, |f, _| {
            Req::Json(json!({
                "person_id": f.id("pm1"), "period_id": PERIOD1, "version": f.vers["assessment:pm1"],
                "as_leader": true, "ratings": [{"competency_id": COMP1, "rating": "3"}]
            }))
        }),
        row("set_level", "pm1's level, unchanged", ABOVE, |f, _| {
            form! { "person_id" => f.id("pm1"), "level_id" => LEVEL2, "version" => f.v("level:pm1") }
        }),
        row(
            "add_plan_item",
            "to pm1's plan",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                Req::Json(json!({
                    "id": new_id(), "person_id": f.id("pm1"), "period_id": PERIOD1,
                    "form": {
                        "kind": "reading", "title": "Authz reading", "competency_id": COMP1,
                        "due_date": day_text(today() + 30), "cost": "0", "evidence": "", "catalog_id": ""
                    }
                }))
            },
        ),
        row(
            "update_plan_item",
            "an item of pm1's plan",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => f.id("item_pm1"), "version" => f.v("item_pm1"), "status" => "planned",
                    "evidence" => "authz", "due_date" => day_text(today() + 30), "cost" => "0",
                }
            },
        ),
        row(
            "approve_plan",
            "an over-budget Product plan (its nearest leader only, never one's own)",
            NEAREST_LEADER,
            |f, c| {
                let k = f.pick("plan_wait", c);
                form! { "plan_id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        row("growth_dashboard", "Product's", ABOVE, |f, _| {
            form! { "period_id" => "", "team" => f.id("product"), "page" => 0 }
        }),
        row("growth_catalog", "the catalog", SIGNED_IN, |_, _| form! {}),
        row("create_catalog_entry", "a resource", LEADERS, |_, _| {
            Req::Json(json!({
                "id": new_id(), "title": format!("Authz course {}", short()), "kind": "course",
                "competencies": [COMP1], "link": "", "cost": "0", "language": "en"
            }))
        }),
        row(
            "growth_mentoring",
            "one's pairs",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("create_mentorship", "pm2 mentoring pm1", ABOVE, |f, _| {
            form! {
                "id" => new_id(), "mentor_id" => f.id("pm2"), "mentee_id" => f.id("pm1"),
                "goals" => "Authz goals",
            }
        }),
        row(
            "log_meeting",
            "of the pair pm2 → pm1 (its mentor or mentee only)",
            [F, F, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => new_id(), "mentorship_id" => PAIR_PM2_PM1, "day" => f.s("yesterday"),
                    "note" => "Authz meeting",
                }
            },
        ),
        row("growth_framework", "the framework", SIGNED_IN, |_, _| {
            form! { "track_id" => TRACK }
        }),
        row("save_expectation", "PM1 × discovery", ADMIN, |f, _| {
            form! {
                "level_id" => LEVEL1, "competency_id" => COMP1, "version" => f.v("expectation"),
                "text_en" => "Authz", "text_zh" => "Authz", "rating" => "2",
            }
        }),
        row("add_competency", "to the PM track", ADMIN, |_, _| {
            let s = short();
            form! {
                "id" => new_id(), "track_id" => TRACK, "key" => format!("az{s}"),
                "name_en" => format!("Authz {s}"), "name_zh" => format!("授权 {s}"),
            }
        }),
        row("add_level", "to the PM track", ADMIN, |_, _| {
            form! { "id" => new_id(), "track_id" => TRACK, "code" => format!("Z{}", short()) }
        }),
        row("growth_settings", "budgets one may set", LEADERS, |_, _| {
            form! { "period_id" => "" }
        }),
        row("create_period", "a new period", ADMIN, |_, _| {
            form! {
                "id" => new_id(), "name" => format!("Authz {}", short()),
                "start_date" => "2031-01-01", "end_date" => "2031-06-30",
            }
        }),
        row("set_budget", "pm1's", ABOVE, |f, _| {
            form! {
                "period_id" => PERIOD1, "scope" => "person", "subject_id" => f.id("pm1"),
                "amount" => "5000", "version" => f.v("budget:pm1"),
            }
        }),
        row(
            "set_budget",
            "Growth's (a team below lead1's)",
            ABOVE,
            |f, _| {
                form! {
                    "period_id" => PERIOD1, "scope" => "team", "subject_id" => f.id("growth"),
                    "amount" => "20000", "version" => f.v("budget:growth"),
                }
            },
        ),
        // Growth records kept for years (issue 17): admins edit the framework,
        // periods and catalog; a leader above the mentee (or an admin) ends a
        // pair; whoever edits a plan edits its items. Retire rows put a part
        // back in use (no change), and moves at the top end change nothing, so
        // later rows still find COMP1 and LEVEL1 in use.
        row(
            "edit_plan_item",
            "an item of pm1's plan, unchanged",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => f.id("item_pm1"), "version" => f.v("item_pm1"), "kind" => "course",
                    "title" => "Authz course", "competency_id" => COMP1,
                }
            },
        ),
        row("add_track", "a new track", ADMIN, |_, _| {
            let s = short();
            form! {
                "id" => new_id(), "name_en" => format!("Authz track {s}"),
                "name_zh" => format!("授权序列 {s}"),
            }
        }),
        row(
            "rename_competency",
            "discovery, unchanged",
            ADMIN,
            |f, _| {
                form! {
                    "id" => COMP1, "version" => f.v("comp_row"), "name_en" => "Discovery",
                    "name_zh" => "用户洞察",
                }
            },
        ),
        row(
            "move_competency",
            "discovery, up at the top",
            ADMIN,
            |f, _| {
                form! { "id" => COMP1, "version" => f.v("comp_row"), "direction" => "up" }
            },
        ),
        row(
            "retire_competency",
            "discovery, kept in use",
            ADMIN,
            |f, _| {
                form! { "id" => COMP1, "version" => f.v("comp_row"), "retired" => "false" }
            },
        ),
        row("rename_level", "PM1, unchanged", ADMIN, |f, _| {
            form! { "id" => LEVEL1, "version" => f.v("level_row"), "code" => "PM1" }
        }),
        row("move_level", "PM1, up at the bottom", ADMIN, |f, _| {
            form! { "id" => LEVEL1, "version" => f.v("level_row"), "direction" => "up" }
        }),
        row("retire_level", "PM1, kept in use", ADMIN, |f, _| {
            form! { "id" => LEVEL1, "version" => f.v("level_row"), "retired" => "false" }
        }),
        row(
            "update_catalog_entry",
            "a resource, unchanged",
            ADMIN,
            |f, _| {
                Req::Json(json!({
                    "id": f.id("catalog_az"), "version": f.vers["catalog_az"], "title": "Authz resource",
                    "kind": "course", "competencies": [COMP1], "link": "", "cost": "0", "language": "en"
                }))
            },
        ),
        row(
            "retire_catalog_entry",
            "a resource, kept offered",
            ADMIN,
            |f, _| {
                form! { "id" => f.id("catalog_az"), "version" => f.v("catalog_az"), "retired" => "false" }
            },
        ),
        row("update_period", "a period, unchanged", ADMIN, |f, _| {
            form! {
                "id" => f.id("period_az"), "version" => f.v("period_az"), "name" => "Authz period",
                "start_date" => "2032-01-01", "end_date" => "2032-06-30",
            }
        }),
        // Closing a period (issue 17): admins only. The close itself is sent
        // at a stale version, so the admin's call is refused after
        // authorisation and the fixture period stays open for the rows
        // above; the summary of an open period is not found for those who
        // may read summaries (admins and leaders).
        row(
            "close_period_preview",
            "an open period",
            ADMIN,
            |f, _| form! { "period_id" => f.id("period_az") },
        ),
        row(
            "close_period",
            "an open period at a stale version",
            STALE_ADMIN,
            |f, _| {
                form! {
                    "period_id" => f.id("period_az"), "version" => f.vers["period_az"] + 100,
                    "carry_over" => "false",
                }
            },
        ),
        row(
            "period_summary",
            "of a period still open",
            [NF, NF, NF, F, F, F, F, U],
            |f, _| form! { "period_id" => f.id("period_az") },
        ),
        row(
            "end_mentorship",
            "a pair pm2 → pm1 (one each for the callers who may)",
            ABOVE,
            |f, c| {
                let k = f.pick("pair_end", c);
                form! { "id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        // ------------------------------------------------ surveys: lead1's rounds over Product
        row(
            "load_surveys",
            "what one may see",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("surveys_awaiting", "one's own", SIGNED_IN, |_, _| form! {}),
        row(
            "new_round_options",
            "the new-round form",
            LEADERS,
            |_, _| form! {},
        ),
        row("create_round", "over Product", ABOVE, |f, _| {
            Req::Json(json!({
                "id": new_id(), "title": "Authz round", "themes": ["engagement"],
                "teams": [f.id("product")], "opens": local(-1), "closes": local(60 * 24),
                "pulse": "none", "visibility": "team", "k": "", "comment_min": "", "support_note": ""
            }))
        }),
        row(
            "load_round",
            "lead1's open round (asked or managing)",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                form! { "id" => f.id("s_open") }
            },
        ),
        row(
            "add_round_question",
            "lead1's scheduled round",
            ABOVE,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "id" => new_id(), "theme" => "wellbeing",
                    "kind" => "likert", "text_en" => "Authz question", "text_zh" => "",
                    "options" => "", "distress_at" => "",
                }
            },
        ),
        row(
            "set_round_thresholds",
            "lead1's scheduled round",
            ADMIN,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "version" => f.v("s_sched"), "k" => "5",
                    "comment_min" => "5",
                }
            },
        ),
        row(
            "edit_round",
            "lead1's scheduled round, over Product",
            ABOVE,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "version" => f.v("s_sched"),
                    "title" => "Authz edited round", "teams[0]" => f.id("product"),
                    "opens" => local(60), "closes" => local(120), "visibility" => "team",
                    "support_note" => "",
                }
            },
        ),
        row(
            "move_round_question",
            "a question of lead1's scheduled round",
            ABOVE,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "version" => f.v("s_sched"),
                    "question_id" => f.id("s_sched_q"), "direction" => "up",
                }
            },
        ),
        row(
            "remove_round_question",
            "a question of lead1's scheduled round",
            ABOVE,
            |f, c| {
                form! {
                    "round_id" => f.id("s_sched"), "version" => f.v("s_sched"),
                    "question_id" => f.id(&f.pick("s_sched_rm", c)),
                }
            },
        ),
        row(
            "cancel_round",
            "a scheduled round of lead1's",
            ABOVE,
            |f, c| {
                let k = f.pick("s_cancel", c);
                form! { "round_id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        row(
            "restart_pulse",
            "lead1's stopped pulse over Product",
            ABOVE,
            |f, _| {
                form! { "round_id" => f.id("s_pulse"), "version" => f.v("s_pulse"), "pulse" => "" }
            },
        ),
        row("close_round", "an open round of lead1's", ABOVE, |f, c| {
            let k = f.pick("s_close", c);
            form! { "round_id" => f.id(&k), "version" => f.v(&k) }
        }),
        row("stop_pulse", "lead1's open round", ABOVE, |f, _| {
            form! { "round_id" => f.id("s_open") }
        }),
        row(
            "submit_answers",
            "lead1's open round (those asked: Product's people)",
            [F, OK, F, OK, F, OK, F, U],
            |f, _| {
                Req::Json(json!({
                    "round_id": f.id("s_open"), "submission": new_id(), "answers": f.json["answers"]
                }))
            },
        ),
        row(
            "submit_answers_form",
            "lead1's other open round, as a plain form (those asked: Product's people)",
            [F, OK, F, OK, F, OK, F, U],
            |f, _| {
                let mut pairs = vec![
                    ("round_id".to_string(), f.id("s_open_form")),
                    ("submission".to_string(), new_id()),
                ];
                pairs.extend(answer_form_fields(&f.json["s_open_form"], 4, ""));
                Req::Form(pairs)
            },
        ),
        row(
            "load_survey_results",
            "lead1's closed round",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| form! { "round_id" => f.id("s_closed"), "group" => "" },
        ),
        row(
            "load_survey_results",
            "lead1's open round: for nobody before it closes",
            [
                AFTER_CLOSE,
                AFTER_CLOSE,
                F,
                AFTER_CLOSE,
                F,
                AFTER_CLOSE,
                F,
                U,
            ],
            |f, _| form! { "round_id" => f.id("s_open"), "group" => "" },
        ),
        row(
            "create_survey_action",
            "for Product on the closed round",
            ABOVE,
            |f, _| {
                form! {
                    "id" => new_id(), "round_id" => f.id("s_closed"), "team_id" => f.id("product"),
                    "focus" => "wellbeing", "action" => "Authz action", "owner_id" => f.id("lead1"),
                    "due_date" => "2030-01-31",
                }
            },
        ),
        row(
            "follow_up_survey_action",
            "lead1's action owned by pm1",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => f.id("action"), "version" => f.v("action"), "status" => "open",
                    "follow_up" => "Authz follow-up",
                }
            },
        ),
        row(
            "edit_survey_action",
            "lead1's action for Product, owned by pm1",
            ABOVE,
            |f, _| {
                form! {
                    "id" => f.id("action"), "version" => f.v("action"), "focus" => "balance",
                    "action" => "Authz edited action", "owner_id" => f.id("pm1"),
                    "due_date" => "2030-02-28",
                }
            },
        ),
        // ------------------------------------------------ notifications (one's own only)
        row("notifications_unread", "one's own", SIGNED_IN, |_, _| {
            form! {}
        }),
        row("list_notifications", "one's own", SIGNED_IN, |_, _| {
            form! { "offset" => 0, "unread_only" => "false" }
        }),
        row(
            "mark_notification_read",
            "member1's notification (its recipient only; others: none such)",
            [NF, NF, NF, NF, NF, OK, NF, U],
            |f, _| {
                form! { "id" => f.id("notification") }
            },
        ),
        row(
            "mark_all_notifications_read",
            "one's own",
            SIGNED_IN,
            |_, _| {
                form! { "up_to" => "2100-01-01T00:00:00.000000Z" }
            },
        ),
        // ------------------------------------------------ sign-in and one's own account
        // (last: these end or replace sessions, and change_password changes them)
        row(
            "me",
            "the signed-in user, or none",
            [OK; 8],
            |_, _| form! {},
        ),
        row("sign_in_alerts", "one's own", SIGNED_IN, |_, _| form! {}),
        row("list_api_tokens", "one's own", SIGNED_IN, |_, _| form! {}),
        row("create_api_token", "one's own", SIGNED_IN, |_, _| {
            form! {
                "id" => new_id(), "name" => "Authz token", "scope" => "checkins",
                "expires_days" => "90",
            }
        }),
        row(
            "revoke_api_token",
            "pm1's token: nobody else's to find",
            [NF, NF, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! { "id" => f.id("api_token") }
            },
        ),
        row(
            "dismiss_sign_in_alerts",
            "one's own",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "set_language",
            "one's own (a visitor's in the cookie)",
            [OK; 8],
            |_, _| {
                form! { "language" => "en" }
            },
        ),
        row(
            "setup",
            "once the organisation exists",
            [SETUP_DONE; 8],
            |_, _| {
                form! {
                    "organisation" => "Shadow Co.", "display_name" => "Shadow",
                    "email" => "shadow@example.com", "password" => "long-enough", "language" => "en",
                    "setup_token" => SETUP_TOKEN,
                }
            },
        ),
        row("login", "with one's own password", [OK; 8], |_, c| {
            form! { "email" => c.login_email, "password" => PW }
        })
        .fresh(),
        row("logout", "one's own session", [OK; 8], |_, _| form! {}).fresh(),
        row("change_password", "one's own", SIGNED_IN, |_, _| {
            form! { "old_password" => PW, "new_password" => "keel-demo-changed" }
        })
        .fresh(),
    ]
}
