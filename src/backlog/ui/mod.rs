//! The backlog's pages: the ranked list (with its overview and poker tabs),
//! a requirement's page, "my requirements" and a poker round. One file per
//! page, shared pieces beside them.
mod csv_import;
mod editor;
mod evidence;
mod fields;
mod history;
mod labels;
mod list;
mod matrix;
mod mine;
mod overview;
mod owner;
mod poker;
mod ranked;
mod requirement;
mod score;
mod submit;

// Siblings reach each other's pieces through `use super::*`.
use csv_import::*;
use editor::*;
use evidence::*;
use fields::*;
use history::*;
use labels::*;
use list::show_backlog;
use matrix::*;
use overview::*;
use owner::*;
use poker::*;
use ranked::*;
use score::*;
use submit::*;

pub use labels::{
    agreement_label, field_label, framework_label, sort_label, source_label, status_label,
};
pub use list::BacklogPage;
pub use mine::MyRequirementsPage;
pub use poker::PokerRoundPage;
pub use requirement::RequirementPage;
