//! One error type for every server function. It carries a message key that the
//! browser translates, and optionally the form field it belongs to.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    InvalidEmail,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    InvalidTimeZone,
    InvalidCurrency,
    InvalidCredentials,
    AccountLocked,
    /// Too many sign-in attempts from one address (or the server): wait.
    TooManyAttempts,
    /// The one-time setup token printed in the server log did not match.
    InvalidSetupToken,
    AccountInactive,
    NotSignedIn,
    Forbidden,
    NotFound,
    StaleVersion,
    EmailTaken,
    SetupDone,
    WrongOldPassword,
    TeamCycle,
    InvalidChoice,
    OutOfScale,
    MustBePositive,
    UnreadableFile,
    /// A file (or a request) over the import limit, `csv_cell::MAX_IMPORT_BYTES`.
    FileTooLarge,
    MissingColumn,
    InvalidLink,
    InvalidTransition,
    IdConflict,
    CannotChangeSelf,
    CrossSite,
    InvalidCode,
    NotANumber,
    InvalidDate,
    InFuture,
    TargetIsBaseline,
    TargetWrongWay,
    DueBeforeStart,
    CodeTaken,
    Negative,
    NameTaken,
    AwaitingApproval,
    RoundLocked,
    RoundNotOpen,
    AlreadyAnswered,
    ResultsAfterClose,
    OutOfRange,
    NobodyToAsk,
    TooFewOptions,
    InPast,
    ClosesBeforeOpens,
    /// Goals or KPIs hang under the goal (field `children`).
    GoalNotEmpty,
    /// The new parent lies under the goal itself.
    GoalCycle,
    /// The record is archived: restore it first.
    Archived,
    /// Nothing left to undo (a later change ended the chance).
    NothingToUndo,
    /// An invitation link that is unknown, used or expired (one answer for
    /// all three).
    InvitationInvalid,
    /// The survey round was cancelled: it never opens and cannot be changed.
    RoundCancelled,
    /// Only a pulse that was stopped can be restarted.
    PulseNotStopped,
    /// A survey round keeps at least one question.
    LastQuestion,
    /// The growth period is closed: its plans are read-only and it is not
    /// closed again.
    PeriodClosed,
    /// Unfinished items cannot be carried over: no period starts after the
    /// closed one (create it first).
    NoNextPeriod,
    /// An imported row names a requirement that changed since the file was
    /// exported (its version is not the current one): export again.
    ChangedSinceExport,
    /// An imported file names the same requirement on two rows.
    RepeatedInFile,
    /// An API token that is unknown, expired or revoked, or whose owner is
    /// no longer active (one answer for all four).
    TokenInvalid,
    Network,
    Internal,
}

impl ErrorCode {
    /// HTTP status that best describes the error.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            NotSignedIn | InvalidCredentials | TokenInvalid => 401,
            Forbidden | CrossSite | AccountInactive | CannotChangeSelf => 403,
            NotFound => 404,
            StaleVersion | EmailTaken | IdConflict | SetupDone | CodeTaken | NameTaken
            | AwaitingApproval | RoundLocked | RoundNotOpen | AlreadyAnswered
            | ResultsAfterClose | GoalNotEmpty | Archived | NothingToUndo | RoundCancelled
            | PulseNotStopped | LastQuestion | PeriodClosed | NoNextPeriod => 409,
            AccountLocked | TooManyAttempts => 429,
            FileTooLarge => 413,
            InvitationInvalid => 410,
            Network | Internal => 500,
            _ => 422,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub code: ErrorCode,
    /// The form field the message belongs to, when there is one.
    pub field: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode) -> Self {
        Self { code, field: None }
    }

    pub fn field(code: ErrorCode, field: &str) -> Self {
        Self {
            code,
            field: Some(field.to_string()),
        }
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal)
    }

    /// Whether this error belongs next to the named form field.
    pub fn is_for(&self, field: &str) -> bool {
        self.field.as_deref() == Some(field)
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{:?} ({field})", self.code),
            None => write!(f, "{:?}", self.code),
        }
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::new(ErrorCode::Network)
            }
            // A body past its route's limit (see `server::http::body_limits`):
            // the same message as a file over the import limit, at the file
            // field; its code gives it 413.
            ServerFnErrorErr::Deserialization(msg) if msg.contains("length limit exceeded") => {
                AppError::field(ErrorCode::FileTooLarge, "file")
            }
            _ => AppError::internal(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::internal()
    }
}

pub type AppResult<T> = Result<T, AppError>;
