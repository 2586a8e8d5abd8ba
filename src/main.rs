#![recursion_limit = "512"]

#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => keel::server::run().await,
        Some(_) => keel::server::cli::command(&args)
            .await
            .map(|done| println!("{done}")),
    };
    if let Err(message) = result {
        eprintln!("keel: {message}");
        std::process::exit(1);
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {}
