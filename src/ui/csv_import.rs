//! Importing a CSV file, the same way on every page that imports one (a
//! backlog's requirements, the KPI check-ins): pick a file, see what the
//! server would import (a report of the valid rows and a table of the row
//! errors), then import, or import only the valid rows. The page keeps its
//! section around it (title, export link, hint) and passes in its server
//! action, how to build the action's input, and [`CsvImportLabels`].
//!
//! The report is `csv_read::ImportReport`, whatever the import. After an
//! import that stored rows the page's `Reload` counter is bumped.
use crate::csv_read::{ImportReport, RowKind};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{FormAlert, error_text};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// What the component asks the page's action to do with the chosen file.
#[derive(Debug, Clone)]
pub struct CsvUpload {
    /// A fresh client-made id per chosen file; the server derives row ids
    /// from it, so a send repeated stores once.
    pub batch_id: String,
    pub file: Vec<u8>,
    /// Store the valid rows (else only report).
    pub commit: bool,
    /// Store them although other rows have errors.
    pub only_valid: bool,
}

/// The ids and texts that differ between the pages that import CSV. The
/// rest ("CSV file", "rows ready to import", the error table's headings,
/// "Import" and "Import only the valid rows") is the same everywhere.
#[derive(Clone, Copy)]
pub struct CsvImportLabels {
    /// The file input's element id (its label's `for`).
    pub input_id: &'static str,
    /// `data-testid` of the report.
    pub report_testid: &'static str,
    /// `data-testid` of the error table.
    pub errors_testid: &'static str,
    /// What precedes the count of stored rows ("Requirements imported:").
    pub imported: fn(Locale) -> &'static str,
    /// How a column key reads in the error table.
    pub column: fn(Locale, &str) -> String,
    /// What follows the count of rows already stored, for an import that
    /// leaves such rows out; the count shows only when there are any.
    pub unchanged: Option<fn(Locale) -> &'static str>,
    /// Whether the error table is introduced by a line with the count of
    /// problems and that nothing is imported unless asked.
    pub count_errors: bool,
    /// How the button that stores the rows is drawn.
    pub commit: CommitButton,
}

/// How the button that stores the rows is drawn: the two pages drew it
/// differently before they shared this component, and each keeps its look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitButton {
    /// In a row of form actions: "Import" as the primary button when every
    /// row is valid, "Import only the valid rows" as a plain one otherwise.
    Row,
    /// Alone, always the primary button, with this `data-testid`.
    Alone { testid: &'static str },
}

/// A column key as it is: for a file whose headers are the keys.
pub fn column_key(_: Locale, key: &str) -> String {
    key.to_string()
}

/// What an import does with a row, as its table of rows says it.
pub fn row_kind_label(locale: Locale, kind: RowKind) -> &'static str {
    match kind {
        RowKind::New => td_string!(locale, backlog.row_new),
        RowKind::Update => td_string!(locale, backlog.row_update),
        RowKind::Unchanged => td_string!(locale, backlog.row_unchanged),
    }
}

