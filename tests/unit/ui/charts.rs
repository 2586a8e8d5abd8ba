//! Unit tests of `src/ui/charts.rs`.

use keel::ui::charts::nice_ticks;

#[test]
fn ticks_are_round_and_cover_the_range() {
    assert_eq!(
        nice_ticks(100.0, 256.9, 4),
        vec![100.0, 150.0, 200.0, 250.0, 300.0]
    );
    assert_eq!(nice_ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
}
