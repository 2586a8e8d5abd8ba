//! Surveys on disk (issue 13): what a copy of the database file or its WAL
//! shows of an answer, before and after the close, and after the sweep that
//! finalises a round closed by time.
use crate::helpers::{App, PW, demo_app, new_id as id, on_postgres, sqlite_only, survey_key};
use crate::surveys::{BASE, answers, check_results, close, create_round, make_org, round, submit};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Just enough of SQLite's file format to read what a copy of the database
/// file or its WAL shows: b-tree leaf cells with their byte offsets, and the
/// pages WAL frames hold.
mod disk {
    #[derive(Debug, Clone, PartialEq)]
    pub enum Val {
        Null,
        Int(i64),
        Real,
        Text(String),
        Blob,
    }

    impl Val {
        pub fn text(&self) -> &str {
            match self {
                Val::Text(t) => t,
                _ => "",
            }
        }
        pub fn int(&self) -> i64 {
            match self {
                Val::Int(i) => *i,
                v => panic!("not an integer: {v:?}"),
            }
        }
    }

    /// A leaf cell: where it starts in the file, its rowid (table b-trees),
    /// its payload size and its record.
    #[derive(Debug, Clone)]
    pub struct Cell {
        pub page: u32,
        pub offset: usize,
        pub rowid: Option<i64>,
        pub payload: u64,
        pub values: Vec<Val>,
    }

    fn varint(b: &[u8]) -> (u64, usize) {
        let mut v: u64 = 0;
        for (i, c) in b.iter().take(8).enumerate() {
            v = (v << 7) | u64::from(c & 0x7f);
            if c & 0x80 == 0 {
                return (v, i + 1);
            }
        }
        ((v << 8) | u64::from(b[8]), 9)
    }

    fn record(b: &[u8]) -> Vec<Val> {
        let (header, mut at) = varint(b);
        let mut types = Vec::new();
        while at < header as usize {
            let (t, n) = varint(&b[at..]);
            types.push(t);
            at += n;
        }
        let mut body = header as usize;
        let mut out = Vec::new();
        for t in types {
            let int = |len: usize, body: usize| {
                let mut v: i64 = if b[body] & 0x80 != 0 { -1 } else { 0 };
                for x in &b[body..body + len] {
                    v = (v << 8) | i64::from(*x);
                }
                v
            };
            let (val, len) = match t {
                0 => (Val::Null, 0),
                1..=4 => (Val::Int(int(t as usize, body)), t as usize),
                5 => (Val::Int(int(6, body)), 6),
                6 => (Val::Int(int(8, body)), 8),
                7 => (Val::Real, 8),
                8 => (Val::Int(0), 0),
                9 => (Val::Int(1), 0),
                t if t >= 12 && t % 2 == 0 => (Val::Blob, ((t - 12) / 2) as usize),
                t if t >= 13 => {
                    let n = ((t - 13) / 2) as usize;
                    (
                        Val::Text(String::from_utf8_lossy(&b[body..body + n]).into()),
                        n,
                    )
                }
                t => panic!("serial type {t}"),
            };
            out.push(val);
            body += len;
        }
        out
    }

    /// The cells of a leaf page (table or index b-tree).
    pub fn leaf_cells(file: &[u8], page_size: usize, page: u32) -> Vec<Cell> {
        let base = (page as usize - 1) * page_size;
        let hdr = base + if page == 1 { 100 } else { 0 };
        let kind = file[hdr];
        assert!(kind == 0x0d || kind == 0x0a, "page {page} is not a leaf");
        let n = u16::from_be_bytes([file[hdr + 3], file[hdr + 4]]) as usize;
        (0..n)
            .map(|i| {
                let p = hdr + 8 + 2 * i;
                let offset = base + u16::from_be_bytes([file[p], file[p + 1]]) as usize;
                let (payload, a) = varint(&file[offset..]);
                let (rowid, b) = if kind == 0x0d {
                    let (r, b) = varint(&file[offset + a..]);
                    (Some(r as i64), b)
                } else {
                    (None, 0)
                };
                assert!((payload as usize) < page_size / 4, "no overflow pages");
                let start = offset + a + b;
                Cell {
                    page,
                    offset,
                    rowid,
                    payload,
                    values: record(&file[start..start + payload as usize]),
                }
            })
            .collect()
    }

