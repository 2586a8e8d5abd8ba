//! Unit tests of `src/notify/chat/payload.rs`: each provider's JSON, and
//! hostile text kept from becoming markup.

use keel::notify::chat::model::ChatProvider::{self, *};
use keel::notify::chat::payload::*;
use serde_json::{Value, json};

fn message(title: &str, body: &str) -> ChatMessage {
    ChatMessage {
        title: title.into(),
        body: body.into(),
        link: "https://keel.example.com/backlog/r/42".into(),
        link_label: "Open in Keel".into(),
        language: "en".into(),
    }
}

fn plain() -> ChatMessage {
    message("Dark mode is planned", "Moved from new to planned.")
}

/// Every string anywhere in a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn slack_payload() {
    assert_eq!(
        payload(Slack, &plain(), None),
        json!({
            "text": "Dark mode is planned\nMoved from new to planned.\n<https://keel.example.com/backlog/r/42|Open in Keel>",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "Dark mode is planned", "emoji": false}},
                {"type": "section", "text": {"type": "plain_text", "text": "Moved from new to planned.", "emoji": false}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "<https://keel.example.com/backlog/r/42|Open in Keel>"}},
            ],
        })
    );
}

#[test]
fn teams_payload() {
    assert_eq!(
        payload(Teams, &plain(), None),
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "Dark mode is planned", "weight": "Bolder", "size": "Medium"}]},
                        {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "Moved from new to planned."}]},
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": "Open in Keel", "url": "https://keel.example.com/backlog/r/42"}],
                },
            }],
        })
    );
}

#[test]
fn feishu_payload_signed_and_unsigned() {
    let post = json!({"post": {"en_us": {
        "title": "Dark mode is planned",
        "content": [
            [{"tag": "text", "text": "Moved from new to planned."}],
            [{"tag": "a", "text": "Open in Keel", "href": "https://keel.example.com/backlog/r/42"}],
        ],
    }}});
    assert_eq!(
        payload(Feishu, &plain(), None),
        json!({"msg_type": "post", "content": post})
    );
    assert_eq!(
        payload(Feishu, &plain(), Some((1_700_000_000, "SIGN".into()))),
        json!({"timestamp": "1700000000", "sign": "SIGN", "msg_type": "post", "content": post})
    );
    let mut zh = message("暗色模式已计划", "从“新建”移到“已计划”。");
    zh.language = "zh".into();
    let v = payload(Feishu, &zh, None);
    assert_eq!(v["content"]["post"]["zh_cn"]["title"], "暗色模式已计划");
    assert_eq!(
        v["content"]["post"]["zh_cn"]["content"][0][0]["text"],
        "从“新建”移到“已计划”。"
    );
}

#[test]
fn dingtalk_and_wecom_payloads() {
    let text = "**Dark mode is planned**\n\nMoved from new to planned.\n\n[Open in Keel](https://keel.example.com/backlog/r/42)";
    assert_eq!(
        payload(Dingtalk, &plain(), None),
        json!({"msgtype": "markdown", "markdown": {"title": "Dark mode is planned", "text": text}})
    );
    assert_eq!(
        payload(Wecom, &plain(), None),
        json!({"msgtype": "markdown", "markdown": {"content": text}})
    );
}

#[test]
fn slack_mentions_and_html_are_escaped() {
    let m = message(
        "<!channel> <script>alert(1)</script>",
        "ping <@U123> & <https://evil.example|click>",
    );
    let v = payload(Slack, &m, None);
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with("&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt;\nping &lt;@U123&gt; &amp; &lt;https://evil.example|click&gt;"), "{text}");
    // The only `<` left in mrkdwn is our own link.
    assert_eq!(text.matches('<').count(), 1, "{text}");
    // Blocks with user text are plain_text, which Slack never parses.
    assert_eq!(v["blocks"][0]["text"]["type"], "plain_text");
    assert_eq!(v["blocks"][1]["text"]["type"], "plain_text");
    let link = v["blocks"][2]["text"]["text"].as_str().unwrap();
    assert_eq!(link, "<https://keel.example.com/backlog/r/42|Open in Keel>");
}

#[test]
fn markdown_links_and_mentions_do_not_survive_in_dingtalk_and_wecom() {
    let m = message(
        "[click](javascript:alert(1))",
        "![x](https://evil.example/pixel.png) <@all> <font color=\"warning\">red</font> **bold** _i_ `code` # head\n> quote",
    );
    for provider in [Dingtalk, Wecom] {
        let v = payload(provider, &m, None);
        let text = v["markdown"][if provider == Dingtalk {
            "text"
        } else {
            "content"
        }]
        .as_str()
        .unwrap()
        .to_string();
        // Our own link and bold title are the only markup.
        assert_eq!(text.matches('[').count(), 1, "{provider:?}: {text}");
        assert_eq!(text.matches('<').count(), 0, "{provider:?}: {text}");
        assert_eq!(text.matches("](").count(), 1, "{provider:?}: {text}");
        assert!(text.contains("［click］(javascript:alert(1))"), "{text}");
        assert!(text.contains("＜@all＞"), "{text}");
        assert!(text.contains("＊＊bold＊＊"), "{text}");
        assert!(text.contains("＞ quote"), "{text}");
        assert!(!text.contains("](javascript"), "{text}");
    }
}

