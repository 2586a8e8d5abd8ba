mod chat;
