//! Generates `exto360.h` (compared with `include/exto360.h` by tests/header.rs) and gives
//! libexto360.so its soname.

include!("build_support.rs");

fn main() {
    generate_header("exto360.h");
    println!("cargo:rerun-if-changed=common/src");
    soname("exto360");
}
