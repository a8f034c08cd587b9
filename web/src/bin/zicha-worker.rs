//! The report worker's entry point (Trunk builds it with `data-type="worker"`): listens for jobs.

fn main() {
    zicha_web::worker::start();
}
