//! Pieces shared by the growth pages: labels and amounts, the section's
//! tabs and the period picker.
use crate::growth::model::{Competency, ItemKind, choosable, money_text};
use crate::i18n::*;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

pub(super) fn kind_label(locale: Locale, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Course => td_string!(locale, growth.kind.course),
        ItemKind::Conference => td_string!(locale, growth.kind.conference),
        ItemKind::Reading => td_string!(locale, growth.kind.reading),
        ItemKind::InternalSharing => td_string!(locale, growth.kind.internal_sharing),
        ItemKind::Mentoring => td_string!(locale, growth.kind.mentoring),
        ItemKind::StretchAssignment => td_string!(locale, growth.kind.stretch_assignment),
    }
}

pub(super) fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{}%", (p * 100.0).round() as i64))
        .unwrap_or_else(|| "—".into())
}

pub(super) fn money(cents: i64, currency: &str) -> String {
    format!("{} {currency}", money_text(cents))
}

pub(super) fn name_of(list: &[Competency], id: &str, zh: bool) -> String {
    list.iter()
        .find(|c| c.id == id)
        .map(|c| c.names.get(zh).to_string())
        .unwrap_or_default()
}

/// Whether the competency `id` of the list is retired.
pub(super) fn is_retired(list: &[Competency], id: &str) -> bool {
    list.iter().any(|c| c.id == id && c.retired)
}

/// Competencies to choose for a record, as (id, name): those in use, and the
/// one the record holds (`held`) even when retired, named so.
pub(super) fn competency_options(
    list: &[Competency],
    locale: Locale,
    held: Option<&str>,
) -> Vec<(String, String)> {
    let zh = locale == Locale::zh;
    list.iter()
        .filter(|c| choosable(c.retired, held == Some(c.id.as_str())))
        .map(|c| {
            let name = c.names.get(zh);
            let label = if c.retired {
                format!("{name} ({})", td_string!(locale, growth.retired))
            } else {
                name.to_string()
            };
            (c.id.clone(), label)
        })
        .collect()
}

/// The badge of a retired competency, level or catalog entry: a word with an
/// icon, never colour alone.
#[component]
pub(super) fn RetiredBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge badge-muted" data-testid="retired"><Icon name="lock"/>{t!(i18n, growth.retired)}</span>
    }
}

/// Moves keyboard focus to the element with this id once the browser has
/// drawn it (after a reload re-renders the control that was used).
pub(super) fn focus_by_id(id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The tabs of the growth section; leaders and admins also see the
/// dashboard and the budgets.
#[component]
pub(super) fn GrowthTabs(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::ui::session::use_me().0;
    let tab = move |key: &'static str, href: &'static str| {
        let label = move || match key {
            "mine" => t_string!(i18n, growth.tab_mine),
            "dashboard" => t_string!(i18n, growth.tab_dashboard),
            "catalog" => t_string!(i18n, growth.tab_catalog),
            "mentoring" => t_string!(i18n, growth.tab_mentoring),
            "framework" => t_string!(i18n, growth.tab_framework),
            _ => t_string!(i18n, growth.tab_settings),
        };
        view! {
            <a href=href class="tab" aria-current=if key == current { Some("page") } else { None }>{label}</a>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav.growth)>
            {tab("mine", "/growth")}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let leads = matches!(
                        user.await,
                        Ok(Some(u)) if matches!(u.role, crate::auth::Role::Admin | crate::auth::Role::Leader)
                    );
                    leads.then(|| view! { {tab("dashboard", "/growth/dashboard")} })
                })}
            </Suspense>
            {tab("catalog", "/growth/catalog")}
            {tab("mentoring", "/growth/mentoring")}
            {tab("framework", "/growth/framework")}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let leads = matches!(
                        user.await,
                        Ok(Some(u)) if matches!(u.role, crate::auth::Role::Admin | crate::auth::Role::Leader)
                    );
                    leads.then(|| view! { {tab("settings", "/growth/settings")} })
                })}
            </Suspense>
        </nav>
    }
}

/// A period picker that keeps the current path and sets `?period=`.
#[component]
pub(super) fn PeriodPicker(
    periods: Vec<crate::growth::model::Period>,
    current: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let location = use_location();
    let value = RwSignal::new(current.unwrap_or_default());
    view! {
        <div class="field period-picker">
            <label for="period-picker">{t!(i18n, growth.period)}</label>
            <select id="period-picker" prop:value=move || value.get() on:change=move |ev| {
                let v = event_target_value(&ev);
                value.set(v.clone());
                navigate(&format!("{}?period={}", location.pathname.get_untracked(), crate::ui::url_encode(&v)), Default::default());
            }>
                {periods.into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <option value=id.clone() selected=move || value.get() == id>{format!("{} ({} – {})", p.name, p.start_date, p.end_date)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

pub(super) fn kind_options(locale: Locale) -> Vec<(String, String)> {
    ItemKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(locale, *k).to_string()))
        .collect()
}
