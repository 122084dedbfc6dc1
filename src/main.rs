//! Reuse Lab's web app entry point (built by trunk for the browser).

fn main() {
    reuse_lab::start();
}
