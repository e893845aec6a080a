// Included by the build scripts of both C libraries (libexto360 and libexto360_testing).

/// Generates `header` with cbindgen (config: the crate's cbindgen.toml) into OUT_DIR, where a
/// test compares it with the committed include/ copy so a header can never drift from the code
/// (`make header` refreshes them).
fn generate_header(header: &str) {
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(header);
    let config = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).expect("cbindgen.toml is valid");
    match cbindgen::Builder::new().with_crate(&crate_dir).with_config(config).generate() {
        Ok(bindings) => {
            bindings.write_to_file(&out);
        }
        Err(e) => panic!("cbindgen failed: {e}"),
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
}

/// `-soname lib<name>.so.<major>` on Linux: programs record that name and load it, so a new
/// major version can be installed beside the old one.
fn soname(name: &str) {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,lib{name}.so.{major}");
    }
}
