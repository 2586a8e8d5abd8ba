//! `/surveys/:id/answer`: one person's answer to a round (phone-first, with
//! a draft kept in the browser).
use super::parts::{likert_label, theme_label};
use crate::i18n::*;
use crate::surveys::api::{SubmitAnswers, SubmitAnswersForm, load_round};
use crate::surveys::model::{
    AnswerInput, Question, QuestionKind, RoundDetail, RoundStatus, Theme, is_distress,
};
use crate::ui::form::{FormAlert, error_text, url_error};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeMap;

/// Where the answer page keeps its draft (in this browser only).
fn draft_key(round: &str) -> String {
    format!("keel.survey-draft.{round}")
}

fn load_draft(round: &str) -> BTreeMap<String, AnswerInput> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(draft_key(round)).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = draft_key(round);
        BTreeMap::new()
    }
}

fn save_draft(round: &str, draft: &BTreeMap<String, AnswerInput>) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set(draft_key(round), draft);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (round, draft);
}

fn clear_draft(round: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::delete(draft_key(round));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = round;
}

/// What was chosen and typed in the server-rendered form before the page
/// became interactive: hydration sets every control from the draft, so this
/// is read first and taken into the draft. Only this round's form counts
/// (its question ids are in the form, by their index).
#[cfg(feature = "hydrate")]
fn answers_in_page(round: &str, questions: &[Question]) -> BTreeMap<String, AnswerInput> {
    use wasm_bindgen::JsCast;
    let doc = document();
    let value_of = |selector: &str| {
        doc.query_selector(&format!("#answer-form {selector}"))
            .ok()
            .flatten()
            .and_then(|el| js_sys::Reflect::get(&el, &"value".into()).ok())
            .and_then(|v| v.as_string())
    };
    let mut out = BTreeMap::new();
    if value_of("input[name=\"round_id\"]").as_deref() != Some(round) {
        return out;
    }
    for (i, q) in questions.iter().enumerate() {
        let name = format!("answers[{i}]");
        if value_of(&format!("input[name=\"{name}[question_id]\"]")).as_deref() != Some(&q.id) {
            continue;
        }
        let mut a = AnswerInput {
            question_id: q.id.clone(),
            ..Default::default()
        };
        if q.kind == QuestionKind::Text {
            a.text = value_of(&format!("textarea[name=\"{name}[text]\"]")).unwrap_or_default();
        } else {
            let first = q.kind.first();
            for v in first..first + q.kind.scale(q.options.len()) as i64 {
                let checked = doc
                    .query_selector(&format!(
                        "#answer-form input[name=\"{name}[values][]\"][value=\"{v}\"]"
                    ))
                    .ok()
                    .flatten()
                    .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|el| el.checked());
                if checked {
                    a.values.push(v);
                }
            }
        }
        if !a.values.is_empty() || !a.text.trim().is_empty() {
            out.insert(q.id.clone(), a);
        }
    }
    out
}

/// `/surveys/:id/answer`: one person's answer to a round.
#[component]
pub fn AnswerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = page_resource(id, load_round);
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            let:d
        >
            <AnswerForm detail=d/>
        </PageScaffold>
    }
}

#[component]
fn SupportResources(note: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="support card" role="alert" data-testid="support-resources" aria-labelledby="support-title">
            <h2 id="support-title"><Icon name="heart"/>{t!(i18n, surveys.support_title)}</h2>
            <p>{t!(i18n, surveys.support_body)}</p>
            <ul>
                <li>{t!(i18n, surveys.support_1)}</li>
                <li>{t!(i18n, surveys.support_2)}</li>
                <li>{t!(i18n, surveys.support_3)}</li>
            </ul>
            {(!note.is_empty()).then(|| view! { <p class="support-note">{note.clone()}</p> })}
            <p class="muted small">{t!(i18n, surveys.support_private)}</p>
        </aside>
    }
}

