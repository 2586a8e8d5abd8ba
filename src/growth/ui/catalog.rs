//! `/growth/catalog`: learning resources; leaders and admins add to it,
//! admins edit and retire entries (a retired one stays where plans use it).
use super::parts::{
    GrowthTabs, RetiredBadge, focus_by_id, kind_label, kind_options, money, name_of,
};
use crate::error::AppError;
use crate::growth::api::{
    CreateCatalogEntry, RetireCatalogEntry, UpdateCatalogEntry, load_catalog,
};
use crate::growth::model::{CatalogEntry, Competency, choosable, money_input};
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use crate::ui::pager::{FilterSelect, ListSearch, Pager, list_href, query_offset, query_value};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;

/// `/growth/catalog`: learning resources; leaders and admins add to it.
#[component]
pub fn GrowthCatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    // Outside the reloaded view: the notes outlive the reload they cause.
    let saved = RwSignal::new(false);
    let edited = RwSignal::new(None::<String>);
    let q = query_value("q");
    let competency = query_value("competency");
    let kind = query_value("kind");
    let offset = query_offset();
    let data = page_resource(
        move || {
            (
                reload.get(),
                q.get(),
                competency.get(),
                kind.get(),
                offset.get(),
            )
        },
        |(_, q, competency, kind, offset)| load_catalog(q, competency, kind, offset),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.catalog_title).to_string())/>
        <GrowthTabs current="catalog"/>
        <div data-testid="catalog-saved">
            <SuccessNote show=Signal::derive(move || edited.with(|e| e.is_some()))>{move || edited.get()}</SuccessNote>
        </div>
        <PageScaffold data=data let:c>
            {{
                        let comps = StoredValue::new(c.competencies.clone());
                        let entries = StoredValue::new(c.entries.clone());
                        let cur = c.currency.clone();
                        let can_edit = c.can_edit;
                        let editing = RwSignal::new(None::<String>);
                        let filtered = [q, competency, kind].iter().any(|v| !v.get_untracked().is_empty());
                        let (offset, total, shown) = (c.offset, c.total, c.entries.len());
                        let href_of = Callback::new(move |o: i64| {
                            list_href("/growth/catalog", &[
                                ("q", q.get_untracked()),
                                ("competency", competency.get_untracked()),
                                ("kind", kind.get_untracked()),
                                ("offset", o.to_string()),
                            ])
                        });
                        let comp_opts = Signal::derive(move || {
                            let mut v = vec![(String::new(), t_string!(i18n, growth.all_competencies).to_string())];
                            v.extend(comps.with_value(|cs| cs.iter().map(|c| (c.id.clone(), c.names.get(is_zh(i18n)).to_string())).collect::<Vec<_>>()));
                            v
                        });
                        let kind_opts = Signal::derive(move || {
                            let mut v = vec![(String::new(), t_string!(i18n, growth.all_kinds).to_string())];
                            v.extend(kind_options(i18n.get_locale()));
                            v
                        });
                        view! {
                            <ListSearch path="/growth/catalog" testid="catalog-search"
                                label=Signal::derive(move || t_string!(i18n, growth.catalog_search).to_string())>
                                <FilterSelect name="competency" options=comp_opts
                                    label=Signal::derive(move || t_string!(i18n, growth.competency).to_string())/>
                                <FilterSelect name="kind" options=kind_opts
                                    label=Signal::derive(move || t_string!(i18n, growth.kind_label).to_string())/>
                            </ListSearch>
                            {(c.entries.is_empty() && !filtered).then(|| view! { <p class="muted">{t!(i18n, growth.catalog_empty)}</p> })}
                            {(c.entries.is_empty() && filtered).then(|| view! { <p class="muted" data-testid="catalog-none-match">{t!(i18n, growth.catalog_none_match)}</p> })}
                            <div class="table-wrap">
                                <table class="table" data-testid="catalog-table">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, growth.item_title)}</th>
                                        <th scope="col">{t!(i18n, growth.kind_label)}</th>
                                        <th scope="col">{t!(i18n, growth.competencies)}</th>
                                        <th scope="col">{t!(i18n, growth.cost)}</th>
                                        <th scope="col">{t!(i18n, growth.language)}</th>
                                        {can_edit.then(|| view! { <th scope="col">{t!(i18n, common.actions)}</th> })}
                                    </tr></thead>
                                    <tbody>
                                        {c.entries.into_iter().map(|e| {
                                            let kind = e.kind;
                                            let ids = e.competencies.clone();
                                            let id = e.id.clone();
                                            let title = e.title.clone();
                                            view! {
                                                <tr data-testid="catalog-row" data-title=e.title.clone() data-retired=e.retired.to_string()>
                                                    <th scope="row">
                                                        {if e.link.is_empty() { view! { {e.title.clone()} }.into_any() } else { view! { <a href=e.link.clone() rel="noopener noreferrer" target="_blank">{e.title.clone()}</a> }.into_any() }}
                                                        {e.retired.then(|| view! { " " <RetiredBadge/> })}
                                                    </th>
                                                    <td>{move || kind_label(i18n.get_locale(), kind)}</td>
                                                    <td>{move || comps.with_value(|cs| ids.iter().map(|id| name_of(cs, id, is_zh(i18n))).collect::<Vec<_>>().join(" · "))}</td>
                                                    <td class="num">{money(e.cost, &cur)}</td>
                                                    <td>{e.language.to_uppercase()}</td>
                                                    {can_edit.then(|| view! {
                                                        <td>
                                                            <button type="button" class="btn btn-small" data-testid="edit-resource"
                                                                aria-label=move || format!("{} {}", t_string!(i18n, common.edit), title)
                                                                on:click=move |_| {
                                                                    editing.set(Some(id.clone()));
                                                                    focus_by_id("catalog-edit-title".into());
                                                                }>
                                                                {t!(i18n, common.edit)}
                                                            </button>
                                                        </td>
                                                    })}
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {(total > 0).then(|| view! { <Pager offset shown total href_of testid="catalog-pager"/> })}
                            {move || editing.get().and_then(|id| entries.with_value(|es| es.iter().find(|e| e.id == id).cloned())).map(|entry| view! {
                                <CatalogEditor entry competencies=comps.get_value() edited close=editing/>
                            })}
                            {c.can_add.then(|| view! { <NewCatalogForm competencies=c.competencies.clone() saved/> })}
                        }.into_any()
                    }}
        </PageScaffold>
    }
}

