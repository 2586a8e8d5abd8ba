//! Pages of surveys: the list of rounds, a new round, a round's page for
//! its owner, the answer page (phone-first, with a draft kept in the
//! browser) and the results (groups, questions, heatmap, trend, actions).
mod action_plans;
mod answer;
mod home_card;
mod list;
mod new_round;
mod parts;
mod results;
mod round;
mod round_edit;

pub use answer::AnswerPage;
pub use home_card::SurveysAwaiting;
pub use list::SurveysPage;
pub use new_round::NewRoundPage;
pub use parts::theme_label;
pub use results::ResultsPage;
pub use round::RoundPage;