#[test]
fn teams_and_feishu_keep_user_text_out_of_markdown() {
    let m = message(
        "[x](javascript:alert(1))",
        "**bold** <at user_id=\"all\">all</at>",
    );
    let teams = payload(Teams, &m, None);
    let card = &teams["attachments"][0]["content"];
    for block in card["body"].as_array().unwrap() {
        // No TextBlock (markdown) carries user text.
        assert_eq!(block["type"], "RichTextBlock");
    }
    assert_eq!(
        card["body"][0]["inlines"][0]["text"],
        "[x](javascript:alert(1))"
    );
    let feishu = payload(Feishu, &m, None);
    let line = &feishu["content"]["post"]["en_us"]["content"][0][0];
    assert_eq!(line["tag"], "text");
    assert_eq!(line["text"], "**bold** <at user_id=\"all\">all</at>");
    assert!(line.get("un_escape").is_none());
}

#[test]
fn chinese_text_passes_intact() {
    let mut m = message("需求“暗色模式”已进入计划", "负责人：张伟\n预计下周完成。");
    m.link_label = "在 Keel 中打开".into();
    m.language = "zh".into();
    for provider in ChatProvider::ALL {
        let v = payload(provider, &m, None);
        let mut all = Vec::new();
        strings(&v, &mut all);
        let joined = all.join("\n");
        assert!(
            joined.contains("需求“暗色模式”已进入计划"),
            "{provider:?}: {joined}"
        );
        assert!(joined.contains("负责人：张伟"), "{provider:?}: {joined}");
        assert!(joined.contains("预计下周完成。"), "{provider:?}: {joined}");
        assert!(joined.contains("在 Keel 中打开"), "{provider:?}: {joined}");
    }
}

#[test]
fn control_characters_are_stripped() {
    let m = message("a\u{0}b\u{7}c\u{202E}d\r\ne", "x\u{1b}[31my\r\nz\u{2066}w");
    for provider in ChatProvider::ALL {
        let mut all = Vec::new();
        strings(&payload(provider, &m, None), &mut all);
        for s in &all {
            assert!(
                !s.chars().any(|c| (c.is_control() && c != '\n')
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)),
                "{provider:?}: {s:?}"
            );
        }
    }
    assert_eq!(clean_text("a\u{0}b\u{7}c\u{202E}d\r\ne", false), "abcd e");
    assert_eq!(clean_text(" x\u{1b}[31my\r\nz ", true), "x[31my\nz");
}

#[test]
fn lengths_are_capped_per_provider() {
    let m = message(&"标".repeat(500), &"长".repeat(10_000));
    let slack = payload(Slack, &m, None);
    assert!(
        slack["blocks"][0]["text"]["text"]
            .as_str()
            .unwrap()
            .chars()
            .count()
            <= 150
    );
    assert!(
        slack["blocks"][1]["text"]["text"]
            .as_str()
            .unwrap()
            .chars()
            .count()
            <= 3000
    );
    let wecom = payload(Wecom, &m, None);
    let content = wecom["markdown"]["content"].as_str().unwrap();
    assert!(content.len() <= WECOM_MAX_BYTES, "{}", content.len());
    assert!(
        content.ends_with("(https://keel.example.com/backlog/r/42)"),
        "the link stays"
    );
    assert!(content.contains('…'));
    // Escaping grows ASCII markup threefold; the cap still holds.
    let m = message("t", &"*[".repeat(5000));
    let content = payload(Wecom, &m, None)["markdown"]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(content.len() <= WECOM_MAX_BYTES, "{}", content.len());
    assert!(content.ends_with("(https://keel.example.com/backlog/r/42)"));
    for provider in ChatProvider::ALL {
        let body = payload(
            provider,
            &message(&"x".repeat(500), &"y".repeat(10_000)),
            None,
        )
        .to_string();
        // Feishu takes 20 KB, Teams ~28 KB.
        assert!(body.len() < 20_000, "{provider:?}: {}", body.len());
    }
}

#[test]
fn truncation_respects_characters() {
    assert_eq!(truncate_chars("abc", 3), "abc");
    assert_eq!(truncate_chars("abcd", 3), "ab…");
    assert_eq!(truncate_bytes("中文字", 9), "中文字");
    // 8 bytes: one 3-byte character and the 3-byte ellipsis.
    assert_eq!(truncate_bytes("中文字", 8), "中…");
}

#[test]
fn links_must_be_http_and_cannot_break_out() {
    assert_eq!(safe_link("javascript:alert(1)"), None);
    assert_eq!(safe_link("data:text/html,x"), None);
    assert_eq!(
        safe_link("https://keel.example.com/a(b)|c>d"),
        Some("https://keel.example.com/a%28b%29%7Cc%3Ed".into())
    );
    let mut m = plain();
    m.link = "javascript:alert(1)".into();
    for provider in ChatProvider::ALL {
        let body = payload(provider, &m, None).to_string();
        assert!(!body.contains("javascript"), "{provider:?}: {body}");
    }
    // Without a label the title is the link's words.
    let mut m = plain();
    m.link_label = String::new();
    assert_eq!(
        payload(Teams, &m, None)["attachments"][0]["content"]["actions"][0]["title"],
        "Dark mode is planned"
    );
}
