//! `/growth/framework`: levels × competencies with expectation and rating;
//! admins edit cells and add levels and competencies.
use super::parts::GrowthTabs;
use crate::growth::api::{AddCompetency, AddLevel, SaveExpectation, load_framework};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, action_error};
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/growth/framework`: levels × competencies with expectation and rating;
/// admins edit cells and add levels and competencies.
#[component]
pub fn GrowthFrameworkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = Reload::provide();
    let data = page_resource(
        move || {
            (
                query.with(|q| q.get("track").unwrap_or_default()),
                reload.get(),
            )
        },
        |(t, _)| load_framework(t),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.framework_title).to_string())/>
        <GrowthTabs current="framework"/>
        <PageScaffold data let:p>
            {match p.framework {
                None => view! { <p class="muted">{t!(i18n, growth.no_framework)}</p> }.into_any(),
                Some(f) => view! { <FrameworkView framework=f can_edit=p.can_edit/> }.into_any(),
            }}
        </PageScaffold>
    }
}

#[component]
fn FrameworkView(framework: crate::growth::model::Framework, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(None::<(String, String)>);
    let fw = StoredValue::new(framework.clone());
    let track_names = framework.track.names.clone();
    view! {
        <h2>{move || track_names.get(is_zh(i18n)).to_string()}</h2>
        <div class="table-wrap">
            <table class="table" data-testid="framework-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, growth.competency)}</th>
                    {framework.levels.iter().map(|l| view! { <th scope="col">{l.code.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {framework.competencies.iter().map(|c| {
                        let names = c.names.clone();
                        let cid = c.id.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || names.get(is_zh(i18n)).to_string()}</th>
                                {framework.levels.iter().map(|l| {
                                    let cell = framework.cell(&l.id, &cid).cloned();
                                    let key = (l.id.clone(), cid.clone());
                                    let code = l.code.clone();
                                    view! {
                                        <td class="framework-cell" data-testid="framework-cell">
                                            {cell.map(|e| {
                                                let text = e.text.clone();
                                                view! { <span class="rating num">{e.rating} "/5"</span> " " <span>{move || text.get(is_zh(i18n)).to_string()}</span> }
                                            })}
                                            {can_edit.then(|| {
                                                let key = key.clone();
                                                let code = code.clone();
                                                view! { <div><button type="button" class="btn btn-small btn-ghost" aria-label=move || format!("{} {}", t_string!(i18n, growth.edit_cell), code) on:click=move |_| selected.set(Some(key.clone()))>{t!(i18n, common.edit)}</button></div> }
                                            })}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {can_edit.then(|| view! {
            {move || selected.get().and_then(|(l, c)| fw.with_value(|f| f.cell(&l, &c).cloned())).map(|e| view! { <CellEditor expectation=e/> })}
            <FrameworkAdditions track_id=framework.track.id.clone()/>
        })}
    }
}

#[component]
fn CellEditor(expectation: crate::growth::model::Expectation) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SaveExpectation>::new();
    let error = action_error(action);
    let en = RwSignal::new(expectation.text.en.clone());
    let zh = RwSignal::new(expectation.text.zh.clone());
    let rating = RwSignal::new(expectation.rating.to_string());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let level = StoredValue::new(expectation.level_id.clone());
    let comp = StoredValue::new(expectation.competency_id.clone());
    let version = expectation.version;
    let ratings = Signal::derive(|| {
        (1..=5)
            .map(|n| (n.to_string(), n.to_string()))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card section">
            <h2>{t!(i18n, growth.edit_cell)}</h2>
            <form id="cell-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SaveExpectation { level_id: level.get_value(), competency_id: comp.get_value(), version, text_en: en.get_untracked(), text_zh: zh.get_untracked(), rating: rating.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="cell-form" name="rating" value=rating options=ratings error>{t!(i18n, growth.expected_rating)}</SelectField>
                <TextField form="cell-form" name="text_en" value=en error>{t!(i18n, growth.text_en)}</TextField>
                <TextField form="cell-form" name="text_zh" value=zh error>{t!(i18n, growth.text_zh)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="save-cell">{t!(i18n, common.save)}</button></div>
            </form>
        </section>
    }
}

#[component]
fn FrameworkAdditions(track_id: String) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let add_comp = ServerAction::<AddCompetency>::new();
    let comp_error = action_error(add_comp);
    let add_level = ServerAction::<AddLevel>::new();
    let level_error = action_error(add_level);
    let key = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let zh = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let comp_id = RwSignal::new(new_id());
    let level_id = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add_comp.value().get() {
            key.set(String::new());
            en.set(String::new());
            zh.set(String::new());
            comp_id.set(new_id());
            reload.bump();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add_level.value().get() {
            code.set(String::new());
            level_id.set(new_id());
            reload.bump();
        }
    });
    let track = StoredValue::new(track_id);
    view! {
        <div class="grid two framework-additions">
            <section class="card">
                <h2>{t!(i18n, growth.add_competency)}</h2>
                <form id="competency-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add_comp.dispatch(AddCompetency { id: comp_id.get_untracked(), track_id: track.get_value(), key: key.get_untracked(), name_en: en.get_untracked(), name_zh: zh.get_untracked() });
                }>
                    <FormAlert error=comp_error/>
                    <TextField form="competency-form" name="key" value=key error=comp_error>{t!(i18n, growth.competency_key)}</TextField>
                    <TextField form="competency-form" name="name_en" value=en error=comp_error>{t!(i18n, growth.name_en)}</TextField>
                    <TextField form="competency-form" name="name_zh" value=zh error=comp_error>{t!(i18n, growth.name_zh)}</TextField>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.add_competency)}</button>
                </form>
            </section>
            <section class="card">
                <h2>{t!(i18n, growth.add_level)}</h2>
                <form id="level-add-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add_level.dispatch(AddLevel { id: level_id.get_untracked(), track_id: track.get_value(), code: code.get_untracked() });
                }>
                    <FormAlert error=level_error/>
                    <TextField form="level-add-form" name="code" value=code error=level_error>{t!(i18n, growth.level_code)}</TextField>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.add_level)}</button>
                </form>
            </section>
        </div>
    }
}
