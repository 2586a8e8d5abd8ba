//! `/growth/catalog`: learning resources; leaders and admins add to it.
use super::parts::{GrowthTabs, kind_label, kind_options, money, name_of};
use crate::growth::api::{CreateCatalogEntry, load_catalog};
use crate::growth::model::Competency;
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;

/// `/growth/catalog`: learning resources; leaders and admins add to it.
#[component]
pub fn GrowthCatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    // Outside the reloaded view: the "added" note outlives the reload it causes.
    let saved = RwSignal::new(false);
    let data = page_resource(move || reload.get(), |_| load_catalog());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.catalog_title).to_string())/>
        <GrowthTabs current="catalog"/>
        <PageScaffold data=data let:c>
            {{
                        let comps = StoredValue::new(c.competencies.clone());
                        let cur = c.currency.clone();
                        view! {
                            {c.entries.is_empty().then(|| view! { <p class="muted">{t!(i18n, growth.catalog_empty)}</p> })}
                            <div class="table-wrap">
                                <table class="table" data-testid="catalog-table">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, growth.item_title)}</th>
                                        <th scope="col">{t!(i18n, growth.kind_label)}</th>
                                        <th scope="col">{t!(i18n, growth.competencies)}</th>
                                        <th scope="col">{t!(i18n, growth.cost)}</th>
                                        <th scope="col">{t!(i18n, growth.language)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {c.entries.into_iter().map(|e| {
                                            let kind = e.kind;
                                            let ids = e.competencies.clone();
                                            view! {
                                                <tr data-testid="catalog-row">
                                                    <th scope="row">{if e.link.is_empty() { view! { {e.title.clone()} }.into_any() } else { view! { <a href=e.link.clone() rel="noopener noreferrer" target="_blank">{e.title.clone()}</a> }.into_any() }}</th>
                                                    <td>{move || kind_label(i18n.get_locale(), kind)}</td>
                                                    <td>{move || comps.with_value(|cs| ids.iter().map(|id| name_of(cs, id, is_zh(i18n))).collect::<Vec<_>>().join(" · "))}</td>
                                                    <td class="num">{money(e.cost, &cur)}</td>
                                                    <td>{e.language.to_uppercase()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {c.can_add.then(|| view! { <NewCatalogForm competencies=c.competencies.clone() saved/> })}
                        }.into_any()
                    }}
        </PageScaffold>
    }
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
    let langs = Signal::derive(|| {
        vec![
            ("en".to_string(), "English".to_string()),
            ("zh".to_string(), "中文".to_string()),
        ]
    });
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
                <fieldset class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("competencies")))>
                    <legend>{t!(i18n, growth.competencies)}</legend>
                    {competencies.into_iter().map(|c| {
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
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-msg" id="catalog-form-competencies-msg">{move || error.get().filter(|e| e.is_for("competencies")).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
                </fieldset>
                <TextField form="catalog-form" name="link" kind="url" value=link error>{t!(i18n, growth.link)}</TextField>
                <TextField form="catalog-form" name="cost" value=cost error>{t!(i18n, growth.cost)}</TextField>
                <SelectField form="catalog-form" name="language" value=language options=langs error>{t!(i18n, growth.language)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="add-resource">{t!(i18n, growth.add_resource)}</button>
                </div>
                <SuccessNote show=saved>{t!(i18n, growth.resource_added)}</SuccessNote>
            </form>
        </section>
    }
}
