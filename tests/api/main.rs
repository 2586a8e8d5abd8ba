#![recursion_limit = "512"]
//! Server-function and HTTP integration tests: the real router against a
//! temporary database (SQLite, or PostgreSQL with KEEL_TEST_BACKEND=postgres),
//! driven through its public interface.
//!
//! `helpers` holds what the tests share; every other module is one area.
mod helpers;

mod api_tokens;
mod auth;
mod authz;
mod authz_fixtures;
mod authz_table;
mod backlog;
mod backlog_csv;
mod backlog_edit;
mod backlog_planning;
mod dates;
mod growth;
mod growth_edit;
mod growth_framework;
mod injection;
mod integrity;
mod kpi;
mod kpi_goals;
mod lists;
mod notify_events;
mod notify_inbox;
mod pages;
mod people;
mod people_handover;
mod people_onboarding;
mod periods;
mod plain_forms;
mod servers;
mod sign_in;
mod storage;
mod surveys;
mod surveys_disk;
mod surveys_edit;
mod surveys_migration;
mod surveys_results;
