//! Which code each page needs. Every capability's pages are one lazily loaded
//! wasm chunk (a `#[lazy]` function per capability): the main module holds
//! the shell, the router and the navigation, and a first visit downloads only
//! the chunk of the page it opens (the server's HTML names that chunk in a
//! `<link rel="preload">`, so it loads alongside the main module). Hovering,
//! focusing or touching a navigation link prefetches its chunk.
//!
//! On the server these functions are plain functions (`#[lazy]` applies to
//! the browser build only): the server names a page's chunk files itself
//! (`server::chunks`), because leptos's own recording of lazy functions
//! during rendering, in leptos_integration_utils 0.8.9, runs outside the
//! request's reactive owner and now and then cost a page its response
//! headers (its Content-Security-Policy, so the page never hydrated).
use leptos::prelude::*;
use leptos_router::LazyRoute;

macro_rules! page_routes {
    ($chunk:ident, $preload:ident, $kind:ident { $($route:ident => $page:ident),* $(,)? }) => {
        $(
            pub struct $route;
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }
                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "hydrate")]
                    let view = $chunk($kind::$page).await;
                    #[cfg(not(feature = "hydrate"))]
                    let view = $chunk($kind::$page);
                    view
                }
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

/// The pages of one chunk, so that one lazy function renders any of them.
macro_rules! page_kinds {
    ($kind:ident { $($page:ident),* $(,)? }) => {
        #[derive(Clone, Copy, Debug)]
        pub enum $kind {
            $($page),*
        }
    };
}

page_kinds!(SignInPage { LoginPage });
page_kinds!(AuthPage {
    SetupPage,
    ProfilePage
});
page_kinds!(HomePage { Dashboard });
page_kinds!(KpiPage {
    KpisPage,
    NewKpiPage,
    GoalsPage,
    ChartersPage,
    CharterPage,
    KpiPage
});
page_kinds!(BacklogPage {
    BacklogPage,
    MyRequirementsPage,
    RequirementPage,
    PokerRoundPage
});
page_kinds!(GrowthPage {
    MyGrowthPage,
    PersonGrowthPage,
    GrowthDashboardPage,
    GrowthCatalogPage,
    GrowthMentoringPage,
    GrowthFrameworkPage,
    GrowthSettingsPage
});
page_kinds!(SurveyPage {
    SurveysPage,
    NewRoundPage,
    RoundPage,
    ResultsPage
});
page_kinds!(SurveyAnswerPage { AnswerPage });
page_kinds!(PeoplePage { PeoplePage });

