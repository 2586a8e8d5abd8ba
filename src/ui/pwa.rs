//! Browser-side PWA glue: service-worker registration and clearing a person's
//! cached pages and stored drafts at sign-out.

/// Registers `/sw.js` (hydrate only; a no-op on the server).
pub fn register_service_worker() {
    #[cfg(feature = "hydrate")]
    {
        let window = leptos::prelude::window();
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}

/// Clears what the browser holds for the signed-in person: cached pages,
/// local drafts and the outbox.
pub async fn clear_personal_data() {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;

        gloo_storage::LocalStorage::clear();
        gloo_storage::SessionStorage::clear();
        let window = leptos::prelude::window();
        if let Some(controller) = window.navigator().service_worker().controller() {
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"signed-out".into());
            let _ = controller.post_message(&msg);
        }
        if let Ok(caches) = window.caches() {
            if let Ok(keys) = JsFuture::from(caches.keys()).await {
                let keys: js_sys::Array = keys.unchecked_into();
                for key in keys.iter() {
                    if let Some(name) = key.as_string() {
                        if name.starts_with("keel-pages-") {
                            let _ = JsFuture::from(caches.delete(&name)).await;
                        }
                    }
                }
            }
        }
    }
}
