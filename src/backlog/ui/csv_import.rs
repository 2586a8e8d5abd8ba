//! Importing requirements from a CSV file and exporting them.
use crate::backlog::api::ImportRequirements;
use crate::i18n::*;
use crate::ui::form::{FormAlert, error_text};
use leptos::prelude::*;

/// Reads the chosen file's bytes (in the browser).
#[component]
pub(super) fn CsvSection(backlog_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportRequirements>::new();
    let file: RwSignal<Option<Vec<u8>>> = RwSignal::new(None);
    let batch = RwSignal::new(crate::ui::new_id());
    let reading = RwSignal::new(false);
    let id = StoredValue::new(backlog_id.clone());
    let send = move |commit: bool, only_valid: bool| {
        if let Some(bytes) = file.get_untracked() {
            action.dispatch(ImportRequirements {
                backlog_id: id.get_value(),
                batch_id: batch.get_untracked(),
                file: bytes,
                commit,
                only_valid,
            });
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(r)) = action.value().get() {
            if r.imported > 0 {
                reload.update(|n| *n += 1);
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
                    // The section can be gone (another backlog chosen) while
                    // the file is read: its signals and action are disposed.
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
    view! {
        <details class="card section">
            <summary class="summary-button">{t!(i18n, backlog.import_title)} " · " {t!(i18n, backlog.export)}</summary>
            <div class="subform">
                <p>
                    <a class="btn" href=format!("/backlog/{backlog_id}/export.csv") download="backlog.csv" rel="external" data-testid="export-csv">
                        {t!(i18n, backlog.export)}
                    </a>
                </p>
                <p class="muted small">{t!(i18n, backlog.import_hint)}</p>
                <div class="field">
                    <label for="csv-file">{t!(i18n, backlog.choose_file)}</label>
                    <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_change/>
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
                    view! {
                        <div data-testid="import-report">
                            {(r.imported > 0).then(|| view! {
                                <div class="alert alert-ok" role="status">{t!(i18n, backlog.imported)} " " <span class="num">{r.imported}</span></div>
                            })}
                            {(r.imported == 0).then(|| view! {
                                <p><strong class="num">{valid}</strong> " " {t!(i18n, backlog.ready)}</p>
                            })}
                            {(has_errors && r.imported == 0).then(|| {
                                let errors = r.errors.clone();
                                view! {
                                    <p class="field-error"><strong class="num">{errors.len()}</strong> " " {t!(i18n, backlog.errors_found)}</p>
                                    <div class="table-wrap">
                                        <table class="table" data-testid="import-errors">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, backlog.row)}</th>
                                                    <th scope="col">{t!(i18n, backlog.column)}</th>
                                                    <th scope="col">{t!(i18n, backlog.problem)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {errors.into_iter().map(|e| view! {
                                                    <tr>
                                                        <td class="num">{e.row}</td>
                                                        <td>{e.column.clone()}</td>
                                                        <td>{move || error_text(i18n.get_locale(), e.code)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            })}
                            {(r.imported == 0 && valid > 0).then(|| view! {
                                <div class="form-actions">
                                    {if has_errors {
                                        view! { <button type="button" class="btn" on:click=move |_| send(true, true)>{t!(i18n, backlog.import_valid)}</button> }.into_any()
                                    } else {
                                        view! { <button type="button" class="btn btn-primary" on:click=move |_| send(true, false)>{t!(i18n, backlog.import)}</button> }.into_any()
                                    }}
                                </div>
                            })}
                        </div>
                    }
                })}
            </div>
        </details>
    }
}