    /// The pages the frames of a WAL file hold (none when there is no WAL).
    pub fn wal_pages(wal: &[u8]) -> Vec<u32> {
        if wal.len() < 32 {
            return vec![];
        }
        let page_size = u32::from_be_bytes([wal[8], wal[9], wal[10], wal[11]]) as usize;
        wal[32..]
            .chunks(24 + page_size)
            .filter(|f| f.len() >= 4)
            .map(|f| u32::from_be_bytes([f[0], f[1], f[2], f[3]]))
            .collect()
    }

    /// Where `needle` occurs in `hay`.
    pub fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
        hay.windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| i)
            .collect()
    }
}

/// The database file and its WAL as bytes, the way a copy of them would be.
struct OnDisk {
    file: Vec<u8>,
    wal: Vec<u8>,
    page_size: usize,
}

impl OnDisk {
    async fn read(app: &App) -> OnDisk {
        let path = app.db_url.trim_start_matches("sqlite://").to_string();
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        OnDisk {
            file: std::fs::read(&path).unwrap(),
            wal: std::fs::read(format!("{path}-wal")).unwrap_or_default(),
            page_size: page_size as usize,
        }
    }

    /// The leaf pages of a table and its indexes (as the database reads them).
    async fn pages(app: &App, table: &str) -> Vec<(String, u32, String)> {
        sqlx::query_as::<_, (String, i64, String)>(
            "SELECT name, pageno, pagetype FROM dbstat
             WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = $1)",
        )
        .bind(table)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(n, p, t)| (n, p as u32, t))
        .collect()
    }

    /// The leaf cells of a table's own b-tree.
    async fn cells(&self, app: &App, table: &str) -> Vec<disk::Cell> {
        Self::pages(app, table)
            .await
            .into_iter()
            .filter(|(n, _, t)| n == table && t == "leaf")
            .flat_map(|(_, p, _)| disk::leaf_cells(&self.file, self.page_size, p))
            .collect()
    }

    /// The WAL holds no page of the survey answer tables (nor of their
    /// indexes) and none of the given texts: no frame joins a person's
    /// participation to their answers.
    async fn wal_is_clean(&self, app: &App, texts: &[String]) {
        let mut survey_pages = BTreeSet::new();
        for t in [
            "survey_participation",
            "survey_counts",
            "survey_pending_texts",
            "survey_comments",
        ] {
            survey_pages.extend(Self::pages(app, t).await.into_iter().map(|p| p.1));
        }
        let in_wal: BTreeSet<u32> = disk::wal_pages(&self.wal).into_iter().collect();
        assert!(
            in_wal.is_disjoint(&survey_pages),
            "the WAL holds survey pages {:?}",
            in_wal.intersection(&survey_pages).collect::<Vec<_>>()
        );
        for t in texts {
            assert!(
                disk::find_all(&self.wal, t.as_bytes()).is_empty(),
                "the WAL holds {t}"
            );
        }
    }

    /// The one place a text is in the database file (it must be there once).
    fn only_place_of(&self, text: &str) -> (u32, usize) {
        let at = disk::find_all(&self.file, text.as_bytes());
        assert_eq!(at.len(), 1, "{text} is in the file {} times", at.len());
        ((at[0] / self.page_size) as u32 + 1, at[0])
    }
}

/// The keys of a round's pending free text.
async fn pending_keys(app: &App, round: &str) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT id FROM survey_pending_texts WHERE round_id = $1")
        .bind(round)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Whether authors listed in some storage order, each as the position of
/// their answer among the submissions, follow the order of the answers
/// (forwards or backwards): what pairs rows with the order of participation.
fn follows_answers(authors: &[usize]) -> bool {
    authors.windows(2).all(|w| w[0] <= w[1]) || authors.windows(2).all(|w| w[0] >= w[1])
}

