mod model;
mod text;
