//! Importing requirements from a CSV file and exporting them. The import
//! itself is the shared `ui::csv_import::CsvImport`.
use crate::backlog::api::ImportRequirements;
use crate::i18n::*;
use crate::ui::csv_import::{CommitButton, CsvImport, CsvImportLabels, CsvUpload, column_key};
use leptos::prelude::*;

/// The export link and the import of requirements into one backlog.
#[component]
pub(super) fn CsvSection(backlog_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportRequirements>::new();
    let id = StoredValue::new(backlog_id.clone());
    let request = Callback::new(move |u: CsvUpload| ImportRequirements {
        backlog_id: id.get_value(),
        batch_id: u.batch_id,
        file: u.file,
        commit: u.commit,
        only_valid: u.only_valid,
    });
    let labels = CsvImportLabels {
        input_id: "csv-file",
        report_testid: "import-report",
        errors_testid: "import-errors",
        imported: |locale| td_string!(locale, backlog.imported),
        // The file's headers are the keys (or their Chinese names).
        column: column_key,
        // Rows that name a requirement of this backlog and change nothing.
        unchanged: Some(|locale| td_string!(locale, backlog.count_unchanged)),
        count_errors: true,
        commit: CommitButton::Row,
    };
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
                <CsvImport action request labels/>
            </div>
        </details>
    }
}