/// File input, status, errors, report, error table and the import buttons.
/// A chosen file is read in the browser and sent at once for a preview;
/// the buttons send it again to be stored.
#[component]
pub fn CsvImport<A>(
    /// The page's import action; its result is the report.
    action: ServerAction<A>,
    /// The action's input for an upload (the page adds what the import is
    /// into, such as its backlog).
    request: Callback<CsvUpload, A>,
    labels: CsvImportLabels,
) -> impl IntoView
where
    A: ServerFn<Output = ImportReport, Error = AppError> + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let reload = crate::ui::page::use_reload();
    let file: RwSignal<Option<Vec<u8>>> = RwSignal::new(None);
    let batch = RwSignal::new(crate::ui::new_id());
    let reading = RwSignal::new(false);
    let send = move |commit: bool, only_valid: bool| {
        if let Some(bytes) = file.get_untracked() {
            action.dispatch(request.run(CsvUpload {
                batch_id: batch.get_untracked(),
                file: bytes,
                commit,
                only_valid,
            }));
        }
    };
    // Only a result that arrives while this is shown reloads the page: a
    // page may keep its action across the reload it causes (so that the
    // report stays), and a result seen again at mount must not reload again.
    Effect::new(move |seen: Option<()>| {
        if let Some(Ok(r)) = action.value().get() {
            if seen.is_some() && r.imported > 0 {
                reload.bump();
            }
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                reading.set(true);
                leptos::task::spawn_local(async move {
                    let bytes = crate::ui::form::read_file(input).await;
                    // The component can be gone (another backlog chosen, the
                    // page left) while the file is read: its signals and
                    // action are disposed.
                    if file.is_disposed() {
                        return;
                    }
                    reading.set(false);
                    file.set(bytes);
                    batch.set(crate::ui::new_id());
                    send(false, false);
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, reading, send);
    };
    let report = move || action.value().get().and_then(|r| r.ok());
    let failure = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let CsvImportLabels {
        input_id,
        report_testid,
        errors_testid,
        imported,
        column,
        unchanged,
        count_errors,
        commit,
    } = labels;
    view! {
        <div class="field">
            <label for=input_id>{t!(i18n, backlog.choose_file)}</label>
            <input id=input_id type="file" accept=".csv,text/csv" on:change=on_change/>
        </div>
        <Show when=move || reading.get() || action.pending().get()>
            <p class="muted" role="status">{t!(i18n, backlog.reading)}</p>
        </Show>
        <FormAlert error=failure/>
        {move || failure.get().and_then(|e| e.field.map(|_| e.code)).map(|code| view! {
            <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), code)}</div>
        })}
        {move || report().map(|r| {
            let has_errors = !r.errors.is_empty();
            let valid = r.valid_rows;
            let stored = r.unchanged;
            let actions = r.rows.clone();
            view! {
                <div data-testid=report_testid>
                    {(r.imported > 0).then(|| view! {
                        <div class="alert alert-ok" role="status">{move || imported(i18n.get_locale())} " " <span class="num">{r.imported}</span></div>
                    })}
                    {(r.imported == 0).then(|| view! {
                        <p>
                            <strong class="num">{valid}</strong> " " {t!(i18n, backlog.ready)}
                            {unchanged.filter(|_| stored > 0).map(|label| view! { " · " <span class="num">{stored}</span> " " {move || label(i18n.get_locale())} })}
                        </p>
                    })}
                    {(!actions.is_empty() && r.imported == 0).then(|| {
                        let count = |k: RowKind| actions.iter().filter(|a| a.kind == k).count();
                        let (new, update) = (count(RowKind::New), count(RowKind::Update));
                        view! {
                            <details class="subform" data-testid="import-rows">
                                <summary>
                                    {t!(i18n, backlog.rows_title)} ": "
                                    <span class="num">{new}</span> " " {t!(i18n, backlog.count_new)} " · "
                                    <span class="num">{update}</span> " " {t!(i18n, backlog.count_update)}
                                </summary>
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, backlog.row)}</th>
                                                <th scope="col">{t!(i18n, backlog.row_name)}</th>
                                                <th scope="col">{t!(i18n, backlog.row_action)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {actions.into_iter().map(|a| {
                                                let kind = a.kind;
                                                view! {
                                                    <tr>
                                                        <td class="num">{a.row}</td>
                                                        <td>{a.name}</td>
                                                        <td>{move || row_kind_label(i18n.get_locale(), kind)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </details>
                        }
                    })}
                    {(has_errors && r.imported == 0).then(|| {
                        let errors = r.errors.clone();
                        view! {
                            {count_errors.then(|| view! {
                                <p class="field-error"><strong class="num">{errors.len()}</strong> " " {t!(i18n, backlog.errors_found)}</p>
                            })}
                            <div class="table-wrap">
                                <table class="table" data-testid=errors_testid>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, backlog.row)}</th>
                                            <th scope="col">{t!(i18n, backlog.column)}</th>
                                            <th scope="col">{t!(i18n, backlog.problem)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {errors.into_iter().map(|e| {
                                            let code = e.code;
                                            let col = e.column;
                                            view! {
                                                <tr>
                                                    <td class="num">{e.row}</td>
                                                    <td>{move || column(i18n.get_locale(), &col)}</td>
                                                    <td>{move || error_text(i18n.get_locale(), code)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })}
                    {(r.imported == 0 && valid > 0).then(|| match commit {
                        CommitButton::Row => view! {
                            <div class="form-actions">
                                {if has_errors {
                                    view! { <button type="button" class="btn" on:click=move |_| send(true, true)>{t!(i18n, backlog.import_valid)}</button> }.into_any()
                                } else {
                                    view! { <button type="button" class="btn btn-primary" on:click=move |_| send(true, false)>{t!(i18n, backlog.import)}</button> }.into_any()
                                }}
                            </div>
                        }.into_any(),
                        CommitButton::Alone { testid } => view! {
                            <button type="button" class="btn btn-primary" data-testid=testid
                                on:click=move |_| send(true, has_errors)>
                                {move || if has_errors { t_string!(i18n, backlog.import_valid) } else { t_string!(i18n, backlog.import) }}
                            </button>
                        }.into_any(),
                    })}
                </div>
            }
        })}
    }
}
