//! WebCrypto (SubtleCrypto) for ECDSA P-256 keys: generate, export the JWK once for the backup,
//! re-import as non-extractable, export the public key, sign. Errors carry the browser's words.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, EcKeyGenParams, EcKeyImportParams, EcdsaParams, SubtleCrypto};

fn error(what: &str, value: JsValue) -> String {
    let detail = value
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    format!("webcrypto {what}: {detail}")
}

fn subtle() -> Result<SubtleCrypto, String> {
    let crypto =
        Reflect::get(&js_sys::global(), &"crypto".into()).map_err(|e| error("unavailable", e))?;
    if crypto.is_undefined() {
        return Err("webcrypto unavailable: this page is not a secure context".into());
    }
    Ok(crypto.unchecked_into::<web_sys::Crypto>().subtle())
}

fn usages(names: &[&str]) -> Array {
    names.iter().map(|name| JsValue::from_str(name)).collect()
}

/// A fresh P-256 key pair, extractable so that its secret can be backed up exactly once:
/// (private, public).
pub async fn generate() -> Result<(CryptoKey, CryptoKey), String> {
    let params = EcKeyGenParams::new("ECDSA", "P-256");
    let promise = subtle()?
        .generate_key_with_object(&params, true, &usages(&["sign", "verify"]))
        .map_err(|e| error("generateKey", e))?;
    let pair = JsFuture::from(promise)
        .await
        .map_err(|e| error("generateKey", e))?;
    let private = Reflect::get(&pair, &"privateKey".into()).map_err(|e| error("privateKey", e))?;
    let public = Reflect::get(&pair, &"publicKey".into()).map_err(|e| error("publicKey", e))?;
    Ok((private.unchecked_into(), public.unchecked_into()))
}

/// The private key as a JWK object (`d`, `x`, `y`, ...).
pub async fn export_jwk(key: &CryptoKey) -> Result<Object, String> {
    let promise = subtle()?
        .export_key("jwk", key)
        .map_err(|e| error("exportKey", e))?;
    let jwk = JsFuture::from(promise)
        .await
        .map_err(|e| error("exportKey", e))?;
    Ok(jwk.unchecked_into())
}

/// Imports a private JWK as a non-extractable signing key: from now on the secret cannot be read
/// by any script, ours included.
pub async fn import_private_jwk(jwk: &Object) -> Result<CryptoKey, String> {
    // The JWK says it may be exported; the imported key must not.
    let _ = Reflect::set(jwk, &"ext".into(), &JsValue::FALSE);
    let _ = Reflect::set(jwk, &"key_ops".into(), &usages(&["sign"]));
    let params = EcKeyImportParams::new("ECDSA");
    params.set_named_curve("P-256");
    let promise = subtle()?
        .import_key_with_object("jwk", jwk, &params, false, &usages(&["sign"]))
        .map_err(|e| error("importKey", e))?;
    let key = JsFuture::from(promise)
        .await
        .map_err(|e| error("importKey", e))?;
    Ok(key.unchecked_into())
}

/// The public key as DER SubjectPublicKeyInfo.
pub async fn export_spki(key: &CryptoKey) -> Result<Vec<u8>, String> {
    let promise = subtle()?
        .export_key("spki", key)
        .map_err(|e| error("exportKey", e))?;
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|e| error("exportKey", e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// ECDSA with SHA-256 over `data`: raw `r || s` (64 bytes), as WebCrypto returns it.
pub async fn sign(key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, String> {
    let params = EcdsaParams::new("ECDSA", &JsValue::from_str("SHA-256"));
    let promise = subtle()?
        .sign_with_object_and_u8_array(&params, key, data)
        .map_err(|e| error("sign", e))?;
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|e| error("sign", e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The `d` member of a private JWK: the 32-byte secret scalar.
pub fn jwk_secret(jwk: &Object) -> Result<Vec<u8>, String> {
    use base64ct::Encoding as _;
    let d = Reflect::get(jwk, &"d".into())
        .ok()
        .and_then(|d| d.as_string())
        .ok_or("webcrypto exportKey: the JWK has no private part")?;
    base64ct::Base64UrlUnpadded::decode_vec(&d)
        .map_err(|e| format!("webcrypto exportKey: bad JWK: {e}"))
}
