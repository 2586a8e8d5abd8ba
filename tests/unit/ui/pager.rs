//! Unit tests of `src/ui/pager.rs`: page arithmetic and list addresses.

use keel::ui::pager::*;

#[test]
fn an_asked_offset_becomes_a_page_start() {
    assert_eq!(PAGE_SIZE, 50);
    assert_eq!(page_start(-7), 0);
    assert_eq!(page_start(0), 0);
    assert_eq!(page_start(49), 0);
    assert_eq!(page_start(50), 50);
    assert_eq!(page_start(149), 100);
}

#[test]
fn past_the_end_is_the_last_page() {
    assert_eq!(last_page_start(0), 0);
    assert_eq!(last_page_start(1), 0);
    assert_eq!(last_page_start(50), 0);
    assert_eq!(last_page_start(51), 50);
    assert_eq!(last_page_start(120), 100);
    assert_eq!(clamp_offset(900, 120), 100);
    assert_eq!(clamp_offset(60, 120), 50);
    assert_eq!(clamp_offset(100, 0), 0);
}

#[test]
fn the_range_shown_reads_51_to_100() {
    assert_eq!(shown_range(50, 50, 230), Some((51, 100)));
    assert_eq!(shown_range(200, 30, 230), Some((201, 230)));
    assert_eq!(shown_range(0, 0, 0), None);
}

#[test]
fn an_in_memory_list_is_paged_like_a_query() {
    let rows: Vec<i32> = (0..120).collect();
    let p1 = page_of(rows.clone(), 0);
    assert_eq!((p1.rows.len(), p1.total, p1.offset), (50, 120, 0));
    let p3 = page_of(rows.clone(), 100);
    assert_eq!((p3.rows.len(), p3.rows[0]), (20, 100));
    let past = page_of(rows, 5000);
    assert_eq!((past.offset, past.rows.len()), (100, 20));
    let empty = page_of(Vec::<i32>::new(), 50);
    assert_eq!((empty.offset, empty.total, empty.rows.len()), (0, 0, 0));
}

#[test]
fn show_older_grows_by_whole_pages() {
    assert_eq!(history_shown(0), 50);
    assert_eq!(history_shown(-3), 50);
    assert_eq!(history_shown(50), 50);
    assert_eq!(history_shown(51), 100);
    assert_eq!(history_shown(100), 100);
    assert_eq!(history_shown(i64::MAX / 2), 5000);
}

#[test]
fn a_list_address_keeps_its_filters_encoded_and_drops_empty_ones() {
    assert_eq!(list_href("/surveys", &[]), "/surveys");
    assert_eq!(
        list_href("/surveys", &[("q", String::new()), ("offset", "0".into())]),
        "/surveys"
    );
    assert_eq!(
        list_href(
            "/growth/catalog",
            &[
                ("q", "a&b 敏捷".into()),
                ("kind", "course".into()),
                ("offset", "50".into())
            ]
        ),
        "/growth/catalog?q=a%26b%20%E6%95%8F%E6%8D%B7&kind=course&offset=50"
    );
}
