//! A KPI's sparkline on its dashboard card.
use crate::ui::charts::px;
use leptos::prelude::*;

/// A 120×32 sparkline of check-in values (laid out by `kpi::model::spark`),
/// the last point marked, the forecast at the due date as a hollow marker; no axes.
#[component]
pub fn Sparkline(spark: crate::kpi::model::Spark, #[prop(into)] label: String) -> impl IntoView {
    let n = spark.n;
    let Some((lx, ly)) = spark.last else {
        return view! {
            <svg class="sparkline empty" viewBox="0 0 120 32" width="120" height="32" role="img" aria-label=label data-points="0">
                <line x1="0" y1="16" x2="120" y2="16" class="spark-none"></line>
            </svg>
        }
        .into_any();
    };
    let (lx, ly) = (px(lx), px(ly));
    view! {
        <svg class="sparkline" viewBox="0 0 120 32" width="120" height="32" role="img" aria-label=label data-points=n>
            <polyline points=spark.points class="spark-line"></polyline>
            {spark.forecast.map(|(fx, fy)| {
                let (fx, fy) = (px(fx), px(fy));
                view! {
                    <line x1=lx.clone() y1=ly.clone() x2=fx.clone() y2=fy.clone() class="spark-forecast"></line>
                    <circle cx=fx cy=fy r="2.5" class="spark-forecast-dot" data-testid="forecast-marker"></circle>
                }
            })}
            <circle cx=lx cy=ly r="2.5" class="spark-last"></circle>
        </svg>
    }
    .into_any()
}
