//! Each provider's message JSON for one notification.
//!
//! The title and body come from people (a requirement's title, a comment)
//! and are hostile: every provider gets them in a form its markup cannot
//! turn into a link, an image, a mention or HTML.
//!
//! - Slack: the title in a `header` block and the body in a `section`, both
//!   `plain_text` (never parsed as mrkdwn); the link in a mrkdwn section
//!   `<url|label>`; the top-level `text` (notifications, old clients) is
//!   mrkdwn, so `&`, `<` and `>` are escaped as Slack asks ("Escaping text":
//!   `&amp;` `&lt;` `&gt;`, docs.slack.dev/messaging/formatting-message-text),
//!   which also defuses `<!channel>` and `<@U…>`. Limits: header 150
//!   characters, section text 3000 (Block Kit reference).
//! - Teams (Workflows, "Post card in a chat or channel"): a message with one
//!   Adaptive Card 1.4 attachment. The user's text goes in `RichTextBlock`
//!   `TextRun`s, which Adaptive Cards never read as Markdown (a `TextBlock`
//!   is Markdown, and backslash escapes render differently on desktop and
//!   mobile: microsoft/AdaptiveCards#5590, #4677); our own fixed words are a
//!   `TextBlock`; the link is an `Action.OpenUrl`. Teams takes up to ~28 KB.
//! - Feishu/Lark: `msg_type` `post` (rich text), whose `text` elements are
//!   plain text (no `<at>` parsing) and whose link is an `a` element;
//!   `timestamp` and `sign` when the destination has a secret. Request
//!   bodies up to 20 KB (open.larkoffice.com, 自定义机器人使用指南).
//! - DingTalk: `msgtype` `markdown` with `title` (the notification preview)
//!   and `text` (open.dingtalk.com, 消息类型及数据格式).
//! - WeCom: `msgtype` `markdown`, `content` at most 4096 bytes of UTF-8
//!   (developer.work.weixin.qq.com/document/path/91770).
//!
//! DingTalk's and WeCom's markdown has no escape character, so the user's
//! text has its markup characters replaced by their full-width forms
//! (`[`→`［`, `<`→`＜`, `*`→`＊` …): no link, image, HTML tag or WeCom
//! `<@mention>` survives, and Chinese readers see ordinary punctuation.
use super::model::ChatProvider;
use serde_json::{Value, json};

/// One notification, in the destination's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// What happened ("Requirement 'Dark mode' is now planned").
    pub title: String,
    /// More about it (may be empty); line breaks are kept.
    pub body: String,
    /// The record's page, built from `KEEL_PUBLIC_URL` (`http(s)://` only;
    /// anything else is left out).
    pub link: String,
    /// The words of the link ("Open in Keel"); empty: the title.
    pub link_label: String,
    /// `"zh"` or `"en"` (Feishu files the post under `zh_cn` or `en_us`).
    pub language: String,
}

/// The longest title any provider gets, in characters.
pub const MAX_TITLE_CHARS: usize = 150;
/// The longest body, in characters (Slack's section text is 3000).
pub const MAX_BODY_CHARS: usize = 3000;
/// WeCom's markdown `content` limit, in bytes of UTF-8.
pub const WECOM_MAX_BYTES: usize = 4096;

/// Removes control characters (keeping line breaks when `keep_lines`, as
/// `\n`), and the bidirectional overrides that make text read differently
/// from what it is (U+202A–U+202E, U+2066–U+2069).
pub fn clean_text(text: &str, keep_lines: bool) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' {
            out.push(if keep_lines && c == '\n' { '\n' } else { ' ' });
        } else if c.is_control()
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
        {
            continue;
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// `text` cut to `max` characters, ending in `…` when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` cut to at most `max` bytes of UTF-8 at a character boundary,
/// ending in `…` when cut.
pub fn truncate_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub('…'.len_utf8());
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i + c.len_utf8() > budget {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}…", &text[..end])
}

/// Slack's escaping of `&`, `<` and `>` for mrkdwn text.
pub fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markup characters of DingTalk's and WeCom's markdown replaced by their
/// full-width forms, so user text stays text.
pub fn im_markdown_escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            '<' => '＜',
            '>' => '＞',
            '*' => '＊',
            '_' => '＿',
            '~' => '～',
            '`' => '｀',
            '#' => '＃',
            '|' => '｜',
            c => c,
        })
        .collect()
}

