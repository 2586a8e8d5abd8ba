//! Sessions live in the application's database: tower-sessions' sqlx stores
//! (SQLite or PostgreSQL), each on a small pool of its own to the same
//! database, since those stores take the backend's concrete pool.
use super::db::Backend;
use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session store of the backend the server runs on.
#[derive(Clone, Debug)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Sessions {
    /// Opens the store in the database `url` names and makes its table.
    pub async fn open(url: &str) -> Result<Sessions, String> {
        let store = match Backend::of_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| format!("KEEL_DATABASE_URL: {e}"))?
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(2)
                    .connect_with(opts)
                    .await
                    .map_err(|e| format!("session store: {e}"))?;
                let store = SqliteStore::new(pool).with_table_name("sessions")?;
                store.migrate().await.map_err(migration_failed)?;
                Sessions::Sqlite(store)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(2)
                    .connect(url)
                    .await
                    .map_err(|e| format!("session store: {e}"))?;
                let store = PostgresStore::new(pool).with_table_name("sessions")?;
                store.migrate().await.map_err(migration_failed)?;
                Sessions::Postgres(store)
            }
        };
        Ok(store)
    }
}

fn migration_failed(e: sqlx::Error) -> String {
    format!("session table migration failed: {e}")
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.create(record).await,
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

impl Sessions {
    /// Deletes every expired session (run by the once-only sweep).
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}
