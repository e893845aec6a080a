//! Generates `exto360_testing.h` (compared with `../include/exto360_testing.h` by the unit test)
//! and gives libexto360_testing.so its soname.

include!("../build_support.rs");

fn main() {
    generate_header("exto360_testing.h");
    soname("exto360_testing");
}