/// The link if it is a plain `http(s)://` URL, with the characters that
/// could end a markdown or Slack link (`()[]<>|"'` and spaces) percent-encoded.
pub fn safe_link(link: &str) -> Option<String> {
    let link = link.trim();
    let lower = link.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || link.chars().any(|c| c.is_control())
        || link.len() > 2048
    {
        return None;
    }
    let mut out = String::with_capacity(link.len());
    for c in link.chars() {
        match c {
            '(' | ')' | '[' | ']' | '<' | '>' | '|' | '"' | '\'' | ' ' | '`' | '\\' | '{' | '}' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// The message's parts, cleaned and cut: (title, body, link, label).
struct Parts {
    title: String,
    body: String,
    link: Option<String>,
    label: String,
}

fn parts(message: &ChatMessage) -> Parts {
    let title = truncate_chars(&clean_text(&message.title, false), MAX_TITLE_CHARS);
    let body = truncate_chars(&clean_text(&message.body, true), MAX_BODY_CHARS);
    let label = clean_text(&message.link_label, false);
    let label = if label.is_empty() {
        title.clone()
    } else {
        truncate_chars(&label, 75)
    };
    Parts {
        title,
        body,
        link: safe_link(&message.link),
        label,
    }
}

/// The JSON body for `provider`. `feishu_signature` is Feishu's
/// `(timestamp in seconds, sign)` when the destination has a secret.
pub fn payload(
    provider: ChatProvider,
    message: &ChatMessage,
    feishu_signature: Option<(i64, String)>,
) -> Value {
    let p = parts(message);
    match provider {
        ChatProvider::Slack => slack(&p),
        ChatProvider::Teams => teams(&p),
        ChatProvider::Feishu => feishu(&p, &message.language, feishu_signature),
        ChatProvider::Dingtalk => dingtalk(&p),
        ChatProvider::Wecom => wecom(&p),
    }
}

fn slack(p: &Parts) -> Value {
    let mut text = slack_escape(&p.title);
    if !p.body.is_empty() {
        text.push('\n');
        text.push_str(&slack_escape(&p.body));
    }
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": p.title, "emoji": false},
    })];
    if !p.body.is_empty() {
        blocks.push(json!({
            "type": "section",
            "text": {"type": "plain_text", "text": p.body, "emoji": false},
        }));
    }
    if let Some(link) = &p.link {
        let anchor = format!("<{link}|{}>", slack_escape(&p.label));
        text.push('\n');
        text.push_str(&anchor);
        blocks.push(json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": anchor},
        }));
    }
    json!({"text": text, "blocks": blocks})
}

fn teams(p: &Parts) -> Value {
    let mut body = vec![json!({
        "type": "RichTextBlock",
        "inlines": [{
            "type": "TextRun",
            "text": p.title,
            "weight": "Bolder",
            "size": "Medium",
        }],
    })];
    if !p.body.is_empty() {
        body.push(json!({
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": p.body}],
        }));
    }
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    });
    if let Some(link) = &p.link {
        card["actions"] = json!([{
            "type": "Action.OpenUrl",
            "title": p.label,
            "url": link,
        }]);
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }],
    })
}

fn feishu(p: &Parts, language: &str, signature: Option<(i64, String)>) -> Value {
    let mut lines = Vec::new();
    if !p.body.is_empty() {
        lines.push(json!([{"tag": "text", "text": p.body}]));
    }
    if let Some(link) = &p.link {
        lines.push(json!([{"tag": "a", "text": p.label, "href": link}]));
    }
    let locale = if language == "zh" { "zh_cn" } else { "en_us" };
    let mut post = serde_json::Map::new();
    post.insert(
        locale.to_string(),
        json!({"title": p.title, "content": lines}),
    );
    let mut out = json!({
        "msg_type": "post",
        "content": {"post": post},
    });
    if let Some((timestamp, sign)) = signature {
        // Feishu's examples send the timestamp as a string of seconds.
        out["timestamp"] = json!(timestamp.to_string());
        out["sign"] = json!(sign);
    }
    out
}

/// The markdown text DingTalk and WeCom get: the title in bold, the body,
/// and the link; user text escaped, the link ours (percent-encoded).
fn im_markdown(p: &Parts, body: &str) -> String {
    let mut text = format!("**{}**", im_markdown_escape(&p.title));
    if !body.is_empty() {
        text.push_str("\n\n");
        // A markdown line break needs two spaces before the newline.
        text.push_str(&im_markdown_escape(body).replace('\n', "  \n"));
    }
    if let Some(link) = &p.link {
        text.push_str(&format!("\n\n[{}]({link})", im_markdown_escape(&p.label)));
    }
    text
}

fn dingtalk(p: &Parts) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": {
            "title": p.title,
            "text": im_markdown(p, &p.body),
        },
    })
}

fn wecom(p: &Parts) -> Value {
    let mut content = im_markdown(p, &p.body);
    if content.len() > WECOM_MAX_BYTES {
        // Cut the body (never the link) until the whole fits.
        let without_body = im_markdown(p, "").len();
        let room = WECOM_MAX_BYTES.saturating_sub(without_body + 2 + 16);
        // Escaping and line breaks can grow the body: cut, then measure again.
        let mut budget = room;
        loop {
            let body = truncate_bytes(&p.body, budget);
            content = im_markdown(p, &body);
            if content.len() <= WECOM_MAX_BYTES || budget == 0 {
                break;
            }
            // Shrink in proportion to the overshoot, a little more each round.
            budget = (budget * WECOM_MAX_BYTES / content.len()).saturating_sub(16);
        }
    }
    json!({
        "msgtype": "markdown",
        "markdown": {"content": content},
    })
}
