//! The light verifier's entry point (Trunk builds it with `data-type="worker"`): listens for
//! verification jobs, which it answers without the proof of the pages (src/worker/verifier.rs).

fn main() {
    zicha_web::worker::start_verifier();
}
