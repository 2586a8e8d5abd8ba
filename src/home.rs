//! The home page: the person's team, the organisation, what waits for them
//! (check-ins due, surveys to answer) and the way into each capability.
use crate::auth::{Role, SessionUser};
use crate::i18n::*;
use crate::ui::icons::Icon;
use crate::ui::language::role_label;
use crate::ui::nav::Section;
use crate::ui::page::PageHeader;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::ui::session::use_me().0;
    // Every card's data comes from one resource, awaited under one Suspense:
    // several resources awaited in one Suspend made the server render the
    // page more than once, and the browser then sometimes failed to hydrate.
    let cards = Resource::new(
        || (),
        |_| async {
            (
                crate::people::api::dashboard_summary().await,
                crate::kpi::api::checkins_due().await,
                crate::surveys::api::surveys_awaiting().await,
            )
        },
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, dashboard.title).to_string())/>
        <crate::auth::ui::SignInAlerts/>
        <Suspense fallback=|| view! { <DashboardSkeleton/> }>
            {move || Suspend::new(async move {
                // Both resources are taken before the first await: leaving
                // the page can dispose them while the first one loads.
                let (cards, me) = (cards.into_future(), user.into_future());
                let me = me.await.ok().flatten();
                let (summary, due, awaiting) = cards.await;
                match summary {
                    Ok(s) => view! { <DashboardCards facts=s me due awaiting/> }.into_any(),
                    Err(e) => {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {move || crate::ui::form::error_text(i18n.get_locale(), e.code)}
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardSkeleton() -> impl IntoView {
    view! {
        <div class="grid cards" aria-busy="true">
            <div class="card skeleton"></div>
            <div class="card skeleton"></div>
            <div class="card skeleton"></div>
        </div>
    }
}

#[component]
fn DashboardCards(
    facts: crate::people::api::DashboardFacts,
    me: Option<SessionUser>,
    due: Result<Vec<crate::kpi::model::DueKpi>, crate::error::AppError>,
    awaiting: Result<Vec<crate::surveys::model::Awaiting>, crate::error::AppError>,
) -> impl IntoView {
    let s = facts;
    let i18n = use_i18n();
    let is_admin = me.as_ref().is_some_and(|u| u.role == Role::Admin);
    let show_due = me
        .as_ref()
        .is_some_and(|u| matches!(u.role, Role::Pm | Role::Leader));
    let name = me.map(|u| u.display_name).unwrap_or_default();
    let mut modules = vec![
        Section::Kpis,
        Section::Backlog,
        Section::Growth,
        Section::Surveys,
    ];
    if is_admin {
        modules.push(Section::People);
    }
    let teammates = s.teammates.clone();
    let led = s.led_teams.clone();
    view! {
        <p class="welcome">
            {t!(i18n, dashboard.welcome)} " " <strong>{name}</strong>
            <span class="today">
                " · " {s.today.clone()} " · " {t!(i18n, dashboard.week)} " " {s.iso_week}
            </span>
        </p>
        <div class="grid cards">
            <section class="card" aria-labelledby="card-team">
                <h2 id="card-team">{t!(i18n, dashboard.your_team)}</h2>
                {match s.team_name.clone() {
                    Some(team) => {
                        view! {
                            <p class="card-big" data-testid="my-team">{team}</p>
                            <dl class="facts">
                                <dt>{t!(i18n, dashboard.leader)}</dt>
                                <dd>
                                    {s.leader_name.clone().map(|n| n.into_any()).unwrap_or_else(|| view! { <span class="muted">{t!(i18n, dashboard.no_leader)}</span> }.into_any())}
                                </dd>
                            </dl>
                            <h3>{t!(i18n, dashboard.teammates)}</h3>
                            {if teammates.is_empty() {
                                view! { <p class="muted">{t!(i18n, dashboard.no_teammates)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="people-list" role="list">
                                        {teammates
                                            .into_iter()
                                            .map(|(n, r)| {
                                                view! {
                                                    <li>
                                                        <span class="avatar" aria-hidden="true">{n.chars().next().unwrap_or('?').to_string()}</span>
                                                        <span>{n}</span>
                                                        <span class="badge">{move || role_label(i18n.get_locale(), r)}</span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                    None => view! { <p class="muted">{t!(i18n, dashboard.no_team)}</p> }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="card-org">
                <h2 id="card-org">{t!(i18n, dashboard.organisation)}</h2>
                <p class="card-big">{s.organisation.clone()}</p>
                <dl class="facts">
                    <dt>{t!(i18n, dashboard.teams)}</dt>
                    <dd class="num">{s.team_count}</dd>
                    <dt>{t!(i18n, dashboard.people)}</dt>
                    <dd class="num">{s.people_count}</dd>
                    <dt>{t!(i18n, dashboard.time_zone)}</dt>
                    <dd>{s.time_zone.clone()}</dd>
                    <dt>{t!(i18n, dashboard.currency)}</dt>
                    <dd>{s.currency.clone()}</dd>
                </dl>
            </section>
            {show_due.then(|| view! { <crate::kpi::ui::CheckinsDue due/> })}
            <crate::surveys::ui::SurveysAwaiting list=awaiting/>
            {(!led.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="card-led">
                            <h2 id="card-led">{t!(i18n, dashboard.you_lead)}</h2>
                            <ul class="plain-list" role="list">
                                {led.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                            </ul>
                        </section>
                    }
                })}
        </div>
        <h2 class="section-title">{t!(i18n, dashboard.modules)}</h2>
        <div class="grid modules">
            {modules
                .into_iter()
                .map(|m| {
                    view! {
                        <A href=m.href() attr:class="card module">
                            <span class="module-icon"><Icon name=m.icon()/></span>
                            <span class="module-title">{move || m.label(i18n.get_locale())}</span>
                            <span class="module-blurb">{move || m.blurb(i18n.get_locale())}</span>
                        </A>
                    }
                })
                .collect_view()}
        </div>
    }
}
