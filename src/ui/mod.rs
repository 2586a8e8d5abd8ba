//! Components shared by capabilities: form fields, messages, icons, PWA glue.
pub mod charts;
pub mod form;
pub mod icons;
pub mod pwa;
