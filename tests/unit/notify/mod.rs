mod chat;
mod model;
mod text;
