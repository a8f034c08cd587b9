//! The extra UI module's entry point (Trunk builds it with `data-type="worker"` for its
//! `no-modules` glue; the page loads it, services/extra.rs): registers the module's API.

fn main() {
    zicha_web::extra::start();
}
