//! `uniffi-bindgen generate --library libexto360_jvm.so --language kotlin --out-dir DIR`
fn main() {
    uniffi::uniffi_bindgen_main()
}
