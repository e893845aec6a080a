//! Inputs the fuzz targets (`fuzz/`, `make fuzz`) found, kept as ordinary tests.

use exto360::{ErrorKind, Filter};
use exto360_emulator::filter::Filter as Parsed;

/// fuzz target filter_json: an untyped value of the form `yyyy-MM-dd` is a date to the
/// service; one that is no real date was rendered (and sent without `localTimeZone`) although
/// the emulator, like the service, refuses it.
#[test]
fn untyped_values_shaped_like_dates_must_be_real_dates() {
    for bad in ["2024-33-01", "2023-02-29", "2024-04-31", "0000-00-00"] {
        let f = Filter::field("createdDate").le(bad);
        let e = f.render().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("not a real date"), "{e}");
        assert!(Parsed::parse(&format!("createdDate:le:{bad}")).is_err(), "the emulator refuses it too");
    }
    // Real dates are date comparisons; text operators and typed STRING fields take any text.
    let f = Filter::field("createdDate").le("2024-02-29");
    assert_eq!(f.render().unwrap(), "createdDate:le:2024-02-29");
    assert!(f.compares_dates() && Parsed::parse("createdDate:le:2024-02-29").unwrap().needs_time_zone());
    assert_eq!(Filter::field("code").contains("2024-33-01").render().unwrap(), "code:cn:2024-33-01");
    assert_eq!(Filter::field("code").string().eq("2024-33-01").render().unwrap(), "code:STRING:eq:2024-33-01");
}
