//! The home dashboard's card of KPIs waiting for a check-in.
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::error_box;
use crate::ui::icons::Icon;
use leptos::prelude::*;

/// The signed-in person's KPIs waiting for a check-in (home dashboard). The
/// dashboard loads the list with its other cards, under its one Suspense.
#[component]
pub fn CheckinsDue(due: Result<Vec<crate::kpi::model::DueKpi>, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="card-due" data-testid="checkins-due">
            <h2 id="card-due">{t!(i18n, kpis.due_title)}</h2>
            {match due {
                Err(e) => error_box(e),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, kpis.nothing_due)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="plain-list" role="list">
                        {list.into_iter().map(|k| view! {
                            <li data-testid="due-kpi">
                                <a href=format!("/kpis/{}", k.id)><span class="chip">{k.code.clone()}</span> " " {k.name.clone()}</a>
                                " "
                                {k.stale.then(|| view! { <span class="badge kpi-stale"><Icon name="alert"/>{t!(i18n, kpis.stale)}</span> })}
                                <span class="muted small"> " " {t!(i18n, kpis.last_checkin)} " " {k.last_day.clone().unwrap_or_else(|| "—".into())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
