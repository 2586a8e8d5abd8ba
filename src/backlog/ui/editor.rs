//! Scoring a requirement and moving it along its lifecycle.
use super::*;
use crate::backlog::api::{ChangeStatus, ScoreRequirement};
use crate::backlog::model::{Framework, RequirementRow, Status};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, focus_first_invalid};
use leptos::prelude::*;

#[component]
pub fn RequirementEditor(
    row: RequirementRow,
    framework: Framework,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let score = ServerAction::<ScoreRequirement>::new();
    let change = ServerAction::<ChangeStatus>::new();
    let form_id: &'static str = "score-form";
    // Current inputs as the fields show them: numbers as the scale's options
    // are written ("2", "0.25"), a MoSCoW category by name.
    let current: Vec<(&'static str, String)> = match &row.score_input {
        Some(crate::backlog::model::ScoreInput::Moscow { category }) => vec![(
            "category",
            serde_json::to_value(category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        )],
        Some(input) => input
            .values()
            .into_iter()
            .map(|(f, v)| (f, v.to_string()))
            .collect(),
        None => vec![],
    };
    let fields = framework.fields();
    let values: Vec<(&'static str, Vec<f64>, RwSignal<String>)> = fields
        .into_iter()
        .map(|(f, scale)| {
            let default = current
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| {
                    if f == "category" {
                        "should".to_string()
                    } else {
                        scale.first().map(|x| x.to_string()).unwrap_or_default()
                    }
                });
            (f, scale, RwSignal::new(default))
        })
        .collect();
    let values = StoredValue::new(values);
    let error = Signal::derive(move || {
        score
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| change.value().get().and_then(|r| r.err()))
    });
    focus_first_invalid(form_id, error);
    Effect::new(move |_| {
        if matches!(score.value().get(), Some(Ok(_))) || matches!(change.value().get(), Some(Ok(_)))
        {
            reload.update(|n| *n += 1);
        }
    });
    let version = row.version;
    let rid = row.id.clone();
    let submit_score = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut map = serde_json::Map::new();
        map.insert("framework".into(), framework.as_str().into());
        values.with_value(|vs| {
            for (f, _, v) in vs {
                let raw = v.get_untracked();
                let value = if *f == "category" {
                    serde_json::Value::String(raw)
                } else {
                    raw.trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                };
                map.insert((*f).into(), value);
            }
        });
        score.dispatch(ScoreRequirement {
            id: rid.clone(),
            version,
            input: serde_json::Value::Object(map).to_string(),
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
                {values.with_value(|vs| vs.iter().map(|(f, scale, v)| {
                    let f: &'static str = f;
                    let v = *v;
                    if f == "category" {
                        view! {
                            <SelectField form=form_id name=f value=v error options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                vec![
                                    ("must".to_string(), td_string!(l, backlog.moscow.must).to_string()),
                                    ("should".to_string(), td_string!(l, backlog.moscow.should).to_string()),
                                    ("could".to_string(), td_string!(l, backlog.moscow.could).to_string()),
                                    ("wont".to_string(), td_string!(l, backlog.moscow.wont).to_string()),
                                ]
                            })>{move || field_label(i18n.get_locale(), f)}</SelectField>
                        }.into_any()
                    } else if scale.is_empty() {
                        view! { <TextField form=form_id name=f kind="number" value=v error>{move || field_label(i18n.get_locale(), f)}</TextField> }.into_any()
                    } else {
                        let opts: Vec<(String, String)> = scale.iter().map(|x| (x.to_string(), x.to_string())).collect();
                        view! { <SelectField form=form_id name=f value=v error options=Signal::derive(move || opts.clone())>{move || field_label(i18n.get_locale(), f)}</SelectField> }.into_any()
                    }
                }).collect_view())}
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
                        v.extend(Status::ALL.iter().filter(|s| from.can_move_to(**s) && **s != Status::Duplicate).map(|s| (s.as_str().to_string(), status_label(l, *s).to_string())));
                        v
                    })
                >
                    {t!(i18n, backlog.state)}
                </SelectField>
                <Show when=move || to.get() == "rejected">
                    <TextField form="status-form" name="reason" value=reason error>{t!(i18n, backlog.reason)}</TextField>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="btn">{t!(i18n, backlog.save_state)}</button>
                </div>
            </form>
        </div>
    }
}
