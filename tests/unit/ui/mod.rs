mod charts;
mod page;
mod pager;
