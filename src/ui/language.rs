//! The two languages: switching, remembering, and the names of roles.
use crate::auth::api::set_language;
use crate::auth::{Language, Role};
use crate::i18n::*;
use crate::ui::icons::Icon;
use leptos::prelude::*;

/// A role's name in the page's language.
pub fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, role.admin),
        Role::Leader => td_string!(locale, role.leader),
        Role::Pm => td_string!(locale, role.pm),
        Role::Member => td_string!(locale, role.member),
    }
}

pub fn locale_of(lang: Language) -> Locale {
    match lang {
        Language::En => Locale::en,
        Language::Zh => Locale::zh,
    }
}

pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::zh => Language::Zh,
    }
}

/// Switches the language at once in the browser and remembers it (per person
/// when signed in, in a cookie otherwise).
pub fn switch_language(i18n: leptos_i18n::I18nContext<Locale>, to: Locale) {
    i18n.set_locale(to);
    leptos::task::spawn_local(async move {
        let _ = set_language(language_of(to)).await;
    });
}

#[component]
pub fn LanguageToggle() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::en => Locale::zh,
        Locale::zh => Locale::en,
    };
    view! {
        <button
            type="button"
            class="btn btn-ghost lang-toggle"
            data-testid="language-toggle"
            lang=move || other().as_str()
            aria-label=move || t_string!(i18n, nav.switch_language_label)
            on:click=move |_| switch_language(i18n, other())
        >
            <Icon name="globe"/>
            <span>{t!(i18n, nav.switch_language)}</span>
        </button>
    }
}
