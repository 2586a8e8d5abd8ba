//! The framework page's admin edits of a track's parts: adding a track, and
//! renaming, reordering (buttons or Alt+↑/↓) and retiring competencies and
//! levels. Retiring asks once; a retired part can be put back in use.
use super::framework::FrameworkNote;
use super::parts::{RetiredBadge, focus_by_id};
use crate::growth::api::{
    AddTrack, MoveCompetency, MoveLevel, RenameCompetency, RenameLevel, RetireCompetency,
    RetireLevel,
};
use crate::growth::model::{Competency, Framework, Level};
use crate::i18n::*;
use crate::ui::form::{FormAlert, TextField, action_error, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::use_reload;
use crate::ui::{is_zh, new_id, url_encode};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// A new track, shown once it is made.
#[component]
pub(super) fn AddTrackForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let action = ServerAction::<AddTrack>::new();
    let error = action_error(action);
    let en = RwSignal::new(String::new());
    let zh = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            en.set(String::new());
            zh.set(String::new());
            pending.set(new_id());
            navigate(
                &format!("/growth/framework?track={}", url_encode(&id)),
                Default::default(),
            );
        }
    });
    focus_first_invalid("track-form", error);
    view! {
        <details class="subform" data-testid="add-track">
            <summary class="summary-button">{t!(i18n, growth.add_track)}</summary>
            <form id="track-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(AddTrack { id: pending.get_untracked(), name_en: en.get_untracked(), name_zh: zh.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="track-form" name="name_en" value=en error>{t!(i18n, growth.track_name_en)}</TextField>
                <TextField form="track-form" name="name_zh" value=zh error>{t!(i18n, growth.track_name_zh)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.add_track)}</button></div>
            </form>
        </details>
    }
}

/// The track's competencies and levels in their order, each with its edits.
#[component]
pub(super) fn PartList(framework: Framework) -> impl IntoView {
    let i18n = use_i18n();
    let comps = framework.competencies.clone();
    let levels = framework.levels.clone();
    let (nc, nl) = (comps.len(), levels.len());
    view! {
        <div class="grid two framework-additions">
            <section class="card" aria-labelledby="competency-list-title">
                <h2 id="competency-list-title">{t!(i18n, growth.competencies)}</h2>
                <p class="muted small">{t!(i18n, growth.reorder_hint)}</p>
                <ol class="plain-list part-list" data-testid="competency-list">
                    {comps.into_iter().enumerate().map(|(i, c)| view! { <CompetencyItem c first=i == 0 last=i + 1 == nc/> }).collect_view()}
                </ol>
            </section>
            <section class="card" aria-labelledby="level-list-title">
                <h2 id="level-list-title">{t!(i18n, growth.levels)}</h2>
                <p class="muted small">{t!(i18n, growth.level_order_hint)}</p>
                <ol class="plain-list part-list" data-testid="level-list">
                    {levels.into_iter().enumerate().map(|(i, l)| view! { <LevelItem l first=i == 0 last=i + 1 == nl/> }).collect_view()}
                </ol>
            </section>
        </div>
    }
}

/// Which part a row edits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Competency,
    Level,
}

#[component]
fn CompetencyItem(c: Competency, first: bool, last: bool) -> impl IntoView {
    let i18n = use_i18n();
    let names = c.names.clone();
    let name = c
        .names
        .get(i18n.get_locale_untracked() == Locale::zh)
        .to_string();
    view! {
        <PartRow part=Part::Competency id=c.id.clone() version=c.version name retired=c.retired first last>
            <span class="part-name">{move || names.get(is_zh(i18n)).to_string()}</span>
            " " <span class="muted small">{c.key.clone()}</span>
            {c.retired.then(|| view! { " " <RetiredBadge/> })}
            <RenameCompetencyForm c=c.clone()/>
        </PartRow>
    }
}

#[component]
fn LevelItem(l: Level, first: bool, last: bool) -> impl IntoView {
    view! {
        <PartRow part=Part::Level id=l.id.clone() version=l.version name=l.code.clone() retired=l.retired first last>
            <span class="part-name">{l.code.clone()}</span>
            {l.retired.then(|| view! { " " <RetiredBadge/> })}
            <RenameLevelForm l=l.clone()/>
        </PartRow>
    }
}

