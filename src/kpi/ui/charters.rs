//! `/kpis/charters` and `/kpis/charters/:id`: the PMs' role charters.
use super::parts::KpiTabs;
use crate::i18n::*;
use crate::kpi::api::{SaveCharter, charter_people, load_charter};
use crate::ui::form::{FormAlert, SuccessNote, action_error};
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/kpis/charters`: the PMs whose role charter the person may read.
#[component]
pub fn ChartersPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = page_resource(|| (), |_| charter_people());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.charters_title).to_string())/>
        <KpiTabs current="charters"/>
        <PageScaffold data=list let:people>
            {if people.is_empty() {
                view! { <p class="muted">{t!(i18n, kpis.no_charters)}</p> }.into_any()
            } else {
                view! {
                        <ul class="card plain-list" role="list">
                            {people.into_iter().map(|(id, name)| view! {
                                <li><a href=format!("/kpis/charters/{id}") data-testid="charter-link">{name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
            }}
        </PageScaffold>
    }
}

/// `/kpis/charters/:id`: a PM's role charter.
#[component]
pub fn CharterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let charter = page_resource(move || (id(), reload.get()), |(id, _)| load_charter(id));
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.charters_title).to_string())/>
        <KpiTabs current="charters"/>
        <PageScaffold data=charter let:c><CharterView charter=c/></PageScaffold>
    }
}

#[component]
fn CharterView(charter: crate::kpi::model::Charter) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SaveCharter>::new();
    let error = action_error(action);
    let responsibilities = RwSignal::new(charter.responsibilities.clone());
    let rights = RwSignal::new(charter.decision_rights.clone());
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(true);
            reload.bump();
        }
    });
    let person = StoredValue::new(charter.person_id.clone());
    let version = charter.version;
    let area = move |name: &'static str, label: AnyView, value: RwSignal<String>| {
        let id = format!("charter-{name}");
        view! {
            <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(name)))>
                <label for=id.clone()>{label}</label>
                <textarea id=id name=name rows="6" bind:value=value></textarea>
            </div>
        }
    };
    view! {
        <section class="card section">
            <h2 data-testid="charter-person">{charter.person_name.clone()} {charter.team_name.clone().map(|t| format!(" · {t}"))}</h2>
            <form id="charter-form" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                action.dispatch(SaveCharter {
                    person_id: person.get_value(),
                    version,
                    responsibilities: responsibilities.get_untracked(),
                    decision_rights: rights.get_untracked(),
                });
            }>
                <FormAlert error/>
                {area("responsibilities", t!(i18n, kpis.responsibilities).into_any(), responsibilities)}
                {area("decision_rights", t!(i18n, kpis.decision_rights).into_any(), rights)}
                <h3>{t!(i18n, kpis.kpis_owned)}</h3>
                {if charter.kpis.is_empty() {
                    view! { <p class="muted">{t!(i18n, kpis.no_kpis_owned)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" role="list">
                            {charter.kpis.iter().map(|(id, code, name)| view! {
                                <li><a href=format!("/kpis/{id}")><span class="chip">{code.clone()}</span> " " {name.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-charter">{t!(i18n, common.save)}</button>
                    {charter.updated_at.clone().map(|u| view! { <span class="muted small">{t!(i18n, kpis.updated)} " " {crate::calendar::day_part(&u)}</span> })}
                </div>
                <SuccessNote show=saved>{t!(i18n, kpis.charter_saved)}</SuccessNote>
            </form>
        </section>
    }
}
