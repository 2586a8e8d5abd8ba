//! `/surveys/new`: a round from templates for teams the caller may survey.
use super::parts::{pulse_options, theme_label, visibility_options};
use crate::i18n::*;
use crate::surveys::api::{CreateRound, new_round_options};
use crate::surveys::model::Theme;
use crate::ui::form::{
    FormAlert, SelectField, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::new_id;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// `/surveys/new`: a round from templates for teams the caller may survey.
#[component]
pub fn NewRoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = page_resource(|| (), |_| new_round_options());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, surveys.new_round).to_string())/>
        <PageScaffold data let:o><NewRoundForm options=o/></PageScaffold>
    }
}

#[component]
fn NewRoundForm(options: crate::surveys::model::NewRoundForm) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateRound>::new();
    let error = action_error(action);
    let title = RwSignal::new(String::new());
    let themes = RwSignal::new(vec!["engagement".to_string()]);
    let teams = RwSignal::new(Vec::<String>::new());
    let opens = RwSignal::new(options.opens.clone());
    let closes = RwSignal::new(options.closes.clone());
    let pulse = RwSignal::new("none".to_string());
    let visibility = RwSignal::new("private".to_string());
    let k = RwSignal::new("5".to_string());
    let comment_min = RwSignal::new("5".to_string());
    let support = RwSignal::new(String::new());
    let pending = new_id();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/surveys/{id}"), Default::default());
        }
    });
    focus_first_invalid("round-form", error);
    let pulses = pulse_options(false);
    let visibilities = visibility_options();
    let checks = move |field: &'static str,
                       list: RwSignal<Vec<String>>,
                       items: Vec<(String, String, u32)>| {
        view! {
            <fieldset class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(field)))
                aria-describedby=format!("round-form-{field}-msg")>
                <legend>{move || if field == "themes" { t_string!(i18n, surveys.templates) } else { t_string!(i18n, surveys.teams) }}</legend>
                {items.into_iter().map(|(id, name, depth)| {
                    let id2 = id.clone();
                    view! {
                        <label class="check" style=format!("padding-left: {}rem", depth as f32 * 1.25)>
                            <input type="checkbox" name=field value=id.clone() prop:checked=move || list.with(|v| v.contains(&id)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                list.update(|v| { v.retain(|x| *x != id2); if on { v.push(id2.clone()); } });
                            }/>
                            {name}
                        </label>
                    }
                }).collect_view()}
                <p class="field-msg" id=format!("round-form-{field}-msg")>{move || error.get().filter(|e| e.is_for(field)).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
            </fieldset>
        }
    };
    let theme_items = Signal::derive(move || {
        Theme::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    theme_label(i18n.get_locale(), *t).to_string(),
                    0,
                )
            })
            .collect::<Vec<_>>()
    });
    let can_set_k = options.can_set_k;
    view! {
        <form id="round-form" class="card section form-grid" on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(CreateRound {
                id: pending.clone(), title: title.get_untracked(), themes: themes.get_untracked(), teams: teams.get_untracked(),
                opens: opens.get_untracked(), closes: closes.get_untracked(), pulse: pulse.get_untracked(), visibility: visibility.get_untracked(),
                k: k.get_untracked(), comment_min: comment_min.get_untracked(), support_note: support.get_untracked(),
            });
        }>
            <FormAlert error/>
            <TextField form="round-form" name="title" value=title error>{t!(i18n, surveys.round_title)}</TextField>
            {move || checks("themes", themes, theme_items.get())}
            {checks("teams", teams, options.teams.clone())}
            <TextField form="round-form" name="opens" kind="datetime-local" value=opens error>{t!(i18n, surveys.opens)}</TextField>
            <TextField form="round-form" name="closes" kind="datetime-local" value=closes error>{t!(i18n, surveys.closes_label)}</TextField>
            <SelectField form="round-form" name="pulse" value=pulse options=pulses error>{t!(i18n, surveys.repeat)}</SelectField>
            <SelectField form="round-form" name="visibility" value=visibility options=visibilities error>{t!(i18n, surveys.visibility_label)}</SelectField>
            {can_set_k.then(|| view! {
                <TextField form="round-form" name="k" kind="number" value=k error hint=Signal::derive(move || t_string!(i18n, surveys.k_hint).to_string())>{t!(i18n, surveys.k_label)}</TextField>
                <TextField form="round-form" name="comment_min" kind="number" value=comment_min error>{t!(i18n, surveys.comment_min_label)}</TextField>
            })}
            <TextField form="round-form" name="support_note" value=support error hint=Signal::derive(move || t_string!(i18n, surveys.support_note_hint).to_string())>{t!(i18n, surveys.support_note)}</TextField>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="create-round" disabled=move || action.pending().get()>{t!(i18n, surveys.create_round)}</button>
            </div>
        </form>
    }
}
