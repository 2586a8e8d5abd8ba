//! `/kpis/new`: the form that defines a KPI.
use super::parts::{KpiFormView, KpiTabs};
use crate::i18n::*;
use crate::kpi::api::load_kpi_form_choices;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;

/// `/kpis/new`: define a KPI.
#[component]
pub fn NewKpiPage() -> impl IntoView {
    let i18n = use_i18n();
    let choices = page_resource(|| (), |_| load_kpi_form_choices());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.new_kpi).to_string())/>
        <KpiTabs current="kpis"/>
        <PageScaffold data=choices let:c><KpiFormView choices=c/></PageScaffold>
    }
}
