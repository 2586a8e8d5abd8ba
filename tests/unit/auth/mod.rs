mod model;
mod store;
mod throttle;