/// The authors of free text, in byte order, in a table of the pending
/// table's shape (random keys, no rowid) that each answer only added its
/// rows to, in the order of the answers: a database of its own beside the
/// app's, so the app's file and WAL stay as they are.
async fn naive_layout(
    app: &App,
    submitted: &[String],
    texts: &BTreeMap<String, Vec<String>>,
) -> Vec<usize> {
    let path =
        std::path::Path::new(app.db_url.trim_start_matches("sqlite://")).with_file_name("naive.db");
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    sqlx::query(
        "CREATE TABLE pending (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, team_id TEXT NOT NULL,
             question_id TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut author: BTreeMap<String, usize> = BTreeMap::new();
    for (i, person) in submitted.iter().enumerate() {
        for t in &texts[person] {
            sqlx::query("INSERT INTO pending (id, round_id, team_id, question_id, text) VALUES ($1, $2, $3, $4, $5)")
                .bind(id())
                .bind(id())
                .bind(id())
                .bind(id())
                .bind(t)
                .execute(&pool)
                .await
                .unwrap();
            author.insert(t.clone(), i);
        }
    }
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&pool)
        .await
        .unwrap();
    let leaves: Vec<i64> = sqlx::query_scalar(
        "SELECT pageno FROM dbstat WHERE name = 'pending' AND pagetype = 'leaf'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let file = std::fs::read(&path).unwrap();
    let mut cells: Vec<disk::Cell> = leaves
        .into_iter()
        .flat_map(|p| disk::leaf_cells(&file, page_size as usize, p as u32))
        .collect();
    cells.sort_by_key(|c| (c.page, c.offset));
    cells.iter().map(|c| author[c.values[4].text()]).collect()
}

/// A person's answers for the on-disk tests, all different: Likert c + 1,
/// eNPS from 3, 7, 8, 9, 10, choice c, options c and c + 2, and a free text
/// of their own for every text question.
pub(crate) fn distinct_answers(q: &Value, c: usize) -> (Value, Vec<String>) {
    let mut texts = Vec::new();
    let list: Vec<Value> = q["questions"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let n = q["options"].as_array().map(|o| o.len()).unwrap_or(0).max(1);
            let mut text = String::new();
            let values: Vec<i64> = match q["kind"].as_str().unwrap() {
                "likert" => vec![c as i64 % 5 + 1],
                "enps" => vec![[3, 7, 8, 9, 10][c % 5]],
                "single" => vec![(c % n) as i64],
                "multiple" => {
                    let mut v = vec![(c % n) as i64, ((c + 2) % n) as i64];
                    v.sort();
                    v.dedup();
                    v
                }
                _ => {
                    text = format!("zqx-free-text-{c}-{i:02}-end");
                    texts.push(text.clone());
                    vec![]
                }
            };
            json!({"question_id": q["id"], "values": values, "text": text})
        })
        .collect();
    (Value::Array(list), texts)
}

