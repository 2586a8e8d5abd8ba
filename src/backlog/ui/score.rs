//! Score inputs as form fields, for every framework.
use super::*;
use crate::backlog::model::{Framework, Moscow, ScoreInput};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// Input values typed per field into a `ScoreInput` JSON (a MoSCoW category
/// given as its name or its weight).
pub fn input_json(framework: Framework, values: &[(&'static str, String)]) -> String {
    let mut map = serde_json::Map::new();
    map.insert("framework".into(), framework.as_str().into());
    for (f, raw) in values {
        let value = if *f == "category" {
            let name = raw
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Moscow::from_weight)
                .and_then(|m| serde_json::to_value(m).ok())
                .unwrap_or_else(|| serde_json::Value::String(raw.clone()));
            name
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
    serde_json::Value::Object(map).to_string()
}

/// The inputs of one requirement as editable fields (selects on a scale).
#[component]
pub fn ScoreFields(
    /// Makes the fields' ids unique on the page.
    #[prop(into)]
    id_prefix: String,
    framework: Framework,
    values: Vec<(&'static str, RwSignal<String>)>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scales = framework.fields();
    values
        .into_iter()
        .map(|(f, v)| {
            let scale = scales.iter().find(|s| s.0 == f).map(|s| s.1.clone()).unwrap_or_default();
            let id = format!("{id_prefix}-{f}");
            let opts: Vec<(String, String)> = if f == "category" {
                vec![]
            } else {
                scale.iter().map(|x| (x.to_string(), x.to_string())).collect()
            };
            let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(f)));
            view! {
                <div class="field" class:invalid=invalid>
                    <label for=id.clone()>{move || field_label(i18n.get_locale(), f)}</label>
                    {if f == "category" {
                        view! {
                            <select id=id.clone() on:change=move |ev| v.set(event_target_value(&ev)) prop:value=move || v.get()>
                                {[(4.0, "must"), (3.0, "should"), (2.0, "could"), (1.0, "wont")].into_iter().map(|(w, _)| {
                                    let ws = w.to_string();
                                    let ws2 = ws.clone();
                                    view! { <option value=ws selected=move || v.get() == ws2>{move || show_value(i18n.get_locale(), "category", w)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    } else if opts.is_empty() {
                        view! { <input id=id.clone() type="number" min="0" step="any" bind:value=v/> }.into_any()
                    } else {
                        view! {
                            <select id=id.clone() on:change=move |ev| v.set(event_target_value(&ev)) prop:value=move || v.get()>
                                {opts.into_iter().map(|(val, label)| {
                                    let val2 = val.clone();
                                    view! { <option value=val selected=move || v.get() == val2>{label}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                </div>
            }
        })
        .collect_view()
}

/// Starting values of a framework's fields: from an input, else the scale's
/// first point (a free number starts empty).
pub(super) fn initial_values(
    framework: Framework,
    from: Option<&ScoreInput>,
) -> Vec<(&'static str, RwSignal<String>)> {
    let have = from.map(|i| i.values()).unwrap_or_default();
    framework
        .fields()
        .into_iter()
        .map(|(f, scale)| {
            let v = have
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, v)| v.to_string())
                .or_else(|| {
                    if f == "category" {
                        Some("3".into())
                    } else {
                        scale.first().map(|x| x.to_string())
                    }
                })
                .unwrap_or_default();
            (f, RwSignal::new(v))
        })
        .collect()
}
