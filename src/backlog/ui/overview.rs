//! The backlog's overview tab: counts, ages and weekly intake.
use super::*;
use crate::backlog::api::load_overview;
use crate::backlog::model::round2;
use crate::i18n::*;
use crate::ui::charts::{Bar, BarList, Stack, StackedColumns};
use crate::ui::form::error_box;
use leptos::prelude::*;

/// The backlog dashboard.
#[component]
pub fn Overview(backlog_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || backlog_id.clone(), load_overview);
    view! {
        <Transition fallback=|| view! { <div class="skeleton tall"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(o) => {
                        let l = i18n.get_locale_untracked();
                        let bars: Vec<Bar> = o.counts.iter().map(|(s, n)| Bar { label: status_label(l, *s).to_string(), value: *n as f64 }).collect();
                        let series: Vec<String> = crate::backlog::model::Source::ALL.iter().map(|s| source_label(l, *s).to_string()).collect();
                        let columns: Vec<Stack> = o.weeks.iter().map(|w| Stack { label: w.start[5..].to_string(), parts: w.counts.iter().map(|c| c.1 as f64).collect() }).collect();
                        view! {
                            <div class="overview" data-testid="overview">
                                <p class="muted">{t!(i18n, backlog.overview.total)} " " <strong class="num">{o.total}</strong></p>
                                <div class="overview-grid">
                                    <BarList caption=Signal::derive(move || t_string!(i18n, backlog.overview.by_status).to_string()) bars testid="status-counts"/>
                                    <div>
                                        <h3>{t!(i18n, backlog.overview.top)}</h3>
                                        {o.top.is_empty().then(|| view! { <p class="muted">{t!(i18n, backlog.overview.none_scored)}</p> })}
                                        <ol class="top-list" data-testid="top-ten">
                                            {o.top.iter().map(|(id, title, score)| view! {
                                                <li><a href=format!("/backlog/requirements/{id}")>{title.clone()}</a> " " <span class="num muted">{round2(*score)}</span></li>
                                            }).collect_view()}
                                        </ol>
                                    </div>
                                </div>
                                <h3>{t!(i18n, backlog.overview.time_in_state)}</h3>
                                <div class="table-wrap">
                                    <table class="table" data-testid="time-in-state">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, backlog.state)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.count)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.median_days)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.max_days)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {o.time_in_state.iter().map(|a| {
                                                let s = a.status;
                                                view! {
                                                    <tr>
                                                        <th scope="row">{move || status_label(i18n.get_locale(), s)}</th>
                                                        <td class="num">{a.count}</td>
                                                        <td class="num">{a.median_days}</td>
                                                        <td class="num">{a.max_days}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <StackedColumns
                                    caption=Signal::derive(move || t_string!(i18n, backlog.overview.intake).to_string())
                                    series
                                    columns
                                    table_label=Signal::derive(move || t_string!(i18n, backlog.matrix.as_table).to_string())
                                    testid="intake"
                                />
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
