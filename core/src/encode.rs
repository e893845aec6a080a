//! Building request paths: every caller-supplied name becomes exactly one path segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};

/// Everything but RFC 3986 "unreserved" characters is encoded, so `/`, `?`, `#`, `%`, `\`
/// and spaces can never change which resource a request reaches.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Encodes `value` (what `what` names, for the error) as one path segment. Empty names, `.`
/// and `..` (which URL normalisation would turn into another path) and control characters are
/// refused.
pub fn segment(what: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::invalid_input(format!("{what} must not be empty")));
    }
    if value.trim().is_empty() {
        return Err(Error::invalid_input(format!("{what} must not be blank")));
    }
    surrounding_whitespace(what, value)?;
    if value == "." || value == ".." {
        return Err(Error::invalid_input(format!("{what} must not be '{value}'")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!("{what} must not contain control characters")));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Refuses a name or id with leading or trailing whitespace: headers lose it on the wire and
/// servers may trim it, so it would silently name something else.
fn surrounding_whitespace(what: &str, value: &str) -> Result<()> {
    if value.trim() != value {
        return Err(Error::invalid_input(format!("{what} must not begin or end with whitespace")));
    }
    Ok(())
}

/// A required text argument that travels in a query string, header or body.
pub fn required(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(format!("{what} must not be empty")));
    }
    surrounding_whitespace(what, value)?;
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!("{what} must not contain control characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_one_segment() {
        assert_eq!(segment("n", "LOCATION").unwrap(), "LOCATION");
        assert_eq!(segment("n", "a/b").unwrap(), "a%2Fb");
        assert_eq!(segment("n", "../x").unwrap(), "..%2Fx");
        assert_eq!(segment("n", "a?b#c").unwrap(), "a%3Fb%23c");
        assert_eq!(segment("n", "100%").unwrap(), "100%25");
        assert_eq!(segment("n", "é ü").unwrap(), "%C3%A9%20%C3%BC");
        assert_eq!(segment("n", "a\\b").unwrap(), "a%5Cb");
        for bad in ["", " ", ".", "..", "a\nb", " a", "a ", "a\t"] {
            assert!(segment("name", bad).is_err(), "{bad:?}");
        }
        for bad in [" a", "a\u{a0}"] {
            assert!(required("id", bad).is_err(), "{bad:?}");
        }
    }
}
