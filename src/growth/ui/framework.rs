//! `/growth/framework`: a track's levels × competencies with expectation and
//! rating; admins add tracks, edit cells, add, rename, reorder and retire
//! levels and competencies (`framework_edit.rs`).
use super::framework_edit::{AddTrackForm, PartList};
use super::parts::{GrowthTabs, RetiredBadge};
use crate::growth::api::{AddCompetency, AddLevel, SaveExpectation, load_framework};
use crate::growth::model::Track;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, action_error};
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use crate::ui::{is_zh, new_id, url_encode};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the framework page's edits announce, and which control gets the
/// focus back once the page has reloaded. Outside the reloaded view, so that
/// both outlive the reload the edit causes.
#[derive(Clone, Copy)]
pub(super) struct FrameworkNote {
    /// What was last changed, as said to the reader ("Moved: Discovery").
    pub(super) saved: RwSignal<Option<String>>,
    /// The id of the control to focus after the reload.
    pub(super) refocus: RwSignal<Option<String>>,
}

/// `/growth/framework`: levels × competencies with expectation and rating;
/// admins edit cells and add, rename, reorder and retire levels and competencies.
#[component]
pub fn GrowthFrameworkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = Reload::provide();
    let note = FrameworkNote {
        saved: RwSignal::new(None),
        refocus: RwSignal::new(None),
    };
    provide_context(note);
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
        <div data-testid="framework-saved">
            <SuccessNote show=Signal::derive(move || note.saved.with(|s| s.is_some()))>
                {move || note.saved.get()}
            </SuccessNote>
        </div>
        <PageScaffold data let:p>
            {
                let current = p.framework.as_ref().map(|f| f.track.id.clone());
                view! {
                    <TrackPicker tracks=p.tracks.clone() current/>
                    {p.can_edit.then(|| view! { <AddTrackForm/> })}
                    {match p.framework {
                        None => view! { <p class="muted">{t!(i18n, growth.no_framework)}</p> }.into_any(),
                        Some(f) => view! { <FrameworkView framework=f can_edit=p.can_edit/> }.into_any(),
                    }}
                }
            }
        </PageScaffold>
    }
}

/// The tracks as links (`?track=`), the shown one marked as the current page.
#[component]
fn TrackPicker(tracks: Vec<Track>, current: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    (tracks.len() > 1).then(|| {
        view! {
            <nav class="tabs" aria-label=move || t_string!(i18n, growth.tracks) data-testid="track-picker">
                {tracks.into_iter().map(|t| {
                    let here = current.as_deref() == Some(t.id.as_str());
                    let names = t.names.clone();
                    view! {
                        <a class="tab" href=format!("/growth/framework?track={}", url_encode(&t.id)) aria-current=here.then_some("page")>
                            {move || names.get(is_zh(i18n)).to_string()}
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    })
}

#[component]
fn FrameworkView(framework: crate::growth::model::Framework, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(None::<(String, String)>);
    let fw = StoredValue::new(framework.clone());
    let track_names = framework.track.names.clone();
    let empty = framework.levels.is_empty() || framework.competencies.is_empty();
    view! {
        <h2>{move || track_names.get(is_zh(i18n)).to_string()}</h2>
        {empty.then(|| view! { <p class="muted" data-testid="framework-empty">{t!(i18n, growth.framework_empty)}</p> })}
        <div class="table-wrap">
            <table class="table" data-testid="framework-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, growth.competency)}</th>
                    {framework.levels.iter().map(|l| view! {
                        <th scope="col" data-testid="level-head">{l.code.clone()} {l.retired.then(|| view! { " " <RetiredBadge/> })}</th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {framework.competencies.iter().map(|c| {
                        let names = c.names.clone();
                        let cid = c.id.clone();
                        view! {
                            <tr data-testid="competency-row" data-key=c.key.clone()>
                                <th scope="row">{move || names.get(is_zh(i18n)).to_string()} {c.retired.then(|| view! { " " <RetiredBadge/> })}</th>
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
            <PartList framework=framework.clone()/>
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
