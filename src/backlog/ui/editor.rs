//! Scoring a requirement and moving it along its lifecycle.
use super::*;
use crate::backlog::api::{ChangeStatus, ScoreRequirement};
use crate::backlog::model::{Framework, RequirementRow, Status};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, focus_first_invalid};
use crate::ui::page::use_reload;
use leptos::prelude::*;

#[component]
pub fn RequirementEditor(row: RequirementRow, framework: Framework) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let score = ServerAction::<ScoreRequirement>::new();
    let change = ServerAction::<ChangeStatus>::new();
    let form_id: &'static str = "score-form";
    let draft = ScoreDraft::new(framework, row.score_input.as_ref());

    let error = Signal::derive(move || {
        score
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| change.value().get().and_then(|r| r.err()))
    });
    focus_first_invalid(form_id, error);
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(score.value().get(), Some(Ok(_))),
            matches!(change.value().get(), Some(Ok(_))),
        );
        if first || second {
            reload.bump();
        }
    });
    let version = row.version;
    let rid = row.id.clone();
    let draft_json = draft.clone();
    let submit_score = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        score.dispatch(ScoreRequirement {
            id: rid.clone(),
            version,
            input: draft_json.to_json(),
        });
    };
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let rid2 = row.id.clone();
    let from = row.status;
    let submit_status = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangeStatus {
            id: rid2.clone(),
            version,
            status: to.get_untracked(),
            reason: reason.get_untracked(),
            duplicate_of: String::new(),
        });
    };
    view! {
        <div class="req-editor">
            <form id=form_id class="form-row" novalidate on:submit=submit_score>
                <FormAlert error/>
                <ScoreFields form=form_id draft error/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{t!(i18n, backlog.save_score)}</button>
                    {row.score_input.as_ref().and_then(|i| i.explain().ok()).map(|e| view! { <span class="muted small" data-testid="why">{e}</span> })}
                </div>
            </form>
            <form id="status-form" class="form-row" novalidate on:submit=submit_status>
                <SelectField
                    form="status-form"
                    name="status"
                    value=to
                    error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        let mut v = vec![(String::new(), status_label(l, from).to_string())];
                        v.extend(Status::ALL.iter().filter(|s| from.can_move_to(**s) && !matches!(**s, Status::Duplicate | Status::Withdrawn)).map(|s| (s.as_str().to_string(), status_label(l, *s).to_string())));
                        v
                    })
                >
                    {t!(i18n, backlog.state)}
                </SelectField>
                <Show when=move || Status::parse(&to.get()).is_some_and(|t| from.needs_reason(t))>
                    <TextField form="status-form" name="reason" value=reason error>{t!(i18n, backlog.reason)}</TextField>
                </Show>
                {(from == Status::Done).then(|| view! { <p class="muted small">{t!(i18n, backlog.reopen_hint)}</p> })}
                <div class="form-actions">
                    <button type="submit" class="btn">{t!(i18n, backlog.save_state)}</button>
                </div>
            </form>
        </div>
    }
}
