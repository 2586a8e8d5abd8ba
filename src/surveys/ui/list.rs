//! `/surveys`: the rounds waiting for the caller, then every round they may
//! see.
use super::parts::{StatusBadge, pulse_label};
use crate::i18n::*;
use crate::surveys::api::load_surveys;
use crate::surveys::model::{Pulse, RoundStatus, RoundSummary};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::pager::{ListSearch, Pager, list_href, query_offset, query_value};
use leptos::prelude::*;

/// `/surveys`: rounds waiting for the caller, then every round they may see,
/// 50 a page, newest first, searched by title (`?q=…&offset=…`).
#[component]
pub fn SurveysPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = query_value("q");
    let offset = query_offset();
    let data = page_resource(
        move || (q.get(), offset.get()),
        |(q, offset)| load_surveys(q, offset),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, surveys.subtitle).to_string())/>
        <PageScaffold data=data let:p>
            {{
                        let searched = !q.get_untracked().is_empty();
                        let waiting = p.waiting.clone();
                        let href_of = Callback::new(move |o: i64| {
                            list_href("/surveys", &[("q", q.get_untracked()), ("offset", o.to_string())])
                        });
                        view! {
                            {p.can_create.then(|| view! {
                                <p class="page-actions"><a class="btn btn-primary" href="/surveys/new" data-testid="new-round"><Icon name="plus"/>{t!(i18n, surveys.new_round)}</a></p>
                            })}
                            {(!waiting.is_empty()).then(|| view! {
                                <section class="card section" aria-labelledby="waiting-title">
                                    <h2 id="waiting-title">{t!(i18n, surveys.awaiting_title)}</h2>
                                    <ul class="plain-list" role="list">
                                        {waiting.into_iter().map(|r| view! {
                                            <li>
                                                <a class="btn btn-primary" href=format!("/surveys/{}/answer", r.id) data-testid="answer-link">{t!(i18n, surveys.answer)} " · " {r.title.clone()}</a>
                                                <span class="muted small">" " {t!(i18n, surveys.closes)} " " {r.closes.clone()}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {(searched || p.total > 0).then(|| view! {
                                <ListSearch path="/surveys" testid="rounds-search"
                                    label=Signal::derive(move || t_string!(i18n, surveys.search_rounds).to_string())/>
                            })}
                            {if p.rounds.is_empty() && searched {
                                view! {
                                    <p class="empty-inline muted" data-testid="rounds-none-match">{t!(i18n, surveys.none_match)}</p>
                                }.into_any()
                            } else if p.rounds.is_empty() {
                                view! {
                                    <div class="empty-state">
                                        <span class="empty-icon"><Icon name="survey"/></span>
                                        <h2>{t!(i18n, surveys.empty_title)}</h2>
                                        <p class="muted">{t!(i18n, surveys.empty_body)}</p>
                                    </div>
                                }.into_any()
                            } else {
                                let shown = p.rounds.len();
                                view! {
                                    <RoundsTable rounds=p.rounds/>
                                    <Pager offset=p.offset shown total=p.total href_of testid="rounds-pager"/>
                                }.into_any()
                            }}
                        }.into_any()
                    }}
        </PageScaffold>
    }
}

#[component]
fn RoundsTable(rounds: Vec<RoundSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="rounds-table">
                <caption class="sr-only">{t!(i18n, surveys.rounds)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, surveys.round_title)}</th>
                    <th scope="col">{t!(i18n, surveys.status_label)}</th>
                    <th scope="col">{t!(i18n, surveys.teams)}</th>
                    <th scope="col">{t!(i18n, surveys.window)}</th>
                    <th scope="col">{t!(i18n, surveys.responses)}</th>
                    <th scope="col"><span class="sr-only">{t!(i18n, surveys.links)}</span></th>
                </tr></thead>
                <tbody>
                    {rounds.into_iter().map(|r| {
                        let id = r.id.clone();
                        let pulse = r.pulse;
                        view! {
                            <tr data-testid="round-row">
                                <th scope="row">
                                    {if r.can_manage { view! { <a href=format!("/surveys/{id}")>{r.title.clone()}</a> }.into_any() } else { view! { {r.title.clone()} }.into_any() }}
                                    {(pulse != Pulse::None).then(|| view! { <span class="chip small">{move || pulse_label(i18n.get_locale(), pulse)}</span> })}
                                </th>
                                <td><StatusBadge status=r.status/></td>
                                <td>{r.teams.join(", ")}</td>
                                <td class="small nowrap" title=format!("{} → {}", r.opens, r.closes)>{r.opens.chars().take(10).collect::<String>()} " → " {r.closes.chars().take(10).collect::<String>()}</td>
                                <td class="num">{r.answered} " / " {r.invited}</td>
                                <td><div class="row-links">
                                    {(r.asked && !r.done && r.status == RoundStatus::Open).then(|| view! { <a href=format!("/surveys/{id}/answer")>{t!(i18n, surveys.answer)}</a> })}
                                    {(r.done).then(|| view! { <span class="muted small"><Icon name="check"/>{t!(i18n, surveys.answered)}</span> })}
                                    {(r.can_see_results && r.status == RoundStatus::Closed).then(|| view! { <a href=format!("/surveys/{id}/results") data-testid="results-link">{t!(i18n, surveys.results)}</a> })}
                                </div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