/// Issue 13: a copy of the database file or its WAL pairs no answer with
/// the person who gave it. Five people of team B answer (distinct closed-form
/// answers and a free text each), in the reverse of the order their
/// participation rows were made in:
/// (a) before the close their free text is only in the pending table, every
///     submission rewrites all of the round's pending rows under new keys,
///     no order of those rows (bytes or keys) is the order of the answers
///     (while the same check does see it in rows only ever added to), and
///     the WAL holds no page of the answer tables (nor any answer text);
/// (b) participation rows and every counter stay at the byte offsets the
///     round's creation gave them (overwritten in place), so their order on
///     disk is creation order, not submission order;
/// (c) at the close the free text is written once, into survey_comments, in
///     the order of keys drawn then, and nothing of it is left elsewhere;
/// (d) the results are what the answers imply.
#[tokio::test]
async fn a_copy_of_the_database_pairs_no_answer_with_its_person() {
    sqlite_only!("it reads SQLite's file and WAL format");
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(
        &app,
        &lead,
        &[&org.b],
        json!({"themes": ["engagement", "culture", "wellbeing"]}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    // Sign-ins first: what they write is not part of an answer.
    let mut people: BTreeMap<String, String> = BTreeMap::new();
    for email in &org.people["b"] {
        let id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        people.insert(id, app.sign_in(email, PW).await);
    }
    // The order the participation rows were made in.
    let created: Vec<String> = sqlx::query_scalar(
        "SELECT person_id FROM survey_participation WHERE round_id = $1 ORDER BY rowid",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(created.len(), 5);
    let q = round(&app, &people[&created[0]], &rid).await;
    let team_b = org.b.clone();

    // Before anyone answers (the round's creation checkpointed here).
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(busy, 0);
    let before = OnDisk::read(&app).await;
    let mine = |cells: Vec<disk::Cell>| -> Vec<disk::Cell> {
        cells
            .into_iter()
            .filter(|c| c.values[0].text() == rid)
            .collect()
    };
    let part_before = mine(before.cells(&app, "survey_participation").await);
    let counts_before = mine(before.cells(&app, "survey_counts").await);
    assert_eq!(part_before.len(), 5);
    assert!(counts_before.len() > 40);
    assert!(counts_before.iter().all(|c| c.values[4].int() == BASE));

    // Submissions in the reverse of creation order.
    let submitted: Vec<String> = created.iter().rev().cloned().collect();
    assert_ne!(submitted, created);
    let mut given: BTreeMap<String, Value> = BTreeMap::new();
    let mut subs: BTreeMap<String, String> = BTreeMap::new();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut all_texts: Vec<String> = Vec::new();
    let mut last_keys: BTreeSet<String> = BTreeSet::new();
    for person in &submitted {
        let c = created.iter().position(|p| p == person).unwrap();
        let (answers, t) = distinct_answers(&q, c);
        let sub = id();
        let r = submit(&app, &people[person], &rid, &sub, &answers).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        all_texts.extend(t.iter().cloned());
        // (a) after every submission: nothing in the WAL joins it to anyone.
        OnDisk::read(&app)
            .await
            .wal_is_clean(&app, &all_texts)
            .await;
        // Every pending row of the round is written again, under a new key.
        let keys = pending_keys(&app, &rid).await;
        assert_eq!(keys.len(), all_texts.len());
        assert!(
            keys.is_disjoint(&last_keys),
            "the pending rows are rewritten at each submission"
        );
        last_keys = keys;
        given.insert(person.clone(), answers);
        subs.insert(person.clone(), sub);
        texts.insert(person.clone(), t);
    }
    assert!(all_texts.len() >= 15);

    let after = OnDisk::read(&app).await;
    after.wal_is_clean(&app, &all_texts).await;
    // (a) Free text is only in the pending table, once each, until the close.
    let pending_pages: BTreeSet<u32> = OnDisk::pages(&app, "survey_pending_texts")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    for t in &all_texts {
        let (page, _) = after.only_place_of(t);
        assert!(
            pending_pages.contains(&page),
            "{t} is outside the pending table"
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_comments WHERE round_id = '{rid}'"
        ))
        .await,
        0
    );
    // No order of the pending rows is the order of the answers: listed by
    // place in the file or by key, their authors (by when they answered)
    // neither rise nor fall. With 3 texts each from 5 people, a random
    // order does either with a chance of 2 in 168,168,000.
    let answered_as: BTreeMap<&str, usize> = submitted
        .iter()
        .enumerate()
        .flat_map(|(i, p)| texts[p].iter().map(move |t| (t.as_str(), i)))
        .collect();
    let pending: Vec<disk::Cell> = after
        .cells(&app, "survey_pending_texts")
        .await
        .into_iter()
        .filter(|c| c.values[1].text() == rid)
        .collect();
    assert_eq!(pending.len(), all_texts.len());
    let authors = |cells: &[disk::Cell]| -> Vec<usize> {
        cells
            .iter()
            .map(|c| answered_as[c.values[4].text()])
            .collect()
    };
    let mut by_place = pending.clone();
    by_place.sort_by_key(|c| (c.page, c.offset));
    let mut by_key = pending.clone();
    by_key.sort_by(|a, b| a.values[0].text().cmp(b.values[0].text()));
    for (order, cells) in [("byte", &by_place), ("key", &by_key)] {
        let a = authors(cells.as_slice());
        assert!(
            !follows_answers(&a),
            "the pending rows' {order} order is the order of the answers: {a:?}"
        );
    }
    // The same check on rows only ever added to, in the order of the
    // answers, under random keys (what storage without the rewrite would
    // hold): byte order gives the authors away.
    let naive = naive_layout(&app, &submitted, &texts).await;
    assert!(
        follows_answers(&naive),
        "rows only added to follow the answers on disk: {naive:?}"
    );

    // (b) Participation: overwritten where creation put it.
    let part_after = mine(after.cells(&app, "survey_participation").await);
    assert_eq!(part_after.len(), 5);
    for (b, a) in part_before.iter().zip(&part_after) {
        assert_eq!(b.rowid, a.rowid);
        assert_eq!(
            (b.page, b.offset, b.payload),
            (a.page, a.offset, a.payload),
            "a participation row moved"
        );
        let person = a.values[1].text();
        assert_eq!(b.values[3].text(), "00000000-0000-0000-0000-000000000000");
        assert_eq!((b.values[2].int(), a.values[2].int()), (0, 1));
        assert_eq!(a.values[3].text(), subs[person]);
    }
    // Within a page, a later cell lies lower: the byte order of the rows is
    // the order they were made in, which is not the order of the answers.
    let mut by_disk: Vec<&disk::Cell> = part_after.iter().collect();
    by_disk.sort_by_key(|c| (c.page, std::cmp::Reverse(c.offset)));
    let mut pages_seen = BTreeMap::new();
    for c in &by_disk {
        pages_seen
            .entry(c.page)
            .or_insert_with(Vec::new)
            .push(c.values[1].text().to_string());
    }
    assert!(pages_seen.values().any(|v| v.len() >= 2));
    for on_page in pages_seen.values() {
        let made: Vec<&String> = created.iter().filter(|p| on_page.contains(p)).collect();
        let answered: Vec<&String> = submitted.iter().filter(|p| on_page.contains(p)).collect();
        assert_eq!(
            on_page.iter().collect::<Vec<_>>(),
            made,
            "disk order is creation order"
        );
        if on_page.len() >= 2 {
            assert_ne!(on_page.iter().collect::<Vec<_>>(), answered);
        }
    }

    // Counters: the same cells at the same offsets, the same sizes, counting
    // what was answered.
    let counts_after = mine(after.cells(&app, "survey_counts").await);
    assert_eq!(
        counts_after.len(),
        counts_before.len(),
        "no counter was added"
    );
    let mut expected: BTreeMap<(String, i64), i64> = BTreeMap::new();
    expected.insert((String::new(), -1), 5);
    for a in given.values() {
        for a in a.as_array().unwrap() {
            let qid = a["question_id"].as_str().unwrap().to_string();
            let values = a["values"].as_array().unwrap();
            if !values.is_empty() {
                *expected.entry((qid.clone(), -1)).or_default() += 1;
            }
            for v in values {
                *expected
                    .entry((qid.clone(), v.as_i64().unwrap()))
                    .or_default() += 1;
            }
        }
    }
    for (b, a) in counts_before.iter().zip(&counts_after) {
        assert_eq!(
            (b.rowid, b.page, b.offset, b.payload),
            (a.rowid, a.page, a.offset, a.payload),
            "a counter moved or changed size"
        );
        assert_eq!(a.values[1].text(), team_b);
        let key = (a.values[2].text().to_string(), a.values[3].int());
        assert_eq!(
            a.values[4].int() - BASE,
            expected.get(&key).copied().unwrap_or(0),
            "counter {key:?}"
        );
    }

    // (c) The close writes the free text into its final table in the order
    // of keys drawn then; nothing of it stays pending or anywhere else.
    let open_keys = pending_keys(&app, &rid).await;
    assert_eq!(open_keys, last_keys);
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let closed = OnDisk::read(&app).await;
    closed.wal_is_clean(&app, &all_texts).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{rid}'"
        ))
        .await,
        0
    );
    let comments: Vec<disk::Cell> = closed
        .cells(&app, "survey_comments")
        .await
        .into_iter()
        .filter(|c| c.values[1].text() == rid)
        .collect();
    assert_eq!(comments.len(), all_texts.len());
    for c in &comments {
        assert!(
            !open_keys.contains(c.values[0].text()),
            "a key drawn at the close"
        );
        let (page, at) = closed.only_place_of(c.values[4].text());
        assert_eq!(page, c.page, "the text is only in its comment row");
        assert!(at > c.offset && at < c.offset + c.payload as usize + 9);
    }
    // Written in the order of the keys drawn at the close: rowid order is
    // key order, whatever order the answers came in.
    let mut by_rowid: Vec<&disk::Cell> = comments.iter().collect();
    by_rowid.sort_by_key(|c| c.rowid);
    let keys: Vec<&str> = by_rowid.iter().map(|c| c.values[0].text()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "comments are stored in the order of their random keys"
    );
    // And byte order follows it: within a page each later row lies lower.
    let mut per_page: BTreeMap<u32, Vec<&disk::Cell>> = BTreeMap::new();
    for c in &by_rowid {
        per_page.entry(c.page).or_default().push(c);
    }
    assert!(per_page.values().any(|v| v.len() >= 2));
    for cells in per_page.values() {
        let offsets: Vec<usize> = cells.iter().map(|c| c.offset).collect();
        let mut down = offsets.clone();
        down.sort_by(|a, b| b.cmp(a));
        assert_eq!(offsets, down, "byte order is key order");
    }
    // So no order of the comments is the order of the answers either.
    let by_rowid: Vec<disk::Cell> = by_rowid.into_iter().cloned().collect();
    let a = authors(by_rowid.as_slice());
    assert!(
        !follows_answers(&a),
        "the comments follow the order of the answers: {a:?}"
    );

    // (d) The results are what the answers imply.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    assert_eq!(v["group"]["shown"], true);
    let given: Vec<Value> = given.into_values().collect();
    check_results(&v, &q, &given);
    assert_eq!(v["round"]["answered"], 5);
    assert_eq!(v["round"]["invited"], 5);
}

