mod model;
mod seal;
