mod api;
mod csv;
mod model;
mod rank;
