//! The home page's card of open rounds waiting for the caller's answer.
use crate::i18n::*;
use crate::ui::form::error_box;
use leptos::prelude::*;

/// The home page's card: open rounds waiting for the caller's answer. The
/// dashboard loads the list with its other cards, under its one Suspense.
#[component]
pub fn SurveysAwaiting(
    list: Result<Vec<crate::surveys::model::Awaiting>, crate::error::AppError>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="card-surveys" data-testid="surveys-awaiting">
            <h2 id="card-surveys">{t!(i18n, surveys.awaiting_title)}</h2>
            {match list {
                Err(e) => error_box(e),
                Ok(l) if l.is_empty() => view! { <p class="muted">{t!(i18n, surveys.nothing_awaiting)}</p> }.into_any(),
                Ok(l) => view! {
                    <ul class="plain-list" role="list">
                        {l.into_iter().map(|r| view! {
                            <li data-testid="awaiting-round">
                                <a href=format!("/surveys/{}/answer", r.id)>{r.title.clone()}</a>
                                <span class="muted small">" · " {t!(i18n, surveys.closes)} " " {r.closes.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