/// Checkboxes for an entry's competencies: those in use, and those the entry
/// already has (`held`) even when retired.
#[component]
fn CompetencyChecks(
    form_id: &'static str,
    competencies: Vec<Competency>,
    chosen: RwSignal<Vec<String>>,
    held: Vec<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("competencies")))>
            <legend>{t!(i18n, growth.competencies)}</legend>
            {competencies.into_iter().filter(|c| choosable(c.retired, held.contains(&c.id))).map(|c| {
                let id = c.id.clone();
                let id2 = c.id.clone();
                let names = c.names.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || chosen.with(|v| v.contains(&id)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|v| { v.retain(|x| *x != id2); if on { v.push(id2.clone()); } });
                        }/>
                        {move || names.get(is_zh(i18n)).to_string()}
                        {c.retired.then(|| view! { " " <RetiredBadge/> })}
                    </label>
                }
            }).collect_view()}
            <p class="field-msg" id=format!("{form_id}-competencies-msg")>{move || error.get().filter(|e| e.is_for("competencies")).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
        </fieldset>
    }
}

fn language_options() -> Vec<(String, String)> {
    vec![
        ("en".to_string(), "English".to_string()),
        ("zh".to_string(), "中文".to_string()),
    ]
}

#[component]
fn NewCatalogForm(competencies: Vec<Competency>, saved: RwSignal<bool>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<CreateCatalogEntry>::new();
    let error = action_error(action);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("course".to_string());
    let link = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let language = RwSignal::new(
        if i18n.get_locale_untracked() == Locale::zh {
            "zh"
        } else {
            "en"
        }
        .to_string(),
    );
    let chosen = RwSignal::new(Vec::<String>::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            title.set(String::new());
            link.set(String::new());
            cost.set(String::new());
            chosen.set(Vec::new());
            pending.set(new_id());
            saved.set(true);
            reload.bump();
        }
    });
    focus_first_invalid("catalog-form", error);
    view! {
        <section class="card section" aria-labelledby="new-catalog-title">
            <h2 id="new-catalog-title">{t!(i18n, growth.add_resource)}</h2>
            <form id="catalog-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                action.dispatch(CreateCatalogEntry { id: pending.get_untracked(), title: title.get_untracked(), kind: kind.get_untracked(), competencies: chosen.get_untracked(), link: link.get_untracked(), cost: cost.get_untracked(), language: language.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="catalog-form" name="title" value=title error>{t!(i18n, growth.item_title)}</TextField>
                <SelectField form="catalog-form" name="kind" value=kind options=Signal::derive(move || kind_options(i18n.get_locale())) error>{t!(i18n, growth.kind_label)}</SelectField>
                <CompetencyChecks form_id="catalog-form" competencies chosen held=Vec::new() error/>
                <TextField form="catalog-form" name="link" kind="url" value=link error>{t!(i18n, growth.link)}</TextField>
                <TextField form="catalog-form" name="cost" value=cost error>{t!(i18n, growth.cost)}</TextField>
                <SelectField form="catalog-form" name="language" value=language options=Signal::derive(language_options) error>{t!(i18n, growth.language)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="add-resource">{t!(i18n, growth.add_resource)}</button>
                </div>
                <SuccessNote show=saved>{t!(i18n, growth.resource_added)}</SuccessNote>
            </form>
        </section>
    }
}

