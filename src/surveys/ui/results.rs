//! `/surveys/:id/results?group=`: a closed round's results for one group:
//! themes, questions, the heatmap and the trend (the action plans are in
//! `action_plans.rs`).
use super::action_plans::ActionsSection;
use super::parts::{likert_label, theme_label};
use crate::i18n::*;
use crate::surveys::api::load_survey_results;
use crate::surveys::model::{
    GroupRef, OVERALL, QuestionKind, QuestionResult, SurveyResults, Theme, diff_tone,
};
use crate::ui::charts::{Bar, BarList, HEAT_NO_VALUE, HeatCell, Heatmap, LineChart};
use crate::ui::icons::Icon;
use crate::ui::is_zh;
use crate::ui::page::PageHeader;
use crate::ui::page::Reload;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn signed(n: i32) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

fn pct(v: Option<i32>) -> String {
    v.map(|v| format!("{v}%")).unwrap_or_else(|| "—".into())
}

/// `/surveys/:id/results?group=`: a closed round's results for one group.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let group = move || query.with(|q| q.get("group").unwrap_or_default());
    let reload = Reload::provide();
    let saved = RwSignal::new(false);
    let data = page_resource(
        move || (id(), group(), reload.get()),
        |(id, g, _)| load_survey_results(id, g),
    );
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.results).to_string())
            refused_testid="results-refused"
            let:r
        >
            <Results results=r saved/>
        </PageScaffold>
    }
}