/// One competency or level: what it shows (`children`), then its move and
/// retire buttons. After a change the page reloads; the button used gets
/// the focus back, and the change is announced.
#[component]
fn PartRow(
    part: Part,
    id: String,
    version: i64,
    name: String,
    retired: bool,
    first: bool,
    last: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let note = expect_context::<FrameworkNote>();
    let move_c = ServerAction::<MoveCompetency>::new();
    let move_l = ServerAction::<MoveLevel>::new();
    let retire_c = ServerAction::<RetireCompetency>::new();
    let retire_l = ServerAction::<RetireLevel>::new();
    // What the last action was, to announce it: (message key, control id).
    let last_used = StoredValue::new((String::new(), String::new()));
    let error = Signal::derive(move || {
        [
            move_c.value().get().and_then(|r| r.err()),
            move_l.value().get().and_then(|r| r.err()),
            retire_c.value().get().and_then(|r| r.err()),
            retire_l.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    let shown_name = StoredValue::new(name);
    Effect::new(move |_| {
        // Every action read, so that the effect follows each one.
        let done = [
            matches!(move_c.value().get(), Some(Ok(_))),
            matches!(move_l.value().get(), Some(Ok(_))),
            matches!(retire_c.value().get(), Some(Ok(_))),
            matches!(retire_l.value().get(), Some(Ok(_))),
        ];
        if done.contains(&true) {
            let (message, control) = last_used.get_value();
            note.saved
                .set(Some(format!("{message} {}", shown_name.get_value())));
            note.refocus.set(Some(control));
            reload.bump();
        }
    });
    let up_id = format!("up-{id}");
    let down_id = format!("down-{id}");
    let retire_id = format!("retire-{id}");
    // The control used before the reload that made this row gets the focus.
    if let Some(target) = note.refocus.get_untracked() {
        if [&up_id, &down_id, &retire_id].contains(&&target) {
            note.refocus.set(None);
            focus_by_id(target);
        }
    }
    let key = StoredValue::new(id);
    let do_move = move |up: bool| {
        if (up && first) || (!up && last) {
            return;
        }
        let (id, control) = (key.get_value(), if up { "up" } else { "down" });
        let message = td_string!(i18n.get_locale_untracked(), growth.note_moved);
        last_used.set_value((message.to_string(), format!("{control}-{id}")));
        let direction = control.to_string();
        match part {
            Part::Competency => move_c.dispatch(MoveCompetency {
                id,
                version,
                direction,
            }),
            Part::Level => move_l.dispatch(MoveLevel {
                id,
                version,
                direction,
            }),
        };
    };
    let on_retire = move |_| {
        let locale = i18n.get_locale_untracked();
        if !retired && !crate::ui::confirm(td_string!(locale, growth.retire_confirm)) {
            return;
        }
        let id = key.get_value();
        let message = if retired {
            td_string!(locale, growth.note_restored)
        } else {
            td_string!(locale, growth.note_retired)
        };
        last_used.set_value((message.to_string(), format!("retire-{id}")));
        match part {
            Part::Competency => retire_c.dispatch(RetireCompetency {
                id,
                version,
                retired: !retired,
            }),
            Part::Level => retire_l.dispatch(RetireLevel {
                id,
                version,
                retired: !retired,
            }),
        };
    };
    let label = move |what: &'static str| {
        let locale = i18n.get_locale();
        let verb = match what {
            "up" => td_string!(locale, growth.move_up),
            "down" => td_string!(locale, growth.move_down),
            _ if retired => td_string!(locale, growth.restore),
            _ => td_string!(locale, growth.retire),
        };
        format!("{verb}: {}", shown_name.get_value())
    };
    view! {
        <li class="part-item" data-testid="part-item" data-name=shown_name.get_value() data-retired=retired.to_string()>
            <div class="part-head">{children()}</div>
            <div class="part-actions" on:keydown=move |ev| {
                if ev.alt_key() && (ev.key() == "ArrowUp" || ev.key() == "ArrowDown") {
                    ev.prevent_default();
                    do_move(ev.key() == "ArrowUp");
                }
            }>
                <button type="button" id=up_id class="btn btn-small" aria-disabled=first.then_some("true") aria-label=move || label("up") on:click=move |_| do_move(true)>"↑"</button>
                <button type="button" id=down_id class="btn btn-small" aria-disabled=last.then_some("true") aria-label=move || label("down") on:click=move |_| do_move(false)>"↓"</button>
                <button type="button" id=retire_id class=if retired { "btn btn-small" } else { "btn btn-small btn-danger" } data-testid="retire-part" aria-label=move || label("retire") on:click=on_retire>
                    {move || if retired { t_string!(i18n, growth.restore) } else { t_string!(i18n, growth.retire) }}
                </button>
            </div>
            <FormAlert error/>
        </li>
    }
}

#[component]
fn RenameCompetencyForm(c: Competency) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let note = expect_context::<FrameworkNote>();
    let action = ServerAction::<RenameCompetency>::new();
    let error = action_error(action);
    let en = RwSignal::new(c.names.en.clone());
    let zh = RwSignal::new(c.names.zh.clone());
    let form_id = format!("rename-{}", c.id);
    focus_first_invalid(form_id.clone(), error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            let locale = i18n.get_locale_untracked();
            let message = td_string!(locale, growth.note_renamed);
            let name = if locale == Locale::zh {
                zh.get_untracked()
            } else {
                en.get_untracked()
            };
            note.saved.set(Some(format!("{message} {name}")));
            reload.bump();
        }
    });
    let id = StoredValue::new(c.id.clone());
    let version = c.version;
    view! {
        <details class="part-rename">
            <summary class="summary-button small"><Icon name="edit"/>{t!(i18n, growth.rename)}</summary>
            <form id=form_id.clone() class="form-grid subform" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(RenameCompetency { id: id.get_value(), version, name_en: en.get_untracked(), name_zh: zh.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form=form_id.clone() name="name_en" value=en error>{t!(i18n, growth.name_en)}</TextField>
                <TextField form=form_id.clone() name="name_zh" value=zh error>{t!(i18n, growth.name_zh)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.rename)}</button></div>
            </form>
        </details>
    }
}

#[component]
fn RenameLevelForm(l: Level) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let note = expect_context::<FrameworkNote>();
    let action = ServerAction::<RenameLevel>::new();
    let error = action_error(action);
    let code = RwSignal::new(l.code.clone());
    let form_id = format!("rename-{}", l.id);
    focus_first_invalid(form_id.clone(), error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            let message = td_string!(i18n.get_locale_untracked(), growth.note_renamed);
            note.saved.set(Some(format!(
                "{message} {}",
                code.get_untracked().to_uppercase()
            )));
            reload.bump();
        }
    });
    let id = StoredValue::new(l.id.clone());
    let version = l.version;
    view! {
        <details class="part-rename">
            <summary class="summary-button small"><Icon name="edit"/>{t!(i18n, growth.rename)}</summary>
            <form id=form_id.clone() class="form-grid subform" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(RenameLevel { id: id.get_value(), version, code: code.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form=form_id.clone() name="code" value=code error>{t!(i18n, growth.level_code)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.rename)}</button></div>
            </form>
        </details>
    }
}
