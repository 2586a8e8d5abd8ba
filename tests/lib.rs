//! Keel's tests live in `api/` (server functions and HTTP) and `unit/` (one
//! file per file of the library's `src/`); this package has no code of its own.
