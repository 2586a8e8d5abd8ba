mod charts;
mod page;