/// Issue 13: a round that closes by its time, with nobody closing it, gets
/// its free text finalised by the sweep (run at start and every minute), and
/// nothing of it is left pending, in freed space (`secure_delete`) or in the
/// WAL; a second sweep changes nothing.
#[tokio::test]
async fn the_sweep_finalises_a_round_closed_by_time_and_leaves_no_trace() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(&app, &lead, &[&org.b], json!({})).await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    let mut texts = Vec::new();
    for (i, email) in org.people["b"].iter().enumerate() {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        let text = format!("zqx-swept-{i}-end");
        let r = submit(&app, &who, &rid, &id(), &answers(&q, 3, 8, &text)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        texts.push(text);
    }
    sqlx::query(
        "UPDATE survey_rounds SET opens_at = '2020-01-01T00:00:00Z', closes_at = '2020-01-02T00:00:00Z'
         WHERE id = $1",
    )
    .bind(&rid)
    .execute(&app.pool)
    .await
    .unwrap();
    keel::surveys::store::sweep(&app.pool, Some(&survey_key()))
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        let rid = rid.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(rid)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let pending = "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = $1";
    let comments = "SELECT COUNT(*) FROM survey_comments WHERE round_id = $1";
    assert_eq!(count(pending).await, 0);
    let written = count(comments).await;
    assert!(written >= texts.len() as i64);
    // What follows reads SQLite's file and WAL format.
    if on_postgres().is_some() {
        return;
    }
    let copy = OnDisk::read(&app).await;
    copy.wal_is_clean(&app, &texts).await;
    let comment_pages: BTreeSet<u32> = OnDisk::pages(&app, "survey_comments")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    for t in &texts {
        let rows: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM survey_comments WHERE round_id = $1 AND text = $2",
        )
        .bind(&rid)
        .bind(t)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(rows >= 1, "{t} is a comment");
        let at = disk::find_all(&copy.file, t.as_bytes());
        assert_eq!(
            at.len() as i64,
            rows,
            "{t} is in the file only in its comment rows"
        );
        for a in at {
            assert!(
                comment_pages.contains(&((a / copy.page_size) as u32 + 1)),
                "{t} is outside survey_comments"
            );
        }
    }
    keel::surveys::store::sweep(&app.pool, Some(&survey_key()))
        .await
        .unwrap();
    assert_eq!(count(comments).await, written);
    assert_eq!(count(pending).await, 0);
}

