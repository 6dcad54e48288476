//! One binary, two faces: the browser wizard when built for wasm32 (by Trunk),
//! the `registry-wizard` command-line tool everywhere else.

#[cfg(all(target_arch = "wasm32", feature = "day2"))]
fn main() {
    registry_wizard::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    if let Err(failure) = registry_wizard::cli::run(&args, &mut std::io::stdin().lock(), &mut stdout) {
        if !failure.message.is_empty() {
            eprint!("registry-wizard: {}", failure.message);
            if !failure.message.ends_with('\n') {
                eprintln!();
            }
        }
        std::process::exit(failure.code);
    }
}
