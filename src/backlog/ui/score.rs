//! Score inputs as form fields, for every framework: one draft type and one
//! set of fields, used by the requirement editor, a poker estimate and the
//! owner's accepted value alike.
use super::*;
use crate::backlog::model::{Framework, Moscow, ScoreInput};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{SelectField, TextField};
use leptos::prelude::*;

/// One framework's inputs as a form holds them: the typed text of each field
/// (numbers as the scale writes them, a MoSCoW category by name).
#[derive(Clone)]
pub struct ScoreDraft {
    framework: Framework,
    /// Field name, its scale (empty: a free number) and its text.
    fields: Vec<(&'static str, Vec<f64>, RwSignal<String>)>,
}

impl ScoreDraft {
    /// Starting from an input (its values), else each scale's first point;
    /// a free number starts empty and a category at "should".
    pub fn new(framework: Framework, from: Option<&ScoreInput>) -> ScoreDraft {
        let have = from
            .filter(|i| i.framework() == framework)
            .map(draft_values)
            .unwrap_or_default();
        let fields = framework
            .fields()
            .into_iter()
            .map(|(f, scale)| {
                let start = have
                    .iter()
                    .find(|(n, _)| *n == f)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| match f {
                        "category" => moscow_name(Moscow::Should),
                        _ => scale.first().map(|x| x.to_string()).unwrap_or_default(),
                    });
                (f, scale, RwSignal::new(start))
            })
            .collect();
        ScoreDraft { framework, fields }
    }

    /// The inputs as the `ScoreInput` JSON the server functions take. Text
    /// that is not a number goes as null, so the server names the field.
    pub fn to_json(&self) -> String {
        let mut map = serde_json::Map::new();
        map.insert("framework".into(), self.framework.as_str().into());
        for (f, _, v) in &self.fields {
            let raw = v.get_untracked();
            let value = if *f == "category" {
                serde_json::Value::String(raw.trim().to_string())
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
}

const MOSCOW: [Moscow; 4] = [Moscow::Must, Moscow::Should, Moscow::Could, Moscow::Wont];

/// A category's name as `ScoreInput` JSON writes it ("must", "wont").
fn moscow_name(m: Moscow) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// An input's values as the fields write them.
fn draft_values(input: &ScoreInput) -> Vec<(&'static str, String)> {
    match input {
        ScoreInput::Moscow { category } => vec![("category", moscow_name(*category))],
        other => other
            .values()
            .into_iter()
            .map(|(f, v)| (f, v.to_string()))
            .collect(),
    }
}

/// A draft's fields: a select on a scale, a number where the scale is free,
/// the four MoSCoW categories by name. Ids are `{form}-{field}`.
#[component]
pub fn ScoreFields(
    #[prop(into)] form: String,
    draft: ScoreDraft,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    draft
        .fields
        .into_iter()
        .map(|(f, scale, v)| {
            let form = form.clone();
            let label = move || field_label(i18n.get_locale(), f);
            if f == "category" {
                let options = Signal::derive(move || {
                    let l = i18n.get_locale();
                    MOSCOW
                        .iter()
                        .map(|m| (moscow_name(*m), show_value(l, "category", m.weight())))
                        .collect::<Vec<_>>()
                });
                view! { <SelectField form name=f value=v error options>{label}</SelectField> }
                    .into_any()
            } else if scale.is_empty() {
                view! { <TextField form name=f kind="number" value=v error>{label}</TextField> }
                    .into_any()
            } else {
                let opts: Vec<(String, String)> = scale
                    .iter()
                    .map(|x| (x.to_string(), x.to_string()))
                    .collect();
                let options = Signal::derive(move || opts.clone());
                view! { <SelectField form name=f value=v error options>{label}</SelectField> }
                    .into_any()
            }
        })
        .collect_view()
}