#[component]
fn Results(results: SurveyResults, saved: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let title = results.round.title.clone();
    let rid = results.round.id.clone();
    let navigate = use_navigate();
    let g = results.group.clone();
    let k = results.round.k;
    let focus = RwSignal::new(
        results
            .themes
            .first()
            .map(|t| t.0.as_str().to_string())
            .unwrap_or_else(|| "engagement".into()),
    );
    let options = results.groups.clone();
    let current = g.id.clone();
    let group_name = |g: &GroupRef, locale: Locale| {
        if g.id == OVERALL {
            td_string!(locale, surveys.overall).to_string()
        } else {
            g.name.clone()
        }
    };
    let rate = match (g.respondents, g.invited) {
        (Some(n), Some(i)) if i > 0 => Some((n, i, (100.0 * n as f64 / i as f64).round() as i32)),
        _ => None,
    };
    let rid_nav = rid.clone();
    view! {
        <PageHeader title=Signal::derive(move || title.clone()) subtitle=Signal::derive(move || t_string!(i18n, surveys.results).to_string())/>
        <div class="results-bar card section">
            <div class="field">
                <label for="results-group">{t!(i18n, surveys.group)}</label>
                <select id="results-group" data-testid="group-select" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    navigate(&format!("/surveys/{rid_nav}/results?group={}", crate::ui::url_encode(&v)), Default::default());
                }>
                    {options.into_iter().map(|o| {
                        let selected = o.id == current;
                        let o2 = o.clone();
                        view! {
                            <option value=o.id.clone() selected=selected>
                                {"\u{a0}\u{a0}".repeat(o.depth as usize)}
                                {move || group_name(&o2, i18n.get_locale())}
                                {(!o.shown).then(|| view! { " · " {t!(i18n, surveys.hidden_short)} })}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <a class="btn btn-ghost" href=format!("/surveys/{rid}/export.csv") data-testid="export-results" download><Icon name="download"/>{t!(i18n, surveys.export)}</a>
        </div>
        {if !g.shown {
            view! {
                <div class="alert alert-warn" role="status" data-testid="not-enough">
                    <strong>{t!(i18n, surveys.not_enough)}</strong>
                    <p>{t!(i18n, surveys.not_enough_body_1)} " " {k} " " {t!(i18n, surveys.not_enough_body_2)}</p>
                </div>
            }.into_any()
        } else {
            let enps = results.enps;
            view! {
                <div class="stat-tiles">
                    <div class="stat-tile"><span class="stat-label">{t!(i18n, surveys.response_rate)}</span>
                        <span class="stat-value" data-testid="response-rate">{rate.map(|(n, i, p)| format!("{p}% ({n}/{i})")).unwrap_or_else(|| "—".into())}</span></div>
                    <div class="stat-tile"><span class="stat-label">"eNPS"</span>
                        <span class="stat-value" data-testid="enps">{enps.map(signed).unwrap_or_else(|| "—".into())}</span></div>
                </div>
                <ThemeTable themes=results.themes.clone() focus can_act=!results.act_for.is_empty()/>
                <QuestionResults questions=results.questions.clone() comment_threshold=results.round.comment_min.max(k)/>
            }.into_any()
        }}
        <HeatSection results=results.clone()/>
        <TrendSection results=results.clone()/>
        <ActionsSection results=results.clone() focus saved/>
    }
}

#[component]
fn ThemeTable(
    themes: Vec<(Theme, Option<i32>)>,
    focus: RwSignal<String>,
    can_act: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card section" aria-labelledby="themes-title">
            <h2 id="themes-title">{t!(i18n, surveys.by_theme)}</h2>
            <div class="table-wrap"><table class="table" data-testid="theme-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, surveys.theme_label)}</th>
                    <th scope="col">{t!(i18n, surveys.favourability)}</th>
                    {can_act.then(|| view! { <th scope="col"><span class="sr-only">{t!(i18n, surveys.act)}</span></th> })}
                </tr></thead>
                <tbody>
                    {themes.into_iter().map(|(t, s)| view! {
                        <tr data-testid="theme-row">
                            <th scope="row">{move || theme_label(i18n.get_locale(), t)}</th>
                            <td class="num">
                                <span class="meter inline" aria-hidden="true"><span style=format!("width: {}%", s.unwrap_or(0).clamp(0, 100))></span></span>
                                " " {pct(s)}
                            </td>
                            {can_act.then(|| view! {
                                <td><a href="#actions-title" class="btn btn-ghost small" on:click=move |_| focus.set(t.as_str().to_string())>{t!(i18n, surveys.act)}</a></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <p class="muted small">{t!(i18n, surveys.favourability_hint)}</p>
        </section>
    }
}

#[component]
fn QuestionResults(questions: Vec<QuestionResult>, comment_threshold: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card section" aria-labelledby="questions-results-title">
            <h2 id="questions-results-title">{t!(i18n, surveys.by_question)}</h2>
            {questions.into_iter().map(|q| {
                let kind = q.question.kind;
                let qq = q.question.clone();
                let text = move || qq.text(is_zh(i18n)).to_string();
                let dist = q.distribution.clone();
                let opts = q.question.options.clone();
                let bars = move |locale: Locale| -> Vec<Bar> {
                    dist.iter().enumerate().map(|(i, n)| Bar {
                        label: match kind {
                            QuestionKind::Likert => format!("{} {}", i + 1, likert_label(locale, i as i64 + 1)),
                            QuestionKind::Enps => i.to_string(),
                            _ => opts.get(i).map(|(en, z)| if locale == Locale::zh { z.clone() } else { en.clone() }).unwrap_or_default(),
                        },
                        value: *n as f64,
                    }).collect()
                };
                view! {
                    <article class="question-result" data-testid="question-result" data-kind=kind.as_str()>
                        <h3>{text}</h3>
                        {match kind {
                            QuestionKind::Text => match q.comments.clone() {
                                None => view! { <p class="muted" data-testid="comments-hidden">{t!(i18n, surveys.comments_hidden)} " " {comment_threshold}</p> }.into_any(),
                                Some(c) if c.is_empty() => view! { <p class="muted">{t!(i18n, surveys.no_comments)}</p> }.into_any(),
                                Some(c) => view! {
                                    <ul class="comments" data-testid="comments">
                                        {c.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                    <p class="muted small">{t!(i18n, surveys.comments_shuffled)}</p>
                                }.into_any(),
                            },
                            _ => view! {
                                <p class="result-line">
                                    {q.favourability.map(|f| view! { <span class="badge" data-testid="q-favourability">{t!(i18n, surveys.favourability)} " " {f} "%"</span> })}
                                    {q.enps.map(|e| view! { <span class="badge" data-testid="q-enps">"eNPS " {signed(e)}</span> })}
                                    <span class="muted small">" " {q.answers} " " {t!(i18n, surveys.answers)}</span>
                                </p>
                                {match kind {
                                    QuestionKind::Likert | QuestionKind::Enps => view! { <Stack kind dist=q.distribution.clone()/> }.into_any(),
                                    _ => view! { {move || view! { <BarList caption=Signal::derive(move || t_string!(i18n, surveys.distribution).to_string()) bars=bars(i18n.get_locale())/> }} }.into_any(),
                                }}
                            }.into_any(),
                        }}
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

/// A Likert or eNPS distribution as one stacked bar (unfavourable to
/// favourable), with every count written beneath it.
#[component]
fn Stack(kind: QuestionKind, dist: Vec<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let n: u32 = dist.iter().sum::<u32>().max(1);
    // (class, label, count)
    let parts: Vec<(
        &'static str,
        Box<dyn Fn(Locale) -> String + Send + Sync>,
        u32,
    )> = if kind == QuestionKind::Enps {
        let sum = |r: std::ops::RangeInclusive<usize>| {
            r.map(|i| dist.get(i).copied().unwrap_or(0)).sum::<u32>()
        };
        vec![
            (
                "seg-bad",
                Box::new(|l| td_string!(l, surveys.detractors).to_string()),
                sum(0..=6),
            ),
            (
                "seg-mid",
                Box::new(|l| td_string!(l, surveys.passives).to_string()),
                sum(7..=8),
            ),
            (
                "seg-good",
                Box::new(|l| td_string!(l, surveys.promoters).to_string()),
                sum(9..=10),
            ),
        ]
    } else {
        let class = ["seg-bad", "seg-low", "seg-mid", "seg-high", "seg-good"];
        dist.iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    class[i.min(4)],
                    Box::new(move |l| likert_label(l, i as i64 + 1).to_string())
                        as Box<dyn Fn(Locale) -> String + Send + Sync>,
                    *c,
                )
            })
            .collect()
    };
    let parts = std::sync::Arc::new(parts);
    let p2 = parts.clone();
    view! {
        <div class="stack" aria-hidden="true">
            {parts.iter().filter(|p| p.2 > 0).map(|(class, _, c)| view! {
                <span class=*class style=format!("width: {:.2}%", 100.0 * *c as f64 / n as f64)>{format!("{}%", (100.0 * *c as f64 / n as f64).round())}</span>
            }).collect_view()}
        </div>
        <p class="stack-legend small">
            {move || p2.iter().map(|(class, label, c)| view! {
                <span class="stack-key"><span class=format!("swatch {class}")></span>{label(i18n.get_locale())} " " <strong>{*c}</strong></span>
            }).collect_view()}
        </p>
    }
}

#[component]
fn HeatSection(results: SurveyResults) -> impl IntoView {
    let i18n = use_i18n();
    if results.heat.is_empty() || results.heat_themes.is_empty() {
        return ().into_any();
    }
    let themes = results.heat_themes.clone();
    let heat = results.heat.clone();
    let (table_themes, table_rows) = (results.heat_themes.clone(), results.heat.clone());
    // Without the organisation-level group, cells hold each team's own score.
    let relative = results.groups.iter().any(|g| g.id == OVERALL);
    view! {
        <section class="card section" aria-labelledby="heat-title">
            <h2 id="heat-title">{move || if relative { t_string!(i18n, surveys.heatmap) } else { t_string!(i18n, surveys.heatmap_abs) }}</h2>
            <p class="muted small">{move || if relative { t_string!(i18n, surveys.heatmap_hint) } else { t_string!(i18n, surveys.heatmap_abs_hint) }}</p>
            {move || {
                let locale = i18n.get_locale();
                let cols: Vec<String> = themes.iter().map(|t| theme_label(locale, *t).to_string()).collect();
                let rows: Vec<String> = heat.iter().map(|h| match h.respondents {
                    Some(n) => format!("{} ({n})", h.name),
                    None => h.name.clone(),
                }).collect();
                let cells: Vec<Vec<HeatCell>> = heat.iter().map(|h| {
                    h.cells.iter().zip(&cols).map(|(c, col)| match (h.shown, c) {
                        (false, _) => HeatCell { text: "—".into(), tone: HEAT_NO_VALUE, hidden: true, title: format!("{} · {col}: {}", h.name, td_string!(locale, surveys.not_enough)) },
                        (true, None) => HeatCell { text: "—".into(), tone: HEAT_NO_VALUE, hidden: false, title: format!("{} · {col}", h.name) },
                        (true, Some((abs, Some(diff)))) => HeatCell { text: signed(*diff), tone: diff_tone(*diff), hidden: false, title: format!("{} · {col}: {abs}% ({})", h.name, signed(*diff)) },
                        (true, Some((abs, None))) => HeatCell { text: format!("{abs}%"), tone: 0, hidden: false, title: format!("{} · {col}: {abs}%", h.name) },
                    }).collect()
                }).collect();
                view! { <Heatmap rows cols cells label=td_string!(locale, surveys.heatmap).to_string()/> }
            }}
            <ul class="heat-legend">
                <li><span class="heat-swatch heat-m2"></span>"≤ −10 " {t!(i18n, surveys.legend_far_below)}</li>
                <li><span class="heat-swatch heat-m1"></span>"−5…−9 " {t!(i18n, surveys.legend_below)}</li>
                <li><span class="heat-swatch heat-0"></span>"±4 " {t!(i18n, surveys.legend_near)}</li>
                <li><span class="heat-swatch heat-p1"></span>"≥ +5 " {t!(i18n, surveys.legend_above)}</li>
                <li><span class="heat-swatch heat-hidden"></span>"— " {t!(i18n, surveys.legend_hidden)}</li>
            </ul>
            <details>
                <summary class="summary-button">{t!(i18n, surveys.as_table)}</summary>
                <div class="table-wrap">
                    <table class="table" data-testid="heat-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, surveys.group)}</th>
                            {table_themes.iter().map(|t| { let t = *t; view! { <th scope="col">{move || theme_label(i18n.get_locale(), t)}</th> } }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {table_rows.into_iter().map(|h| view! {
                                <tr>
                                    <th scope="row">{h.name.clone()} {h.respondents.map(|n| format!(" ({n})"))}</th>
                                    {h.cells.iter().map(|c| match (h.shown, c) {
                                        (false, _) => view! { <td class="muted">{t!(i18n, surveys.hidden_short)}</td> }.into_any(),
                                        (true, None) => view! { <td class="num">"—"</td> }.into_any(),
                                        (true, Some((abs, Some(diff)))) => view! { <td class="num">{format!("{abs}% ({})", signed(*diff))}</td> }.into_any(),
                                        (true, Some((abs, None))) => view! { <td class="num">{format!("{abs}%")}</td> }.into_any(),
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn TrendSection(results: SurveyResults) -> impl IntoView {
    let i18n = use_i18n();
    if results.trend.len() < 2 {
        return view! {
            <section class="card section" aria-labelledby="trend-title">
                <h2 id="trend-title">{t!(i18n, surveys.trend)}</h2>
                <p class="muted" data-testid="trend-empty">{t!(i18n, surveys.trend_empty)}</p>
            </section>
        }
        .into_any();
    }
    let themes = results.trend_themes.clone();
    let points = results.trend.clone();
    view! {
        <section class="card section" aria-labelledby="trend-title">
            <h2 id="trend-title">{t!(i18n, surveys.trend)}</h2>
            {move || {
                let locale = i18n.get_locale();
                let labels: Vec<String> = points.iter().map(|p| p.closed.clone()).collect();
                let mut series: Vec<(String, Vec<Option<f64>>)> = themes.iter().enumerate().map(|(i, t)| {
                    (theme_label(locale, *t).to_string(), points.iter().map(|p| p.themes.get(i).copied().flatten().map(f64::from)).collect())
                }).collect();
                series.push(("eNPS".to_string(), points.iter().map(|p| p.enps.map(f64::from)).collect()));
                view! { <LineChart labels series caption=td_string!(locale, surveys.trend_caption).to_string()/> }
            }}
        </section>
    }
    .into_any()
}