/// An admin's edit of one entry, with retiring it (asked once) or offering
/// it again.
#[component]
fn CatalogEditor(
    entry: CatalogEntry,
    competencies: Vec<Competency>,
    edited: RwSignal<Option<String>>,
    close: RwSignal<Option<String>>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let update = ServerAction::<UpdateCatalogEntry>::new();
    let retire = ServerAction::<RetireCatalogEntry>::new();
    let error = action_error(update);
    let retire_error = action_error(retire);
    let title = RwSignal::new(entry.title.clone());
    let kind = RwSignal::new(entry.kind.as_str().to_string());
    let link = RwSignal::new(entry.link.clone());
    let cost = RwSignal::new(money_input(entry.cost));
    let language = RwSignal::new(entry.language.clone());
    let chosen = RwSignal::new(entry.competencies.clone());
    let retired = entry.retired;
    Effect::new(move |_| {
        // Both read, so that the effect follows each action.
        let done = [
            matches!(update.value().get(), Some(Ok(_))),
            matches!(retire.value().get(), Some(Ok(_))),
        ];
        if done.contains(&true) {
            let locale = i18n.get_locale_untracked();
            let message = if done[0] {
                td_string!(locale, growth.resource_saved)
            } else if retired {
                td_string!(locale, growth.note_restored)
            } else {
                td_string!(locale, growth.note_retired)
            };
            edited.set(Some(format!("{message} {}", title.get_untracked())));
            reload.bump();
            close.set(None);
        }
    });
    focus_first_invalid("catalog-edit", error);
    let id = StoredValue::new(entry.id.clone());
    let version = entry.version;
    let on_retire = move |_| {
        if retired
            || crate::ui::confirm(td_string!(
                i18n.get_locale_untracked(),
                growth.retire_resource_confirm
            ))
        {
            retire.dispatch(RetireCatalogEntry {
                id: id.get_value(),
                version,
                retired: !retired,
            });
        }
    };
    view! {
        <section class="card section" aria-labelledby="edit-catalog-title" data-testid="catalog-editor">
            <h2 id="edit-catalog-title">{t!(i18n, growth.edit_resource)} ": " {entry.title.clone()} {retired.then(|| view! { " " <RetiredBadge/> })}</h2>
            <form id="catalog-edit" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                edited.set(None);
                update.dispatch(UpdateCatalogEntry { id: id.get_value(), version, title: title.get_untracked(), kind: kind.get_untracked(), competencies: chosen.get_untracked(), link: link.get_untracked(), cost: cost.get_untracked(), language: language.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="catalog-edit" name="title" value=title error>{t!(i18n, growth.item_title)}</TextField>
                <SelectField form="catalog-edit" name="kind" value=kind options=Signal::derive(move || kind_options(i18n.get_locale())) error>{t!(i18n, growth.kind_label)}</SelectField>
                <CompetencyChecks form_id="catalog-edit" competencies chosen held=entry.competencies.clone() error/>
                <TextField form="catalog-edit" name="link" kind="url" value=link error>{t!(i18n, growth.link)}</TextField>
                <TextField form="catalog-edit" name="cost" value=cost error>{t!(i18n, growth.cost)}</TextField>
                <SelectField form="catalog-edit" name="language" value=language options=Signal::derive(language_options) error>{t!(i18n, growth.language)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-resource">{t!(i18n, growth.save_resource)}</button>
                    <button type="button" class=if retired { "btn" } else { "btn btn-danger" } data-testid="retire-resource" on:click=on_retire>
                        {move || if retired { t_string!(i18n, growth.restore) } else { t_string!(i18n, growth.retire) }}
                    </button>
                    <button type="button" class="btn btn-ghost" on:click=move |_| close.set(None)>{t!(i18n, common.cancel)}</button>
                </div>
                <FormAlert error=retire_error/>
            </form>
        </section>
    }
}
