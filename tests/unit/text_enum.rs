//! Unit tests of `src/lib.rs`: enums declared with its `text_enum!` macro.

use keel::backlog::model::Status;
use keel::kpi::model::KpiStatus;
use sqlx::Row;

#[tokio::test]
async fn binds_and_reads_as_its_text() {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
    let row = sqlx::query("SELECT $1 AS s, typeof($2) AS t, 'nope' AS bad")
        .bind(Status::UnderReview)
        .bind(Status::UnderReview)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("s"), "under_review");
    assert_eq!(row.get::<String, _>("t"), "text");
    assert_eq!(row.get::<Status, _>("s"), Status::UnderReview);
    assert!(row.try_get::<Status, _>("bad").is_err(), "unknown text");
}

#[test]
fn discriminants_order_and_all_lists() {
    assert_eq!(
        KpiStatus::ALL,
        [
            KpiStatus::OnTrack,
            KpiStatus::AtRisk,
            KpiStatus::OffTrack,
            KpiStatus::Achieved
        ]
    );
    assert!(KpiStatus::OffTrack < KpiStatus::AtRisk);
    assert!(KpiStatus::AtRisk < KpiStatus::OnTrack);
    assert!(KpiStatus::OnTrack < KpiStatus::Achieved);
}
