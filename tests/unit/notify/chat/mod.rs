mod model;
mod payload;
mod request;
mod sign;
