mod csv;
mod model;
