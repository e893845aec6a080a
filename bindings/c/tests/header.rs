//! The committed header must be exactly what cbindgen generates from the code: an ABI change
//! without `make header` fails here.

#[test]
fn committed_header_matches_the_code() {
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/exto360.h"));
    let committed = include_str!("../include/exto360.h");
    assert!(fresh == committed, "bindings/c/include/exto360.h is out of date: run `make header` and commit it");
}
