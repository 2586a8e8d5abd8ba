//! SVG charts drawn by our own components, each with a text alternative.
use leptos::prelude::*;

/// One bar of a bar list.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// Horizontal bars, each with its label and number written beside it (so
/// nothing is read from length or colour alone).
#[component]
pub fn BarList(
    #[prop(into)] caption: Signal<String>,
    bars: Vec<Bar>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let row_h = 26.0;
    let height = row_h * bars.len() as f64 + 4.0;
    let (label_w, bar_w) = (150.0, 200.0);
    view! {
        <figure class="chart bars" data-testid=testid>
            <figcaption>{move || caption.get()}</figcaption>
            <svg viewBox=format!("0 0 {} {height}", label_w + bar_w + 50.0) role="img" aria-label=move || caption.get()>
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let y = i as f64 * row_h + 2.0;
                        let w = (b.value / max * bar_w).max(if b.value > 0.0 { 2.0 } else { 0.0 });
                        view! {
                            <g>
                                <title>{format!("{}: {}", b.label, b.value)}</title>
                                <text x=label_w - 8.0 y=y + 16.0 class="bar-label end">{b.label.clone()}</text>
                                <rect x=label_w y=y + 4.0 width=w height=row_h - 10.0 rx="3" class="bar"></rect>
                                <text x=label_w + w + 6.0 y=y + 16.0 class="bar-value">{b.value}</text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}

/// One column of a stacked column chart: its label and (series, value) parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub label: String,
    pub parts: Vec<f64>,
}

/// Stacked columns (e.g. intake per week by source) with a legend whose
/// entries carry a number per series, and the figures as a table behind a
/// disclosure.
#[component]
pub fn StackedColumns(
    #[prop(into)] caption: Signal<String>,
    series: Vec<String>,
    columns: Vec<Stack>,
    #[prop(into)] table_label: Signal<String>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let max = columns
        .iter()
        .map(|c| c.parts.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0);
    let (w, h, pad) = (420.0, 180.0, 24.0);
    let col_w = (w - 2.0 * pad) / columns.len().max(1) as f64;
    let table_cols = columns.clone();
    let table_series = series.clone();
    view! {
        <figure class="chart stacked" data-testid=testid>
            <figcaption>{move || caption.get()}</figcaption>
            <svg viewBox=format!("0 0 {w} {}", h + 20.0) role="img" aria-label=move || caption.get()>
                <line x1=pad y1=h x2=w - pad y2=h class="axis"></line>
                {columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let x = pad + i as f64 * col_w + col_w * 0.15;
                        let mut y = h;
                        let total: f64 = c.parts.iter().sum();
                        let parts = c
                            .parts
                            .iter()
                            .enumerate()
                            .filter(|(_, v)| **v > 0.0)
                            .map(|(s, v)| {
                                let ph = v / max * (h - pad);
                                y -= ph;
                                view! {
                                    <rect x=x y=y width=col_w * 0.7 height=ph class=format!("series-{s}")>
                                        <title>{format!("{} · {}: {}", c.label, series.get(s).cloned().unwrap_or_default(), v)}</title>
                                    </rect>
                                }
                            })
                            .collect_view();
                        let top = h - total / max * (h - pad) - 4.0;
                        view! {
                            <g>
                                {parts}
                                <text x=x + col_w * 0.35 y=top class="bar-value mid">{total}</text>
                                <text x=x + col_w * 0.35 y=h + 14.0 class="axis-label mid">{c.label.clone()}</text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <ul class="legend">
                {series
                    .iter()
                    .enumerate()
                    .map(|(s, name)| view! { <li><span class=format!("swatch series-{s}") aria-hidden="true"></span>{name.clone()}</li> })
                    .collect_view()}
            </ul>
            <details>
                <summary>{move || table_label.get()}</summary>
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col"></th>
                                {table_cols.iter().map(|c| view! { <th scope="col" class="num">{c.label.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {table_series
                                .iter()
                                .enumerate()
                                .map(|(s, name)| view! {
                                    <tr>
                                        <th scope="row">{name.clone()}</th>
                                        {table_cols.iter().map(|c| view! { <td class="num">{c.parts.get(s).copied().unwrap_or(0.0)}</td> }).collect_view()}
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Maps a value range onto pixels (flipped for y when `flip`).
#[derive(Debug, Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    fn new(lo: f64, hi: f64, from: f64, to: f64) -> Scale {
        let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        Scale { lo, hi, from, to }
    }
    fn at(&self, v: f64) -> f64 {
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// Round axis ticks (steps of 1, 2 or 5 × 10ⁿ) covering lo..hi, about `n` steps.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < 1e-12 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = start;
    while v < hi + step * 0.999 && out.len() < 20 {
        out.push((v / step).round() * step);
        v += step;
    }
    out
}

/// A number for an axis or label: at most two decimals, no trailing zeros.
pub fn short_number(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// Points of a polyline ("x,y x,y …").
fn polyline(points: impl Iterator<Item = (f64, f64)>) -> String {
    let mut out = String::with_capacity(512);
    for (i, (x, y)) in points.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&px(x));
        out.push(',');
        out.push_str(&px(y));
    }
    out
}

/// A position to one decimal ("12.3").
pub fn px(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", t.abs() / 10, t.abs() % 10)
}

/// What a trend chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub series: Vec<(i64, f64)>,
    pub baseline: f64,
    pub target: f64,
    pub start: i64,
    pub due: i64,
    /// Whether the expected-progress line applies (increase/decrease).
    pub expected_line: bool,
    pub forecast: Option<f64>,
    pub unit: String,
}

/// The KPI trend: axes with a few ticks, the target dashed, expected progress
/// dotted, the check-ins as points on a line and the forecast as a lighter
/// continuation to the due date. Its text alternative is the check-in table
/// beside it and the caption.
#[component]
pub fn TrendChart(trend: Trend, #[prop(into)] caption: String) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 260.0;
    const L: f64 = 56.0;
    const R: f64 = 16.0;
    const T: f64 = 14.0;
    const B: f64 = 30.0;
    let t = trend;
    let first = t
        .series
        .first()
        .map(|p| p.0)
        .unwrap_or(t.start)
        .min(t.start);
    let last = t.series.last().map(|p| p.0).unwrap_or(t.due).max(t.due);
    let (lo, hi) = bounds(
        t.series
            .iter()
            .map(|p| p.1)
            .chain([t.baseline, t.target])
            .chain(t.forecast),
    );
    let ticks = nice_ticks(lo, hi, 4);
    let (lo, hi) = (
        ticks.first().copied().unwrap_or(lo).min(lo),
        ticks.last().copied().unwrap_or(hi).max(hi),
    );
    let x = Scale::new(first as f64, last as f64, L, W - R);
    let y = Scale::new(lo, hi, H - B, T);
    let x_ticks = [first, first + (last - first) / 2, last];
    let line = polyline(t.series.iter().map(|(d, v)| (x.at(*d as f64), y.at(*v))));
    let last_point = t.series.last().copied();
    let unit = t.unit.clone();
    view! {
        <figure class="chart trend" data-testid="trend-chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=caption>
                {ticks
                    .iter()
                    .map(|v| {
                        let py = y.at(*v);
                        view! {
                            <line x1=L y1=py x2=W - R y2=py class="grid"></line>
                            <text x=L - 6.0 y=py + 4.0 class="axis-label end">{short_number(*v)}</text>
                        }
                    })
                    .collect_view()}
                <line x1=L y1=H - B x2=W - R y2=H - B class="axis"></line>
                <line x1=L y1=T x2=L y2=H - B class="axis"></line>
                {x_ticks
                    .iter()
                    .map(|d| {
                        let px = x.at(*d as f64);
                        let anchor = if *d == first { "axis-label" } else if *d == last { "axis-label end" } else { "axis-label mid" };
                        view! { <text x=px y=H - 10.0 class=anchor>{crate::calendar::day_text(*d)}</text> }
                    })
                    .collect_view()}
                <line x1=L y1=y.at(t.target) x2=W - R y2=y.at(t.target) class="target-line" data-testid="target-line"></line>
                <text x=W - R y=y.at(t.target) - 4.0 class="axis-label end">{short_number(t.target)} " " {unit.clone()}</text>
                {t.expected_line.then(|| view! {
                    <line x1=x.at(t.start as f64) y1=y.at(t.baseline) x2=x.at(t.due as f64) y2=y.at(t.target) class="expected-line" data-testid="expected-line"></line>
                })}
                {match (last_point, t.forecast) {
                    (Some((d, v)), Some(f)) => Some(view! {
                        <line x1=x.at(d as f64) y1=y.at(v) x2=x.at(t.due as f64) y2=y.at(f) class="forecast-line" data-testid="forecast-line"></line>
                        <circle cx=x.at(t.due as f64) cy=y.at(f) r="4" class="forecast-dot"><title>{short_number(f)}</title></circle>
                    }),
                    _ => None,
                }}
                <polyline points=line class="trend-line"></polyline>
                {t.series
                    .iter()
                    .map(|(d, v)| {
                        let title = format!("{}: {} {}", crate::calendar::day_text(*d), short_number(*v), unit);
                        view! {
                            <circle cx=x.at(*d as f64) cy=y.at(*v) r="4" class="trend-point" data-testid="trend-point">
                                <title>{title}</title>
                            </circle>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}

/// The tone of a cell with nothing to show (drawn neutral, with a dash).
pub const HEAT_NO_VALUE: i8 = i8::MAX;

/// One cell of a heatmap: its text, a tone from −2 (well below) to +1
/// (above), or hidden (drawn hatched, no number).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatCell {
    pub text: String,
    pub tone: i8,
    pub hidden: bool,
    /// Spoken and hovered description of the cell.
    pub title: String,
}

/// A rows × columns heatmap in SVG. Each cell carries its value as text and a
/// symbol besides its colour; hidden cells are hatched. Rows and columns
/// are labelled; the picture scrolls sideways on narrow screens.
#[component]
pub fn Heatmap(
    rows: Vec<String>,
    cols: Vec<String>,
    cells: Vec<Vec<HeatCell>>,
    #[prop(into)] label: String,
) -> impl IntoView {
    const LEFT: f64 = 170.0;
    const TOP: f64 = 34.0;
    const W: f64 = 84.0;
    const H: f64 = 30.0;
    let width = LEFT + W * cols.len() as f64 + 4.0;
    let height = TOP + H * rows.len() as f64 + 4.0;
    let clip = |s: &str, n: usize| {
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n - 1).collect::<String>())
        } else {
            s.to_string()
        }
    };
    let tone_class = |c: &HeatCell| {
        if c.hidden {
            "heat-cell heat-hidden"
        } else if c.tone == HEAT_NO_VALUE {
            "heat-cell heat-none"
        } else {
            match c.tone {
                i8::MIN..=-2 => "heat-cell heat-m2",
                -1 => "heat-cell heat-m1",
                0 => "heat-cell heat-0",
                _ => "heat-cell heat-p1",
            }
        }
    };
    view! {
        <div class="heatmap-wrap">
            <svg class="heatmap" role="img" aria-label=label data-testid="heatmap"
                viewBox=format!("0 0 {width} {height}") width=width height=height>
                <defs>
                    <pattern id="heat-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" class="heat-hatch-bg"/>
                        <line x1="0" y1="0" x2="0" y2="6" class="heat-hatch-line"/>
                    </pattern>
                </defs>
                {cols.iter().enumerate().map(|(j, c)| view! {
                    <text class="heat-col" x=LEFT + W * j as f64 + W / 2.0 y=TOP - 10.0 text-anchor="middle">
                        <title>{c.clone()}</title>
                        {clip(c, 10)}
                    </text>
                }).collect_view()}
                {rows.iter().zip(cells.iter()).enumerate().map(|(i, (r, row))| {
                    let y = TOP + H * i as f64;
                    view! {
                        <g class="heat-row" data-testid="heat-row">
                            <text class="heat-label" x=LEFT - 8.0 y=y + H / 2.0 + 4.0 text-anchor="end">
                                <title>{r.clone()}</title>
                                {clip(r, 22)}
                            </text>
                            {row.iter().enumerate().map(|(j, c)| {
                                let x = LEFT + W * j as f64;
                                view! {
                                    <g data-testid="heat-cell" data-hidden=c.hidden.to_string() data-tone=c.tone.to_string()>
                                        <title>{c.title.clone()}</title>
                                        <rect class=tone_class(c) x=x + 1.0 y=y + 1.0 width=W - 2.0 height=H - 2.0 rx="3"
                                            fill=if c.hidden { Some("url(#heat-hatch)") } else { None }/>
                                        <text class="heat-value" x=x + W / 2.0 y=y + H / 2.0 + 4.0 text-anchor="middle">{c.text.clone()}</text>
                                    </g>
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
        </div>
    }
}

/// Several series over the same labelled points (e.g. rounds), on a
/// −100…100 scale, in SVG. Each line has its own dash pattern and colour,
/// named in the legend; every point carries its value as a tooltip and a
/// table beside it holds every number.
/// Missing values (hidden or not asked) break the line.
#[component]
pub fn LineChart(
    labels: Vec<String>,
    series: Vec<(String, Vec<Option<f64>>)>,
    #[prop(into)] caption: String,
) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 240.0;
    const L: f64 = 40.0;
    const R: f64 = 16.0;
    const T: f64 = 12.0;
    const B: f64 = 28.0;
    let n = labels.len().max(1);
    let x = move |i: usize| {
        if n == 1 {
            L + (W - L - R) / 2.0
        } else {
            L + (W - L - R) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| T + (H - T - B) * (100.0 - v.clamp(-100.0, 100.0)) / 200.0;
    let dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"];
    view! {
        <figure class="chart lines" data-testid="line-chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=caption.clone()>
                {[-100.0, -50.0, 0.0, 50.0, 100.0].into_iter().map(|v| view! {
                    <line class="grid" x1=L x2=W - R y1=y(v) y2=y(v)></line>
                    <text class="tick" x=L - 6.0 y=y(v) + 4.0 text-anchor="end">{format!("{v}")}</text>
                }).collect_view()}
                {labels.iter().enumerate().map(|(i, l)| view! {
                    <text class="tick" x=x(i) y=H - 8.0 text-anchor="middle">{l.clone()}</text>
                }).collect_view()}
                {series.iter().enumerate().map(|(s, (name, values))| {
                    let mut d = String::new();
                    let mut pen = false;
                    for (i, v) in values.iter().enumerate() {
                        match v {
                            Some(v) => {
                                d.push_str(&format!("{}{:.1},{:.1} ", if pen { "L" } else { "M" }, x(i), y(*v)));
                                pen = true;
                            }
                            None => pen = false,
                        }
                    }
                    view! {
                        <g class=format!("series series-{}", s % 7) data-testid="line-series">
                            <path d=d fill="none" stroke-dasharray=dashes[s % 7]></path>
                            {values.iter().enumerate().filter_map(|(i, v)| v.map(|v| view! {
                                <circle cx=x(i) cy=y(v) r="3"><title>{format!("{name}: {v}")}</title></circle>
                            })).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <ul class="legend">
                {series.iter().enumerate().map(|(s, (name, _))| view! {
                    <li class=format!("series-{}", s % 7)>
                        <svg width="28" height="10" aria-hidden="true"><path d="M1,5 L27,5" fill="none" stroke-dasharray=dashes[s % 7]></path></svg>
                        {name.clone()}
                    </li>
                }).collect_view()}
            </ul>
            <details class="chart-table">
                <summary>{caption.clone()}</summary>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr><th scope="col"></th>{labels.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {series.iter().map(|(name, values)| view! {
                                <tr>
                                    <th scope="row">{name.clone()}</th>
                                    {values.iter().map(|v| view! { <td class="num">{v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
