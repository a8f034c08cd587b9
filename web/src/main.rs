//! The entry point Trunk builds: mounts the app on the document body.

fn main() {
    yew::Renderer::<zicha_web::App>::new().render();
}
