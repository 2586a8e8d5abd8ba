//! Unit tests of `src/ui/page.rs`.

use keel::ui::page::*;

#[test]
fn the_server_title_is_escaped_text() {
    assert_eq!(document_title(String::new()), "Keel");
    assert_eq!(document_title("看板 A&B".into()), "看板 A&amp;B · Keel");
    assert_eq!(
        document_title(r#"x </title><meta http-equiv="refresh">"#.into()),
        "x &lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;&gt; · Keel"
    );
}
