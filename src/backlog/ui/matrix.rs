//! The value/effort matrix of a backlog.
use crate::backlog::model::{HIGH, Quadrant, quadrant};
use crate::i18n::*;
use leptos::prelude::*;

/// One requirement on the value/effort matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixPoint {
    pub id: String,
    pub title: String,
    pub value: f64,
    pub effort: f64,
}

fn quadrant_label(locale: Locale, q: Quadrant) -> &'static str {
    match q {
        Quadrant::QuickWin => td_string!(locale, backlog.matrix.quick_win),
        Quadrant::BigBet => td_string!(locale, backlog.matrix.big_bet),
        Quadrant::FillIn => td_string!(locale, backlog.matrix.fill_in),
        Quadrant::MoneyPit => td_string!(locale, backlog.matrix.money_pit),
    }
}

pub(super) const SIZE: f64 = 360.0;
const PAD: f64 = 36.0;

/// Position of a 1–10 value along an axis of the plot area.
fn along(v: f64) -> f64 {
    (v - 0.5) / 10.0 * (SIZE - 2.0 * PAD)
}

/// The 2×2 value/effort matrix: effort grows to the right, value upwards;
/// quadrants labelled; every point a link to its requirement with its title
/// on hover and focus; the same data as a table behind a disclosure.
#[component]
pub fn ValueEffortMatrix(points: Vec<MatrixPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let inner = SIZE - 2.0 * PAD;
    let split = PAD + along(HIGH - 0.5);
    let split_y = SIZE - PAD - along(HIGH - 0.5);
    let table_rows = points.clone();
    view! {
        <figure class="chart matrix" data-testid="value-effort-matrix">
            <figcaption>{t!(i18n, backlog.matrix.title)}</figcaption>
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") role="group" aria-label=move || t_string!(i18n, backlog.matrix.title)>
                <rect x=PAD y=PAD width=inner height=inner class="plot-bg"></rect>
                <line x1=split y1=PAD x2=split y2=SIZE - PAD class="split"></line>
                <line x1=PAD y1=split_y x2=SIZE - PAD y2=split_y class="split"></line>
                <text x=PAD + 6.0 y=PAD + 16.0 class="quad-label">{move || quadrant_label(i18n.get_locale(), Quadrant::QuickWin)}</text>
                <text x=SIZE - PAD - 6.0 y=PAD + 16.0 class="quad-label end">{move || quadrant_label(i18n.get_locale(), Quadrant::BigBet)}</text>
                <text x=PAD + 6.0 y=SIZE - PAD - 8.0 class="quad-label">{move || quadrant_label(i18n.get_locale(), Quadrant::FillIn)}</text>
                <text x=SIZE - PAD - 6.0 y=SIZE - PAD - 8.0 class="quad-label end">{move || quadrant_label(i18n.get_locale(), Quadrant::MoneyPit)}</text>
                <text x=SIZE / 2.0 y=SIZE - 8.0 class="axis-label mid">{move || t_string!(i18n, backlog.matrix.effort)} " →"</text>
                <text x=12.0 y=SIZE / 2.0 class="axis-label mid" transform=format!("rotate(-90 12 {})", SIZE / 2.0)>
                    {move || t_string!(i18n, backlog.matrix.value)} " →"
                </text>
                {points
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        // Spread points that share a cell so each stays reachable.
                        let jitter = ((i % 5) as f64 - 2.0) * 3.0;
                        let cx = PAD + along(p.effort) + jitter;
                        let cy = SIZE - PAD - along(p.value) - jitter;
                        let label = move || {
                            let l = i18n.get_locale();
                            format!(
                                "{}: {} {}, {} {}",
                                p.title,
                                td_string!(l, backlog.matrix.value),
                                p.value,
                                td_string!(l, backlog.matrix.effort),
                                p.effort
                            )
                        };
                        let title = label.clone();
                        let target = format!("req-{}", p.id);
                        let target2 = target.clone();
                        // SVG has no native link here (the view would make an HTML <a>),
                        // so the point is a focusable link by role and keys.
                        let go = move |target: &str| {
                            #[cfg(feature = "hydrate")]
                            {
                                let _ = window().location().set_hash(target);
                                if let Some(el) = document().get_element_by_id(target) {
                                    use wasm_bindgen::JsCast;
                                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                        let _ = el.focus();
                                    }
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = target;
                        };
                        view! {
                            <g
                                class="point"
                                role="link"
                                tabindex="0"
                                aria-label=label
                                data-target=target.clone()
                                on:click=move |_| go(&target)
                                on:keydown=move |ev| {
                                    if ev.key() == "Enter" {
                                        go(&target2);
                                    }
                                }
                            >
                                <title>{title}</title>
                                <circle cx=cx cy=cy r="7"></circle>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <details>
                <summary>{t!(i18n, backlog.matrix.as_table)}</summary>
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, backlog.requirement)}</th>
                            <th scope="col" class="num">{t!(i18n, backlog.matrix.value)}</th>
                            <th scope="col" class="num">{t!(i18n, backlog.matrix.effort)}</th>
                            <th scope="col">{t!(i18n, backlog.matrix.quadrant)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {table_rows
                            .into_iter()
                            .map(|p| {
                                let q = quadrant(p.value, p.effort);
                                view! {
                                    <tr>
                                        <td>{p.title}</td>
                                        <td class="num">{p.value}</td>
                                        <td class="num">{p.effort}</td>
                                        <td>{move || quadrant_label(i18n.get_locale(), q)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