/// Every transaction id that stamps a row version of `table`, live or dead
/// (pageinspect reads the pages as they are, before any vacuum).
async fn row_version_xids(app: &App, table: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT t.t_xmin::text
         FROM generate_series(0::bigint,
                  pg_relation_size($1::regclass) / current_setting('block_size')::bigint - 1) AS b,
              LATERAL heap_page_items(get_raw_page($1, b)) AS t
         WHERE t.t_xmin IS NOT NULL",
    )
    .bind(table)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// The files of this database and the server's WAL, as a copy of the data
/// directory (or a physical backup) would hold them: the name of each file
/// that contains `needle`.
async fn pg_files_holding(app: &App, needle: &[u8]) -> Vec<String> {
    sqlx::query("CHECKPOINT").execute(&app.pool).await.unwrap();
    let dir: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let oid: String =
        sqlx::query_scalar("SELECT oid::text FROM pg_database WHERE datname = current_database()")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let mut hits = Vec::new();
    let mut read = 0;
    for sub in [format!("base/{oid}"), "pg_wal".to_string()] {
        let path = std::path::Path::new(&dir).join(&sub);
        let entries = std::fs::read_dir(&path).unwrap_or_else(|e| {
            panic!(
                "reading {}: {e} (the test reads PostgreSQL's files)",
                path.display()
            )
        });
        for e in entries {
            let e = e.unwrap();
            if !e.file_type().unwrap().is_file() {
                continue;
            }
            let bytes = std::fs::read(e.path()).unwrap();
            read += 1;
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    assert!(read > 10, "found the database's files and the WAL");
    hits
}

/// Issue 16: PostgreSQL cannot overwrite in place: every UPDATE leaves a new
/// row version stamped with its transaction id (`xmin`), the old version
/// stays until vacuumed, and the WAL keeps every change. So on PostgreSQL a
/// submission writes nothing but its participation row and one sealed row;
/// here five people answer and then:
/// (a) no version of any counter, pending text or comment row, live or
///     dead, carries the transaction id of anyone's participation row: the
///     only row written with it is that answer's sealed row, all of the
///     round's sealed rows have one size, and none of the answers' free text
///     is in any file of the database or the WAL (a copy of the data
///     directory or a physical backup);
/// (b) the close opens them in one transaction of its own: counters and
///     comments then carry only its id, no sealed row is left, and the
///     results are what the answers imply.
///
/// With answers written into the counters as on SQLite, (a) fails: each
/// counter an answer adds to gets a row version with that answer's `xmin`.
#[tokio::test]
async fn postgresql_files_pair_no_answer_with_its_person() {
    if on_postgres().is_none() {
        eprintln!(
            "not run on SQLite: it reads PostgreSQL's row versions and files \
             (a_copy_of_the_database_pairs_no_answer_with_its_person is SQLite's)"
        );
        return;
    }
    let app = demo_app().await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pageinspect")
        .execute(&app.pool)
        .await
        .unwrap();
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(
        &app,
        &lead,
        &[&org.b],
        json!({"themes": ["engagement", "culture", "wellbeing"]}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    let mut people: BTreeMap<String, String> = BTreeMap::new();
    for email in &org.people["b"] {
        let id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        people.insert(id, app.sign_in(email, PW).await);
    }
    let persons: Vec<String> = people.keys().cloned().collect();
    assert_eq!(persons.len(), 5);
    let q = round(&app, &people[&persons[0]], &rid).await;
    // Free text unique to this run: the WAL is shared with other tests.
    let marker = format!("pgdisk-{}", id().replace('-', ""));
    let mut given = Vec::new();
    let mut texts = Vec::new();
    for (c, person) in persons.iter().enumerate() {
        let (mut answers, _) = distinct_answers(&q, c);
        for a in answers.as_array_mut().unwrap() {
            if a["values"].as_array().unwrap().is_empty() {
                let t = format!("{marker}-{c}-{}", a["text"].as_str().unwrap());
                a["text"] = json!(t);
                texts.push(t);
            }
        }
        let r = submit(&app, &people[person], &rid, &id(), &answers).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        given.push(answers);
    }
    assert!(texts.len() >= 5);

    // (a) Before the close.
    let participation: BTreeSet<String> = sqlx::query_scalar(
        "SELECT xmin::text FROM survey_participation WHERE round_id = $1 AND answered = 1",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(participation.len(), 5, "one transaction per answer");
    for table in ["survey_counts", "survey_pending_texts", "survey_comments"] {
        let xids: BTreeSet<String> = row_version_xids(&app, table).await.into_iter().collect();
        assert!(
            xids.is_disjoint(&participation),
            "a row version of {table} was written by an answer's transaction"
        );
    }
    let sealed: Vec<(String, i64)> = sqlx::query_as(
        "SELECT xmin::text, CAST(length(sealed) AS BIGINT) FROM survey_sealed WHERE round_id = $1",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        sealed.iter().map(|s| s.0.clone()).collect::<BTreeSet<_>>(),
        participation,
        "each answer is one sealed row, written with its participation row"
    );
    let sizes: BTreeSet<i64> = sealed.iter().map(|s| s.1).collect();
    assert_eq!(
        sizes.len(),
        1,
        "sealed answers all have one size: {sizes:?}"
    );
    assert_eq!(
        pg_files_holding(&app, marker.as_bytes()).await,
        Vec::<String>::new(),
        "free text of an open round is in PostgreSQL's files"
    );

    // (b) The close.
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_sealed WHERE round_id = '{rid}'"
        ))
        .await,
        0
    );
    let closing: BTreeSet<String> =
        sqlx::query_scalar("SELECT DISTINCT xmin::text FROM survey_comments WHERE round_id = $1")
            .bind(&rid)
            .fetch_all(&app.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(
        closing.len(),
        1,
        "the comments are written in one transaction"
    );
    assert!(closing.is_disjoint(&participation));
    let counted: BTreeSet<String> = sqlx::query_scalar(
        "SELECT DISTINCT xmin::text FROM survey_counts WHERE round_id = $1 AND n > $2",
    )
    .bind(&rid)
    .bind(BASE)
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(
        counted, closing,
        "the counters are added to by the close alone"
    );
    for table in ["survey_counts", "survey_pending_texts", "survey_comments"] {
        let xids: BTreeSet<String> = row_version_xids(&app, table).await.into_iter().collect();
        assert!(xids.is_disjoint(&participation), "{table} after the close");
    }
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    assert_eq!(v["group"]["shown"], true);
    check_results(&v, &q, &given);
    assert_eq!(v["round"]["answered"], 5);
    let shown = v.to_string();
    for t in &texts {
        assert!(shown.contains(t.as_str()), "{t} is a comment");
    }
}

/// A server with another survey key than the one sealed answers wait under
/// refuses to start, as does one with none; with nothing waiting the key can
/// be replaced. A server whose key differs from the database's refuses to
/// seal an answer (PostgreSQL; SQLite counts in place and needs no key), so
/// a close never meets an answer it cannot open.
#[tokio::test]
async fn a_server_with_another_survey_key_neither_starts_nor_seals() {
    use crate::helpers::{options, settings};
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(&app, &lead, &[&org.b], json!({})).await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    let start = |key: Option<&str>| {
        let mut s = settings(&app.db_url, false);
        s.survey_key = key.map(|k| keel::surveys::seal::SealKey::parse(k).unwrap());
        async move { keel::server::build_state(s, options()).await.map(|_| ()) }
    };
    let other = "ab".repeat(32);
    // Nothing waits sealed: another key takes over, and the first one back.
    start(Some(&other)).await.unwrap();
    start(None).await.unwrap();
    // Meanwhile this server's key is not the database's: on PostgreSQL it
    // refuses to seal.
    let who = app.sign_in(&org.people["b"][0], PW).await;
    let q = round(&app, &who, &rid).await;
    let r = submit(&app, &who, &rid, &id(), &answers(&q, 4, 9, "fine")).await;
    if on_postgres().is_some() {
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM survey_sealed WHERE round_id = '{rid}'"
            ))
            .await,
            0
        );
    } else {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    start(Some(crate::helpers::SURVEY_KEY)).await.unwrap();
    // An answer waits sealed (made here as PostgreSQL makes it, so that
    // SQLite, which gets such rows only in a copy, is tested too).
    let sealed = crate::helpers::survey_key()
        .seal(&rid, &keel::surveys::seal::Answer::default(), 256)
        .unwrap();
    sqlx::query("INSERT INTO survey_sealed (id, round_id, sealed) VALUES ($1, $2, $3)")
        .bind(id())
        .bind(&rid)
        .bind(sealed)
        .execute(&app.pool)
        .await
        .unwrap();
    let e = start(Some(&other)).await.unwrap_err();
    assert!(e.starts_with("KEEL_SURVEY_KEY is not the key"), "{e}");
    let e = start(None).await.unwrap_err();
    assert!(e.contains("set KEEL_SURVEY_KEY"), "{e}");
    start(Some(crate::helpers::SURVEY_KEY)).await.unwrap();
}