#[component]
fn AnswerForm(detail: RoundDetail) -> impl IntoView {
    let i18n = use_i18n();
    let r = detail.round.clone();
    let rid = r.id.clone();
    let title = r.title.clone();
    let questions = StoredValue::new(detail.questions.clone());
    let draft = RwSignal::new(BTreeMap::<String, AnswerInput>::new());
    // Read before this view hydrates: what was answered in the page as the
    // server sent it.
    #[cfg(feature = "hydrate")]
    let in_page = answers_in_page(&rid, &detail.questions);
    #[cfg(not(feature = "hydrate"))]
    let in_page = BTreeMap::<String, AnswerInput>::new();
    // The draft is read after hydration (the server has none). Once the
    // round is answered (a plain form post too), it is gone.
    {
        let (rid, answered) = (rid.clone(), r.done);
        Effect::new(move |_| {
            if answered {
                clear_draft(&rid);
                return;
            }
            let mut d = load_draft(&rid);
            if !in_page.is_empty() {
                d.extend(in_page.clone());
                save_draft(&rid, &d);
            }
            draft.set(d);
        });
    }
    let set_answer = {
        let rid = rid.clone();
        move |qid: String, f: Box<dyn FnOnce(&mut AnswerInput)>| {
            draft.update(|m| {
                let a = m.entry(qid.clone()).or_insert_with(|| AnswerInput {
                    question_id: qid.clone(),
                    ..Default::default()
                });
                f(a);
            });
            draft.with_untracked(|m| save_draft(&rid, m));
        }
    };
    let total = detail.questions.len();
    let answered = move || {
        draft.with(|m| {
            questions.with_value(|qs| {
                qs.iter()
                    .filter(|q| {
                        m.get(&q.id)
                            .is_some_and(|a| !a.values.is_empty() || !a.text.trim().is_empty())
                    })
                    .count()
            })
        })
    };
    let distress = move || {
        draft.with(|m| {
            questions.with_value(|qs| {
                qs.iter().any(|q| {
                    m.get(&q.id)
                        .is_some_and(|a| a.values.iter().any(|v| is_distress(q, *v)))
                })
            })
        })
    };
    let submission = StoredValue::new(new_id());
    let action = ServerAction::<SubmitAnswers>::new();
    // The action's error, else the one a plain form post came back with.
    let plain_error = url_error();
    let error = Signal::derive(move || match action.value().get() {
        Some(r) => r.err(),
        None => plain_error.clone(),
    });
    // Support resources a plain form post's answer called for (see `load_round`).
    let support = detail.support;
    let done = RwSignal::new(r.done);
    {
        let rid = r.id.clone();
        Effect::new(move |_| {
            if let Some(Ok(_)) = action.value().get() {
                clear_draft(&rid);
                done.set(true);
            }
        });
    }
    Effect::new(move |_| {
        if let Some(e) = error.get() {
            let _ = e;
            #[cfg(feature = "hydrate")]
            request_animation_frame(move || {
                if let Some(el) = document()
                    .query_selector(
                        "#answer-form [aria-invalid='true'] input:not([type='hidden']), #answer-form .alert-slot .alert",
                    )
                    .ok()
                    .flatten()
                {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            });
        }
    });
    let open = r.status == RoundStatus::Open;
    let cancelled = r.status == RoundStatus::Cancelled;
    let (k, closes, note) = (r.k, r.closes.clone(), r.support_note.clone());
    let note2 = note.clone();
    // Each question keeps its index in the round: its form fields' names.
    let mut by_theme: Vec<(Theme, Vec<(usize, Question)>)> = Vec::new();
    for (i, q) in detail.questions.iter().enumerate() {
        match by_theme.iter_mut().find(|(t, _)| *t == q.theme) {
            Some((_, v)) => v.push((i, q.clone())),
            None => by_theme.push((q.theme, vec![(i, q.clone())])),
        }
    }
    let plain_action = <SubmitAnswersForm as leptos::server_fn::ServerFn>::url();
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <div class="answer-page">
            <aside class="note card" role="note" data-testid="anonymity-note">
                <h2><Icon name="lock"/>{t!(i18n, surveys.anonymity_title)}</h2>
                <p>{t!(i18n, surveys.anonymity_1)}</p>
                <p>{t!(i18n, surveys.anonymity_2)} " " <strong>{k}</strong> " " {t!(i18n, surveys.anonymity_2b)}</p>
                <p>{t!(i18n, surveys.anonymity_3)} " " <strong>{closes.clone()}</strong>{t!(i18n, surveys.anonymity_3b)}</p>
            </aside>
            <Show when=move || distress() fallback=|| ()>
                <SupportResources note=note.clone()/>
            </Show>
            {move || if done.get() {
                view! {
                    <div class="card section thanks" role="status" data-testid="answer-thanks">
                        <h2><Icon name="check"/>{t!(i18n, surveys.thanks_title)}</h2>
                        <p>{t!(i18n, surveys.thanks_body)}</p>
                        <a href="/surveys" class="btn">{t!(i18n, surveys.back_to_surveys)}</a>
                    </div>
                }.into_any()
            } else if cancelled {
                view! { <div class="alert alert-warn" role="status" data-testid="round-not-open">{t!(i18n, errors.round_cancelled)}</div> }.into_any()
            } else if !open {
                view! { <div class="alert alert-warn" role="status" data-testid="round-not-open">{t!(i18n, errors.round_not_open)}</div> }.into_any()
            } else {
                let set_answer = set_answer.clone();
                let groups = by_theme.clone();
                let rid = rid.clone();
                view! {
                    <div class="answer-progress" data-testid="answer-progress">
                        <span>{move || answered()} " / " {total} " " {t!(i18n, surveys.answered_count)}</span>
                        <progress max=total value=move || answered()></progress>
                    </div>
                    // A real POST before the page is interactive (to the
                    // plain-form twin of the call); once hydrated, the same
                    // answer is sent from the draft without reloading.
                    <form id="answer-form" class="answer-form" method="post" action=plain_action novalidate on:submit={
                        let rid = rid.clone();
                        move |ev| {
                            ev.prevent_default();
                            let answers: Vec<AnswerInput> = draft.get_untracked().into_values().collect();
                            action.dispatch(SubmitAnswers { round_id: rid.clone(), submission: submission.get_value(), answers });
                        }
                    }>
                        <input type="hidden" name="round_id" value=rid.clone()/>
                        <input type="hidden" name="submission" value=submission.get_value()/>
                        <FormAlert error/>
                        {groups.into_iter().map(|(theme, qs)| {
                            let set_answer = set_answer.clone();
                            view! {
                                <section class="card section theme-block">
                                    <h2>{move || theme_label(i18n.get_locale(), theme)}</h2>
                                    {qs.into_iter().map(|(index, q)| view! { <QuestionInput question=q index draft error set_answer=set_answer.clone()/> }).collect_view()}
                                </section>
                            }
                        }).collect_view()}
                        <div class="form-actions submit-row">
                            <button type="submit" class="btn btn-primary" data-testid="submit-answers" disabled=move || action.pending().get()>{t!(i18n, surveys.submit)}</button>
                            <span class="small">{move || answered()} " / " {total} " " {t!(i18n, surveys.answered_count)}</span>
                            <span class="muted small">{t!(i18n, surveys.draft_note)}</span>
                        </div>
                    </form>
                }.into_any()
            }}
            {move || {
                let called_for = support || action.value().get().is_some_and(|r| r.is_ok_and(|s| s.distress));
                (done.get() && called_for && !distress()).then(|| view! { <SupportResources note=note2.clone()/> })
            }}
        </div>
    }
}