// The sign-in page and a survey's answer page are each a chunk of their own:
// people open them first, often on a phone.
#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn sign_in_pages(page: SignInPage) -> AnyView {
    match page {
        SignInPage::LoginPage => view! { <crate::auth::ui::LoginPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn answer_pages(page: SurveyAnswerPage) -> AnyView {
    match page {
        SurveyAnswerPage::AnswerPage => view! { <crate::surveys::ui::AnswerPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn auth_pages(page: AuthPage) -> AnyView {
    use crate::auth::ui::*;
    match page {
        AuthPage::SetupPage => view! { <SetupPage/> }.into_any(),
        AuthPage::ProfilePage => view! { <ProfilePage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn home_pages(page: HomePage) -> AnyView {
    match page {
        HomePage::Dashboard => view! { <crate::home::Dashboard/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn kpi_pages(page: KpiPage) -> AnyView {
    use crate::kpi::ui::*;
    match page {
        KpiPage::KpisPage => view! { <KpisPage/> }.into_any(),
        KpiPage::NewKpiPage => view! { <NewKpiPage/> }.into_any(),
        KpiPage::GoalsPage => view! { <GoalsPage/> }.into_any(),
        KpiPage::ChartersPage => view! { <ChartersPage/> }.into_any(),
        KpiPage::CharterPage => view! { <CharterPage/> }.into_any(),
        KpiPage::KpiPage => view! { <crate::kpi::ui::KpiPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn backlog_pages(page: BacklogPage) -> AnyView {
    use crate::backlog::ui::*;
    match page {
        BacklogPage::BacklogPage => view! { <crate::backlog::ui::BacklogPage/> }.into_any(),
        BacklogPage::MyRequirementsPage => view! { <MyRequirementsPage/> }.into_any(),
        BacklogPage::RequirementPage => view! { <RequirementPage/> }.into_any(),
        BacklogPage::PokerRoundPage => view! { <PokerRoundPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn growth_pages(page: GrowthPage) -> AnyView {
    use crate::growth::ui::*;
    match page {
        GrowthPage::MyGrowthPage => view! { <MyGrowthPage/> }.into_any(),
        GrowthPage::PersonGrowthPage => view! { <PersonGrowthPage/> }.into_any(),
        GrowthPage::GrowthDashboardPage => view! { <GrowthDashboardPage/> }.into_any(),
        GrowthPage::GrowthCatalogPage => view! { <GrowthCatalogPage/> }.into_any(),
        GrowthPage::GrowthMentoringPage => view! { <GrowthMentoringPage/> }.into_any(),
        GrowthPage::GrowthFrameworkPage => view! { <GrowthFrameworkPage/> }.into_any(),
        GrowthPage::GrowthSettingsPage => view! { <GrowthSettingsPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn survey_pages(page: SurveyPage) -> AnyView {
    use crate::surveys::ui::*;
    match page {
        SurveyPage::SurveysPage => view! { <SurveysPage/> }.into_any(),
        SurveyPage::NewRoundPage => view! { <NewRoundPage/> }.into_any(),
        SurveyPage::RoundPage => view! { <RoundPage/> }.into_any(),
        SurveyPage::ResultsPage => view! { <ResultsPage/> }.into_any(),
    }
}

#[cfg_attr(feature = "hydrate", leptos::lazy)]
fn people_pages(page: PeoplePage) -> AnyView {
    match page {
        PeoplePage::PeoplePage => view! { <crate::people::ui::PeoplePage/> }.into_any(),
    }
}

pub mod routes {
    //! One route type per page, for the router (`Lazy::<Kpis>::new()`).
    use super::*;
    page_routes!(sign_in_pages, __preload_sign_in_pages, SignInPage { Login => LoginPage });
    page_routes!(answer_pages, __preload_answer_pages, SurveyAnswerPage { Answer => AnswerPage });
    page_routes!(auth_pages, __preload_auth_pages, AuthPage {
        Setup => SetupPage,
        Profile => ProfilePage,
    });
    page_routes!(home_pages, __preload_home_pages, HomePage { Home => Dashboard });
    page_routes!(kpi_pages, __preload_kpi_pages, KpiPage {
        Kpis => KpisPage,
        NewKpi => NewKpiPage,
        Goals => GoalsPage,
        Charters => ChartersPage,
        Charter => CharterPage,
        Kpi => KpiPage,
    });
    page_routes!(backlog_pages, __preload_backlog_pages, BacklogPage {
        Backlog => BacklogPage,
        MyRequirements => MyRequirementsPage,
        Requirement => RequirementPage,
        PokerRound => PokerRoundPage,
    });
    page_routes!(growth_pages, __preload_growth_pages, GrowthPage {
        MyGrowth => MyGrowthPage,
        PersonGrowth => PersonGrowthPage,
        GrowthDashboard => GrowthDashboardPage,
        GrowthCatalog => GrowthCatalogPage,
        GrowthMentoring => GrowthMentoringPage,
        GrowthFramework => GrowthFrameworkPage,
        GrowthSettings => GrowthSettingsPage,
    });
    page_routes!(survey_pages, __preload_survey_pages, SurveyPage {
        Surveys => SurveysPage,
        NewRound => NewRoundPage,
        Round => RoundPage,
        Results => ResultsPage,
    });
    page_routes!(people_pages, __preload_people_pages, PeoplePage { People => PeoplePage });
}

/// The chunk (the `#[lazy]` function's name) the page at `path` is in. The
/// router's table, by first path segment; the server names this chunk's
/// files in the page's `<link rel="preload">`s, the navigation prefetches it.
pub fn chunk_of(path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segments = path.trim_start_matches('/').split('/');
    Some(match segments.next().unwrap_or("") {
        "" => "home_pages",
        "kpis" => "kpi_pages",
        "backlog" => "backlog_pages",
        "growth" => "growth_pages",
        "surveys" if path.ends_with("/answer") => "answer_pages",
        "surveys" => "survey_pages",
        "people" => "people_pages",
        "profile" | "setup" => "auth_pages",
        "login" => "sign_in_pages",
        _ => return None,
    })
}

/// Starts loading the chunk of the page at `href` (a navigation link about to
/// be followed), so that the click finds it loaded. Loading twice is free.
pub fn prefetch(href: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(chunk) = chunk_of(href) {
        leptos::task::spawn_local(async move {
            match chunk {
                "home_pages" => __preload_home_pages().await,
                "kpi_pages" => __preload_kpi_pages().await,
                "backlog_pages" => __preload_backlog_pages().await,
                "growth_pages" => __preload_growth_pages().await,
                "answer_pages" => __preload_answer_pages().await,
                "survey_pages" => __preload_survey_pages().await,
                "people_pages" => __preload_people_pages().await,
                "auth_pages" => __preload_auth_pages().await,
                "sign_in_pages" => __preload_sign_in_pages().await,
                _ => {}
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

#[cfg(test)]
mod tests {
    use super::chunk_of;

    #[test]
    fn every_page_is_in_the_chunk_of_its_capability() {
        for (path, chunk) in [
            ("/", "home_pages"),
            ("/kpis", "kpi_pages"),
            ("/kpis/goals?x=1", "kpi_pages"),
            ("/backlog?b=1", "backlog_pages"),
            ("/backlog/poker/1", "backlog_pages"),
            ("/growth/catalog", "growth_pages"),
            ("/surveys/1/answer", "answer_pages"),
            ("/surveys/1/results", "survey_pages"),
            ("/surveys", "survey_pages"),
            ("/people", "people_pages"),
            ("/profile", "auth_pages"),
            ("/login?error=x", "sign_in_pages"),
        ] {
            assert_eq!(chunk_of(path), Some(chunk), "{path}");
        }
        assert_eq!(chunk_of("/nowhere"), None);
    }
}
