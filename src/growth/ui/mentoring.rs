//! `/growth/mentoring`: mentoring pairs with their goals and meeting log;
//! ended pairs stay, listed apart with the day they ended.
use super::parts::GrowthTabs;
use crate::growth::api::{CreateMentorship, EndMentorship, LogMeeting, load_mentoring};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, action_error, error_text};
use crate::ui::icons::Icon;
use crate::ui::new_id;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

/// `/growth/mentoring`: mentoring pairs with goals and their meeting log.
#[component]
pub fn GrowthMentoringPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    // Outside the reloaded view: the note outlives the reload it causes.
    let ended = RwSignal::new(None::<String>);
    let data = page_resource(move || reload.get(), |_| load_mentoring());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.mentoring_title).to_string())/>
        <GrowthTabs current="mentoring"/>
        <div data-testid="pair-ended-note">
            <SuccessNote show=Signal::derive(move || ended.with(|e| e.is_some()))>
                {move || ended.get().map(|names| view! { {t!(i18n, growth.pair_ended_note)} " " {names} })}
            </SuccessNote>
        </div>
        <PageScaffold data=data let:m>
            {{
                        let today = m.today.clone();
                        let can_pair = !m.mentees.is_empty();
                        let (past, active): (Vec<_>, Vec<_>) = m.pairs.into_iter().partition(|p| p.ended_on.is_some());
                        view! {
                            {active.is_empty().then(|| view! {
                                <div class="empty-state">
                                    <span class="empty-icon"><Icon name="users"/></span>
                                    <h2>{t!(i18n, growth.no_pairs)}</h2>
                                </div>
                            })}
                            <div class="grid two">
                                {active.into_iter().map(|p| view! { <PairCard mentorship=p today=today.clone() ended/> }).collect_view()}
                            </div>
                            {(!past.is_empty()).then(|| view! {
                                <section class="section" aria-labelledby="ended-pairs-title" data-testid="ended-pairs">
                                    <h2 id="ended-pairs-title">{t!(i18n, growth.ended_pairs)}</h2>
                                    <div class="grid two">
                                        {past.into_iter().map(|p| view! { <PairCard mentorship=p today=today.clone() ended/> }).collect_view()}
                                    </div>
                                </section>
                            })}
                            {can_pair.then(|| view! { <NewPairForm mentors=m.mentors.clone() mentees=m.mentees.clone()/> })}
                        }.into_any()
                    }}
        </PageScaffold>
    }
}

#[component]
fn PairCard(
    mentorship: crate::growth::model::Mentorship,
    today: String,
    ended: RwSignal<Option<String>>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<LogMeeting>::new();
    let error = action_error(action);
    let end = ServerAction::<EndMentorship>::new();
    let end_error = action_error(end);
    let names = StoredValue::new(format!(
        "{} → {}",
        mentorship.mentor_name, mentorship.mentee_name
    ));
    Effect::new(move |_| {
        if let Some(Ok(_)) = end.value().get() {
            ended.set(Some(names.get_value()));
            reload.bump();
        }
    });
    let pair = StoredValue::new(mentorship.id.clone());
    let version = mentorship.version;
    let on_end = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            growth.end_pair_confirm
        )) {
            ended.set(None);
            end.dispatch(EndMentorship {
                id: pair.get_value(),
                version,
            });
        }
    };
    let active = mentorship.ended_on.is_none();
    let day = RwSignal::new(today);
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            note.set(String::new());
            pending.set(new_id());
            reload.bump();
        }
    });
    let fid = format!("meeting-{}", mentorship.id);
    let fid2 = fid.clone();
    let msg = move |name: &'static str| {
        let fid = fid2.clone();
        view! {
            <p class="field-msg" id=format!("{fid}-{name}-msg")>
                {move || error.get().filter(|e| e.is_for(name)).map(|e| view! { <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span> })}
            </p>
        }
    };
    view! {
        <section class="card" data-testid="pair" data-ended=(!active).to_string()>
            <h2>{mentorship.mentor_name.clone()} " → " <a href=format!("/growth/people/{}", mentorship.mentee_id)>{mentorship.mentee_name.clone()}</a></h2>
            {mentorship.ended_on.clone().map(|day| view! {
                <p data-testid="pair-ended">
                    <span class="badge badge-muted"><Icon name="clock"/>{t!(i18n, growth.pair_ended)}</span>
                    " " <span class="num">{day}</span>
                    {mentorship.ended_by.clone().map(|by| view! { " · " <span class="muted small">{by}</span> })}
                </p>
            })}
            <p><strong>{t!(i18n, growth.pair_goals)}</strong> ": " {mentorship.goals.clone()}</p>
            <h3>{t!(i18n, growth.meetings)}</h3>
            {if mentorship.meetings.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_meetings)}</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-log">
                        {mentorship.meetings.iter().map(|m| view! {
                            <li data-testid="meeting"><span class="num">{m.day.clone()}</span> " · " <span class="muted small">{m.author_name.clone()}</span><br/>{m.note.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {mentorship.can_end.then(|| view! {
                <div class="form-actions">
                    <button type="button" class="btn btn-small btn-danger" data-testid="end-pair" on:click=on_end>{t!(i18n, growth.end_pair)}</button>
                </div>
                <FormAlert error=end_error/>
            })}
            {active.then(|| view! {
            <details>
                <summary class="summary-button">{t!(i18n, growth.log_meeting)}</summary>
                <form class="subform" id=fid.clone() on:submit=move |ev| {
                    ev.prevent_default();
                    action.dispatch(LogMeeting { id: pending.get_untracked(), mentorship_id: pair.get_value(), day: day.get_untracked(), note: note.get_untracked() });
                }>
                    <FormAlert error/>
                    <div class="field">
                        <label for=format!("{fid}-day")>{t!(i18n, growth.meeting_day)}</label>
                        <input id=format!("{fid}-day") type="date" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                        {msg("day")}
                    </div>
                    <div class="field">
                        <label for=format!("{fid}-note")>{t!(i18n, growth.meeting_note)}</label>
                        <textarea id=format!("{fid}-note") rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        {msg("note")}
                    </div>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.log_meeting)}</button>
                </form>
            </details>
            })}
        </section>
    }
}

#[component]
fn NewPairForm(mentors: Vec<(String, String)>, mentees: Vec<(String, String)>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<CreateMentorship>::new();
    let error = action_error(action);
    let mentor = RwSignal::new(String::new());
    let mentee = RwSignal::new(String::new());
    let goals = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            goals.set(String::new());
            pending.set(new_id());
            reload.bump();
        }
    });
    let with_blank = |v: Vec<(String, String)>| {
        let mut o = vec![(String::new(), "—".to_string())];
        o.extend(v);
        o
    };
    let mentors = with_blank(mentors);
    let mentees = with_blank(mentees);
    view! {
        <section class="card section" aria-labelledby="new-pair-title">
            <h2 id="new-pair-title">{t!(i18n, growth.new_pair)}</h2>
            <form id="pair-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(CreateMentorship { id: pending.get_untracked(), mentor_id: mentor.get_untracked(), mentee_id: mentee.get_untracked(), goals: goals.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="pair-form" name="mentor_id" value=mentor options=Signal::derive(move || mentors.clone()) error>{t!(i18n, growth.mentor)}</SelectField>
                <SelectField form="pair-form" name="mentee_id" value=mentee options=Signal::derive(move || mentees.clone()) error>{t!(i18n, growth.mentee)}</SelectField>
                <TextField form="pair-form" name="goals" value=goals error>{t!(i18n, growth.pair_goals)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.new_pair)}</button></div>
            </form>
        </section>
    }
}