type SetAnswer = std::sync::Arc<dyn Fn(String, Box<dyn FnOnce(&mut AnswerInput)>) + Send + Sync>;

/// One question, as form controls named for a plain form post too:
/// `answers[index][question_id]` (hidden), `answers[index][values][]` for
/// each choice, `answers[index][text]` for free text.
#[component]
fn QuestionInput(
    question: Question,
    index: usize,
    draft: RwSignal<BTreeMap<String, AnswerInput>>,
    error: Signal<Option<crate::error::AppError>>,
    set_answer: impl Fn(String, Box<dyn FnOnce(&mut AnswerInput)>) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let set: SetAnswer = std::sync::Arc::new(set_answer);
    let qid = question.id.clone();
    let invalid = {
        let qid = qid.clone();
        move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(&qid)))
    };
    let msg_id = format!("q-{}-msg", question.id);
    let name = format!("answers[{index}][values][]");
    let values = {
        let qid = qid.clone();
        move || draft.with(|m| m.get(&qid).map(|a| a.values.clone()).unwrap_or_default())
    };
    let text_q = question.clone();
    let label = move || text_q.text(is_zh(i18n)).to_string();
    let body = match question.kind {
        QuestionKind::Likert | QuestionKind::Enps | QuestionKind::Single => {
            let choices: Vec<(i64, Box<dyn Fn() -> String + Send + Sync>)> = match question.kind {
                QuestionKind::Likert => (1..=5).map(|v| (v, Box::new(move || format!("{v} · {}", likert_label(i18n.get_locale(), v))) as Box<dyn Fn() -> String + Send + Sync>)).collect(),
                QuestionKind::Enps => (0..=10).map(|v| (v, Box::new(move || v.to_string()) as Box<dyn Fn() -> String + Send + Sync>)).collect(),
                _ => question.options.iter().enumerate().map(|(i, (en, zh_o))| {
                    let (en, zh_o) = (en.clone(), zh_o.clone());
                    (i as i64, Box::new(move || if is_zh(i18n) { zh_o.clone() } else { en.clone() }) as Box<dyn Fn() -> String + Send + Sync>)
                }).collect(),
            };
            let class = if question.kind == QuestionKind::Enps { "answer-choices scale-11" } else if question.kind == QuestionKind::Likert { "answer-choices scale-5" } else { "answer-choices" };
            view! {
                <div class=class role="radiogroup" aria-labelledby=format!("q-{}-label", question.id)>
                    {choices.into_iter().map(|(v, text)| {
                        let (set, qid, values) = (set.clone(), qid.clone(), values.clone());
                        view! {
                            <label class="choice">
                                <input type="radio" name=name.clone() value=v.to_string()
                                    prop:checked=move || values().first() == Some(&v)
                                    on:change=move |_| set(qid.clone(), Box::new(move |a| { a.values = vec![v]; }))/>
                                <span>{text}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {(question.kind == QuestionKind::Enps).then(|| view! {
                    <div class="scale-ends muted small" aria-hidden="true"><span>{t!(i18n, surveys.enps_low)}</span><span>{t!(i18n, surveys.enps_high)}</span></div>
                })}
            }.into_any()
        }
        QuestionKind::Multiple => view! {
            <div class="answer-choices" role="group" aria-labelledby=format!("q-{}-label", question.id)>
                {question.options.iter().enumerate().map(|(i, (en, zh_o))| {
                    let (en, zh_o) = (en.clone(), zh_o.clone());
                    let (set, qid, values) = (set.clone(), qid.clone(), values.clone());
                    let v = i as i64;
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=name.clone() value=v.to_string()
                                prop:checked=move || values().contains(&v)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    set(qid.clone(), Box::new(move |a| { a.values.retain(|x| *x != v); if on { a.values.push(v); a.values.sort(); } }));
                                }/>
                            <span>{move || if is_zh(i18n) { zh_o.clone() } else { en.clone() }}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        }.into_any(),
        QuestionKind::Text => {
            let (set, qid2) = (set.clone(), qid.clone());
            let current = {
                let qid = qid.clone();
                move || draft.with(|m| m.get(&qid).map(|a| a.text.clone()).unwrap_or_default())
            };
            view! {
                <textarea id=format!("q-{}-input", question.id) name=format!("answers[{index}][text]") rows="3" maxlength="2000" aria-labelledby=format!("q-{}-label", question.id)
                    prop:value=current
                    on:input=move |ev| { let t = event_target_value(&ev); set(qid2.clone(), Box::new(move |a| { a.text = t; })); }></textarea>
            }.into_any()
        }
    };
    let optional = !question.required();
    view! {
        <div class="question" data-testid="question" data-kind=question.kind.as_str() aria-invalid=move || if invalid() { "true" } else { "false" } aria-describedby=msg_id.clone()>
            <input type="hidden" name=format!("answers[{index}][question_id]") value=question.id.clone()/>
            <p class="question-text" id=format!("q-{}-label", question.id)>
                {label}
                {optional.then(|| view! { <span class="muted small">" (" {t!(i18n, surveys.optional)} ")"</span> })}
            </p>
            {body}
            <p class="field-msg" id=msg_id.clone()>{move || error.get().filter(|e| e.is_for(&qid)).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
        </div>
    }
}
