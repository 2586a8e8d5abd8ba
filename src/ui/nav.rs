//! The capabilities as the navigation and the home page list them.
use crate::i18n::*;

/// The capabilities in the navigation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Section {
    Dashboard,
    Kpis,
    Backlog,
    Growth,
    Surveys,
    People,
}

impl Section {
    pub fn href(self) -> &'static str {
        match self {
            Section::Dashboard => "/",
            Section::Kpis => "/kpis",
            Section::Backlog => "/backlog",
            Section::Growth => "/growth",
            Section::Surveys => "/surveys",
            Section::People => "/people",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Section::Dashboard => "home",
            Section::Kpis => "target",
            Section::Backlog => "list",
            Section::Growth => "growth",
            Section::Surveys => "survey",
            Section::People => "people",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Section::Dashboard => td_string!(locale, nav.dashboard),
            Section::Kpis => td_string!(locale, nav.kpis),
            Section::Backlog => td_string!(locale, nav.backlog),
            Section::Growth => td_string!(locale, nav.growth),
            Section::Surveys => td_string!(locale, nav.surveys),
            Section::People => td_string!(locale, nav.people),
        }
    }

    pub fn blurb(self, locale: Locale) -> &'static str {
        match self {
            Section::Dashboard => "",
            Section::Kpis => td_string!(locale, dashboard.kpis_blurb),
            Section::Backlog => td_string!(locale, dashboard.backlog_blurb),
            Section::Growth => td_string!(locale, dashboard.growth_blurb),
            Section::Surveys => td_string!(locale, dashboard.surveys_blurb),
            Section::People => td_string!(locale, dashboard.people_blurb),
        }
    }
}
