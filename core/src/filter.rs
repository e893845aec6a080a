//! A builder for the record filter grammar (REFERENCE.md §11):
//! `field:[TYPE:]op:value`, joined by `:and:` (binds tighter) and `:or:`.
//!
//! ```
//! use exto360::Filter;
//! let f = Filter::field("serial_number").number().gt(1000)
//!     .and(Filter::field("email_id").string().contains("john"))
//!     .or(Filter::field("status").eq("Approved"));
//! assert_eq!(f.render().unwrap(), "serial_number:NUMBER:gt:1000:and:email_id:STRING:cn:john:or:status:eq:Approved");
//! ```
//!
//! Typed fields only offer the operators the grammar allows for their type, so a string
//! operator on a number does not compile. The dynamic form ([`Filter::condition`], used by the
//! language bindings) checks the same rules at run time. Values the grammar cannot carry
//! (a `:` anywhere, `|` inside an `in` list, the word `null`) are refused: the error surfaces
//! from [`Filter::render`] or from the list call that uses the filter.

use std::fmt;

use crate::error::{Error, Result};

/// The optional type token of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Number,
    String,
    Date,
    /// Booleans and other primitive fields.
    Primitive,
}

impl FieldType {
    pub fn token(self) -> &'static str {
        match self {
            FieldType::Number => "NUMBER",
            FieldType::String => "STRING",
            FieldType::Date => "DATE",
            FieldType::Primitive => "PRIMITIVE",
        }
    }
    /// `NUMBER`/`number`, `STRING`, `DATE`, `PRIMITIVE` (any case).
    pub fn parse(s: &str) -> Option<FieldType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "NUMBER" => FieldType::Number,
            "STRING" => FieldType::String,
            "DATE" => FieldType::Date,
            "PRIMITIVE" => FieldType::Primitive,
            _ => return None,
        })
    }
}

/// A condition's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `cn` (STRING).
    Contains,
    /// `nc` (STRING).
    NotContains,
    /// `sw` (STRING).
    StartsWith,
    /// `ew` (STRING).
    EndsWith,
    /// `in`, a `|`-separated list.
    In,
    /// `eq:null`.
    IsBlank,
    /// `ne:null`.
    IsNotBlank,
}

impl Op {
    fn token(self) -> &'static str {
        match self {
            Op::Eq | Op::IsBlank => "eq",
            Op::Ne | Op::IsNotBlank => "ne",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Contains => "cn",
            Op::NotContains => "nc",
            Op::StartsWith => "sw",
            Op::EndsWith => "ew",
            Op::In => "in",
        }
    }
    /// Grammar tokens (`eq`, `cn`, ...) and the builder's names (`contains`, `is_blank`, ...).
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "cn" | "contains" => Op::Contains,
            "nc" | "not_contains" | "notContains" => Op::NotContains,
            "sw" | "starts_with" | "startsWith" => Op::StartsWith,
            "ew" | "ends_with" | "endsWith" => Op::EndsWith,
            "in" | "is_in" | "isIn" => Op::In,
            "is_blank" | "isBlank" => Op::IsBlank,
            "is_not_blank" | "isNotBlank" => Op::IsNotBlank,
            _ => return None,
        })
    }
    fn is_string_op(self) -> bool {
        matches!(self, Op::Contains | Op::NotContains | Op::StartsWith | Op::EndsWith)
    }
    fn is_ordering(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }
}

/// A value a condition compares with.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Text(String),
    List(Vec<FilterValue>),
}

macro_rules! from_int {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for FilterValue { fn from(x: $t) -> Self { FilterValue::$v(x.into()) } }
    )*};
}
from_int!(i8 => Int, i16 => Int, i32 => Int, i64 => Int, u8 => UInt, u16 => UInt, u32 => UInt, u64 => UInt, f32 => Float, f64 => Float, bool => Bool);
impl From<&str> for FilterValue {
    fn from(s: &str) -> Self {
        FilterValue::Text(s.to_string())
    }
}
impl From<String> for FilterValue {
    fn from(s: String) -> Self {
        FilterValue::Text(s)
    }
}
impl From<&String> for FilterValue {
    fn from(s: &String) -> Self {
        FilterValue::Text(s.clone())
    }
}

impl FilterValue {
    fn is_number(&self) -> bool {
        matches!(self, FilterValue::Int(_) | FilterValue::UInt(_) | FilterValue::Float(_))
    }
    /// The value's text in the grammar, checked for what the grammar cannot carry.
    fn render(&self, field: &str, in_list: bool) -> std::result::Result<String, String> {
        let text = match self {
            FilterValue::Int(i) => i.to_string(),
            FilterValue::UInt(u) => u.to_string(),
            FilterValue::Float(f) if f.is_finite() => f.to_string(),
            FilterValue::Float(f) => return Err(format!("value {f} of '{field}' is not a finite number")),
            FilterValue::Bool(b) => b.to_string(),
            FilterValue::Text(s) => s.clone(),
            FilterValue::List(_) => return Err(format!("a list is only allowed with `in` (field '{field}')")),
        };
        if text.is_empty() {
            return Err(format!("empty value for '{field}'; use is_blank() to match blank fields"));
        }
        if text.contains(':') {
            return Err(format!("value '{text}' of '{field}' contains ':', which the filter grammar cannot express"));
        }
        if in_list && text.contains('|') {
            return Err(format!("`in` item '{text}' of '{field}' contains '|', the list separator"));
        }
        if text == "null" {
            return Err(format!("value 'null' of '{field}' would mean blank; use is_blank()/is_not_blank()"));
        }
        if text.chars().any(char::is_control) {
            return Err(format!("value of '{field}' contains control characters"));
        }
        Ok(text)
    }
}

/// Digits in the `yyyy-MM-dd` layout, a real date or not.
fn is_date_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `yyyy-MM-dd` with a real month and day.
fn is_calendar_date(s: &str) -> bool {
    if !is_date_shaped(s) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// One rendered condition.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    text: String,
    date: bool,
}

/// A filter: an OR of AND-groups of conditions (the grammar has no parentheses). A builder
/// mistake is kept and reported by [`Filter::render`] rather than panicking mid-chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    any: Vec<Vec<Condition>>,
    /// How many OR-groups the whole expression expands to (saturating). Once it is over
    /// [`MAX_GROUPS`], `any` is dropped and only the count is kept, so combining more can never
    /// allocate more.
    groups: u64,
    error: Option<String>,
}

/// Most OR-groups a filter may have, after expanding ANDs of ORs (see [`Filter::and`]).
pub const MAX_GROUPS: usize = 64;
/// Most conditions a whole filter may hold, over all its groups.
pub const MAX_CONDITIONS: usize = 1024;

impl Filter {
    /// Starts a condition on `name` (a custom field key such as `serial_number`, or a record
    /// attribute such as `status`).
    pub fn field(name: impl Into<String>) -> Field {
        Field { name: name.into(), ty: None }
    }

    /// A filter that is already known to be wrong: `render` reports `message`.
    pub fn invalid(message: impl Into<String>) -> Filter {
        Filter { any: vec![], groups: 0, error: Some(message.into()) }
    }

    /// A condition from parts, checked at run time: what the bindings call.
    /// `value` is ignored for `IsBlank`/`IsNotBlank` and must be a list for `In`.
    pub fn condition(field: &str, ty: Option<FieldType>, op: Op, value: Option<FilterValue>) -> Filter {
        match Self::build(field, ty, op, value) {
            Ok(c) => Filter { any: vec![vec![c]], groups: 1, error: None },
            Err(e) => Filter::invalid(e),
        }
    }

    fn build(field: &str, ty: Option<FieldType>, op: Op, value: Option<FilterValue>) -> std::result::Result<Condition, String> {
        if field.is_empty() || field.contains(':') || field.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(format!("field name '{field}' must be non-empty, without ':' or spaces"));
        }
        let tname = ty.map(FieldType::token).unwrap_or("untyped");
        if op.is_string_op() && matches!(ty, Some(FieldType::Number | FieldType::Date | FieldType::Primitive)) {
            return Err(format!("operator '{}' compares text; field '{field}' is {tname}", op.token()));
        }
        if op.is_ordering() && ty == Some(FieldType::Primitive) {
            return Err(format!("operator '{}' does not apply to PRIMITIVE field '{field}'", op.token()));
        }
        if op == Op::In && matches!(ty, Some(FieldType::Date | FieldType::Primitive)) {
            return Err(format!("`in` is not available for {tname} field '{field}'"));
        }
        let prefix = match ty {
            Some(t) => format!("{field}:{}:{}", t.token(), op.token()),
            None => format!("{field}:{}", op.token()),
        };
        if matches!(op, Op::IsBlank | Op::IsNotBlank) {
            return Ok(Condition { text: format!("{prefix}:null"), date: false });
        }
        let value = value.ok_or_else(|| format!("operator '{}' on '{field}' needs a value", op.token()))?;
        let check_typed = |v: &FilterValue| -> std::result::Result<(), String> {
            match ty {
                Some(FieldType::Number) if !v.is_number() => {
                    // Decimal strings keep precision beyond f64 (e.g. "12345678901234567890.5").
                    match v {
                        FilterValue::Text(s) if s.parse::<f64>().is_ok_and(f64::is_finite) => Ok(()),
                        _ => Err(format!("NUMBER field '{field}' needs a number, got {v:?}")),
                    }
                }
                Some(FieldType::Date) => match v {
                    FilterValue::Text(s) if is_calendar_date(s) => Ok(()),
                    _ => Err(format!("DATE field '{field}' needs a date as yyyy-MM-dd, got {v:?}")),
                },
                _ => Ok(()),
            }
        };
        let (text, date) = if op == Op::In {
            let FilterValue::List(items) = value else {
                return Err(format!("`in` on '{field}' needs a list of values"));
            };
            if items.is_empty() {
                return Err(format!("`in` on '{field}' needs at least one value"));
            }
            let mut parts = Vec::with_capacity(items.len());
            for it in &items {
                check_typed(it)?;
                parts.push(it.render(field, true)?);
            }
            (parts.join("|"), false)
        } else {
            check_typed(&value)?;
            let text = value.render(field, false)?;
            // The service reads an untyped `yyyy-MM-dd` value as a date: one that is no real
            // date would be refused there (or compared as something else).
            let dated = ty.is_none() && !op.is_string_op() && is_date_shaped(&text);
            if dated && !is_calendar_date(&text) {
                return Err(format!("value '{text}' of '{field}' has the form of a date (yyyy-MM-dd) but is not a real date"));
            }
            (text, ty == Some(FieldType::Date) || dated)
        };
        Ok(Condition { text: format!("{prefix}:{text}"), date })
    }

    /// Both filters. Without parentheses in the grammar, `(a or b) and (c or d)` is expanded to
    /// `a and c or a and d or b and c or b and d`; more than [`MAX_GROUPS`] groups (or
    /// [`MAX_CONDITIONS`] conditions) is an error, found before anything is expanded.
    pub fn and(self, other: Filter) -> Filter {
        let groups = self.groups.saturating_mul(other.groups);
        if let Some(e) = self.error.or(other.error) {
            return Filter { any: vec![], groups, error: Some(e) };
        }
        if groups > MAX_GROUPS as u64 {
            return Filter { any: vec![], groups, error: None };
        }
        let mut any = Vec::with_capacity(groups as usize);
        for a in &self.any {
            for b in &other.any {
                any.push(a.iter().chain(b.iter()).cloned().collect());
            }
        }
        Filter { any, groups, error: None }.checked()
    }

    /// Either filter.
    pub fn or(mut self, other: Filter) -> Filter {
        self.groups = self.groups.saturating_add(other.groups);
        self.error = self.error.or(other.error);
        if self.error.is_some() || self.groups > MAX_GROUPS as u64 {
            self.any = vec![];
            return self;
        }
        self.any.extend(other.any);
        self.checked()
    }

    /// Drops the groups of a filter that holds too many conditions (the error is reported by
    /// `render`).
    fn checked(mut self) -> Filter {
        let n: usize = self.any.iter().map(Vec::len).sum();
        if n > MAX_CONDITIONS {
            self.any = vec![];
            self.error = Some(format!("filter has {n} conditions after expansion (limit {MAX_CONDITIONS})"));
        }
        self
    }

    /// The filter in the API's grammar (not yet percent-encoded; the client encodes it as a
    /// query value).
    pub fn render(&self) -> Result<String> {
        Ok(self.and_groups()?.join(":or:"))
    }

    /// The filter in the v2 workflow list's DSL (REFERENCE.md §5.2), which has parentheses:
    /// every AND-group in parentheses, e.g. `(a:eq:1:and:b:cn:x):or:(c:gt:2)`.
    pub fn render_grouped(&self) -> Result<String> {
        Ok(self.and_groups()?.iter().map(|g| format!("({g})")).collect::<Vec<_>>().join(":or:"))
    }

    /// The AND-groups, each joined by `:and:`, after the checks every rendering shares.
    fn and_groups(&self) -> Result<Vec<String>> {
        if let Some(e) = &self.error {
            return Err(Error::invalid_input(format!("invalid filter: {e}")));
        }
        if self.groups > MAX_GROUPS as u64 {
            let n = if self.groups == u64::MAX { "more than 18446744073709551614".to_string() } else { self.groups.to_string() };
            return Err(Error::invalid_input(format!("invalid filter: it expands to {n} OR-groups (limit {MAX_GROUPS}); use `in` for alternatives of one field")));
        }
        if self.any.is_empty() {
            return Err(Error::invalid_input("invalid filter: no condition"));
        }
        Ok(self.any.iter().map(|all| all.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(":and:")).collect())
    }

    /// Whether some condition compares dates (and so needs `local_time_zone`).
    pub fn compares_dates(&self) -> bool {
        self.any.iter().flatten().any(|c| c.date)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.render() {
            Ok(s) => f.write_str(&s),
            Err(e) => write!(f, "<{e}>"),
        }
    }
}

/// Whether a raw filter string compares dates: a `DATE` type token, or a `yyyy-MM-dd` value
/// (which the service treats as a date comparison).
pub(crate) fn raw_compares_dates(s: &str) -> bool {
    s.split(':').any(|t| t == "DATE" || is_calendar_date(t))
}

/// A field before its type is chosen. Its own operators emit no type token.
#[derive(Debug, Clone)]
pub struct Field {
    name: String,
    ty: Option<FieldType>,
}

macro_rules! ops {
    ($($(#[$m:meta])* $name:ident => $op:ident),* $(,)?) => {$(
        $(#[$m])*
        pub fn $name(self, value: impl Into<FilterValue>) -> Filter {
            Filter::condition(&self.f.name, self.f.ty, Op::$op, Some(value.into()))
        }
    )*};
}

macro_rules! blank_ops {
    () => {
        /// `eq:null`: the field is blank.
        pub fn is_blank(self) -> Filter {
            Filter::condition(&self.f.name, self.f.ty, Op::IsBlank, None)
        }
        /// `ne:null`: the field is not blank.
        pub fn is_not_blank(self) -> Filter {
            Filter::condition(&self.f.name, self.f.ty, Op::IsNotBlank, None)
        }
    };
}

macro_rules! in_op {
    () => {
        /// `in`: equal to one of `values` (sent `|`-separated).
        pub fn is_in<V: Into<FilterValue>>(self, values: impl IntoIterator<Item = V>) -> Filter {
            let list = FilterValue::List(values.into_iter().map(Into::into).collect());
            Filter::condition(&self.f.name, self.f.ty, Op::In, Some(list))
        }
    };
}

/// A NUMBER field: comparisons, `in`, blank checks.
#[derive(Debug, Clone)]
pub struct NumberField {
    f: Field,
}
impl NumberField {
    ops!(eq => Eq, ne => Ne, gt => Gt, ge => Ge, lt => Lt, le => Le);
    in_op!();
    blank_ops!();
}

/// A STRING field: equality, `cn/nc/sw/ew`, `in`, blank checks.
#[derive(Debug, Clone)]
pub struct StringField {
    f: Field,
}
impl StringField {
    ops!(
        eq => Eq, ne => Ne,
        /// `cn`
        contains => Contains,
        /// `nc`
        not_contains => NotContains,
        /// `sw`
        starts_with => StartsWith,
        /// `ew`
        ends_with => EndsWith,
    );
    in_op!();
    blank_ops!();
}

/// A DATE field: comparisons of `yyyy-MM-dd` days in the list call's `local_time_zone`.
#[derive(Debug, Clone)]
pub struct DateField {
    f: Field,
}
impl DateField {
    ops!(eq => Eq, ne => Ne, gt => Gt, ge => Ge, lt => Lt, le => Le);
    blank_ops!();
}

/// A PRIMITIVE field (booleans): `eq`, `ne`, blank checks.
#[derive(Debug, Clone)]
pub struct PrimitiveField {
    f: Field,
}
impl PrimitiveField {
    ops!(eq => Eq, ne => Ne);
    blank_ops!();
}

impl Field {
    pub fn number(self) -> NumberField {
        NumberField { f: Field { ty: Some(FieldType::Number), ..self } }
    }
    pub fn string(self) -> StringField {
        StringField { f: Field { ty: Some(FieldType::String), ..self } }
    }
    pub fn date(self) -> DateField {
        DateField { f: Field { ty: Some(FieldType::Date), ..self } }
    }
    pub fn primitive(self) -> PrimitiveField {
        PrimitiveField { f: Field { ty: Some(FieldType::Primitive), ..self } }
    }
    fn untyped(self) -> StringField {
        StringField { f: self }
    }
    /// Untyped `eq` (`field:eq:value`); the server infers the type.
    pub fn eq(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().eq(v)
    }
    pub fn ne(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().ne(v)
    }
    pub fn gt(self, v: impl Into<FilterValue>) -> Filter {
        Filter::condition(&self.name, None, Op::Gt, Some(v.into()))
    }
    pub fn ge(self, v: impl Into<FilterValue>) -> Filter {
        Filter::condition(&self.name, None, Op::Ge, Some(v.into()))
    }
    pub fn lt(self, v: impl Into<FilterValue>) -> Filter {
        Filter::condition(&self.name, None, Op::Lt, Some(v.into()))
    }
    pub fn le(self, v: impl Into<FilterValue>) -> Filter {
        Filter::condition(&self.name, None, Op::Le, Some(v.into()))
    }
    pub fn contains(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().contains(v)
    }
    pub fn not_contains(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().not_contains(v)
    }
    pub fn starts_with(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().starts_with(v)
    }
    pub fn ends_with(self, v: impl Into<FilterValue>) -> Filter {
        self.untyped().ends_with(v)
    }
    pub fn is_in<V: Into<FilterValue>>(self, values: impl IntoIterator<Item = V>) -> Filter {
        self.untyped().is_in(values)
    }
    pub fn is_blank(self) -> Filter {
        self.untyped().is_blank()
    }
    pub fn is_not_blank(self) -> Filter {
        self.untyped().is_not_blank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(f: Filter) -> String {
        f.render().unwrap()
    }
    fn err(f: Filter) -> String {
        f.render().unwrap_err().to_string()
    }

    #[test]
    fn every_number_operator() {
        let f = || Filter::field("n").number();
        assert_eq!(r(f().eq(1234)), "n:NUMBER:eq:1234");
        assert_eq!(r(f().ne(4)), "n:NUMBER:ne:4");
        assert_eq!(r(f().gt(2)), "n:NUMBER:gt:2");
        assert_eq!(r(f().ge(2.5)), "n:NUMBER:ge:2.5");
        assert_eq!(r(f().lt(-3)), "n:NUMBER:lt:-3");
        assert_eq!(r(f().le(u64::MAX)), "n:NUMBER:le:18446744073709551615");
        assert_eq!(r(f().is_in([2, 10, 15])), "n:NUMBER:in:2|10|15");
        assert_eq!(r(f().is_blank()), "n:NUMBER:eq:null");
        assert_eq!(r(f().is_not_blank()), "n:NUMBER:ne:null");
        assert_eq!(r(f().eq("12345678901234567890.5")), "n:NUMBER:eq:12345678901234567890.5");
        assert!(err(f().eq("abc")).contains("needs a number"));
        assert!(err(f().eq(f64::NAN)).contains("not a finite number"));
        assert!(err(f().is_in(Vec::<i32>::new())).contains("at least one value"));
    }

    #[test]
    fn every_string_operator() {
        let f = || Filter::field("email_id").string();
        assert_eq!(r(f().eq("abc@xyz.com")), "email_id:STRING:eq:abc@xyz.com");
        assert_eq!(r(f().ne("x")), "email_id:STRING:ne:x");
        assert_eq!(r(f().contains("m")), "email_id:STRING:cn:m");
        assert_eq!(r(f().not_contains("com")), "email_id:STRING:nc:com");
        assert_eq!(r(f().starts_with("d")), "email_id:STRING:sw:d");
        assert_eq!(r(f().ends_with("m")), "email_id:STRING:ew:m");
        assert_eq!(r(f().is_in(["a", "b c"])), "email_id:STRING:in:a|b c");
        assert_eq!(r(f().is_blank()), "email_id:STRING:eq:null");
        assert_eq!(r(f().is_not_blank()), "email_id:STRING:ne:null");
        assert!(err(f().eq("a:b")).contains("contains ':'"));
        assert!(err(f().is_in(["a|b"])).contains("contains '|'"));
        assert!(err(f().eq("null")).contains("is_blank"));
        assert!(err(f().eq("")).contains("empty value"));
    }

    #[test]
    fn dates_and_primitives() {
        let d = || Filter::field("createdDate").date();
        assert_eq!(r(d().eq("2024-03-22")), "createdDate:DATE:eq:2024-03-22");
        assert_eq!(r(d().ne("2024-03-22")), "createdDate:DATE:ne:2024-03-22");
        assert_eq!(r(d().gt("2024-01-01")), "createdDate:DATE:gt:2024-01-01");
        assert_eq!(r(d().lt("2024-03-01")), "createdDate:DATE:lt:2024-03-01");
        assert_eq!(r(d().ge("2024-02-29")), "createdDate:DATE:ge:2024-02-29");
        assert_eq!(r(d().le("2024-03-31")), "createdDate:DATE:le:2024-03-31");
        assert!(d().eq("2024-03-22").compares_dates());
        assert!(err(d().eq("2023-02-29")).contains("yyyy-MM-dd"));
        assert!(err(d().eq("22/03/2024")).contains("yyyy-MM-dd"));
        let p = || Filter::field("active").primitive();
        assert_eq!(r(p().ne(true)), "active:PRIMITIVE:ne:true");
        assert_eq!(r(p().eq(false)), "active:PRIMITIVE:eq:false");
        assert!(!p().eq(false).compares_dates());
    }

    #[test]
    fn untyped_conditions_omit_the_type_token() {
        assert_eq!(r(Filter::field("serial_number").eq(1234)), "serial_number:eq:1234");
        assert_eq!(r(Filter::field("email_id").contains("john")), "email_id:cn:john");
        assert_eq!(r(Filter::field("n").is_in([1, 2])), "n:in:1|2");
        assert!(Filter::field("d").ge("2024-03-01").compares_dates());
        assert!(!Filter::field("d").contains("2024-03-01").compares_dates());
    }

    #[test]
    fn runtime_checks_refuse_impossible_combinations() {
        let e = err(Filter::condition("n", Some(FieldType::Number), Op::Contains, Some("3".into())));
        assert!(e.contains("compares text") && e.contains("NUMBER"), "{e}");
        assert!(err(Filter::condition("d", Some(FieldType::Date), Op::StartsWith, Some("2024".into()))).contains("compares text"));
        assert!(err(Filter::condition("b", Some(FieldType::Primitive), Op::Gt, Some(1.into()))).contains("PRIMITIVE"));
        assert!(err(Filter::condition("d", Some(FieldType::Date), Op::In, Some(FilterValue::List(vec![])))).contains("`in` is not available"));
        assert!(err(Filter::condition("n", None, Op::Eq, None)).contains("needs a value"));
        assert!(err(Filter::condition("n", None, Op::In, Some(3.into()))).contains("needs a list"));
        assert!(err(Filter::condition("a b", None, Op::Eq, Some(1.into()))).contains("field name"));
        assert!(err(Filter::condition("", None, Op::Eq, Some(1.into()))).contains("field name"));
    }

    #[test]
    fn and_binds_tighter_than_or_and_distributes() {
        let a = || Filter::field("a").eq(1);
        let b = || Filter::field("b").eq(2);
        let c = || Filter::field("c").eq(3);
        assert_eq!(r(a().and(b()).or(c())), "a:eq:1:and:b:eq:2:or:c:eq:3");
        assert_eq!(r(c().or(a().and(b()))), "c:eq:3:or:a:eq:1:and:b:eq:2");
        assert_eq!(r(a().or(b()).and(c())), "a:eq:1:and:c:eq:3:or:b:eq:2:and:c:eq:3");
        // An error anywhere in the chain survives combination.
        assert!(err(a().and(Filter::field("x").number().eq("no")).or(c())).contains("needs a number"));
        let mut wide = a();
        for _ in 0..7 {
            wide = wide.or(b());
        }
        let e = err(wide.clone().and(wide.clone()).and(wide));
        assert!(e.contains("expands to 512 OR-groups (limit 64)"), "{e}");
    }

    #[test]
    fn combining_many_or_groups_stops_expanding_at_the_limit() {
        // 22 AND-ed pairs would be 2^22 groups of 22 conditions: the builder must refuse it
        // without expanding (it used to allocate gigabytes), and name the real count.
        let pair = |i: usize| Filter::field(format!("f{i}")).eq(1).or(Filter::field(format!("g{i}")).eq(2));
        let mut f = pair(0);
        for i in 1..22 {
            f = f.and(pair(i));
        }
        let e = err(f.clone());
        assert!(e.contains("expands to 4194304 OR-groups (limit 64)"), "{e}");
        // Far past u64: the count saturates, the message still says what happened.
        for i in 22..200 {
            f = f.and(pair(i));
        }
        assert!(err(f).contains("more than"));
        // Exactly at the limit is fine: 2^6 = 64 groups.
        let mut ok = pair(0);
        for i in 1..6 {
            ok = ok.and(pair(i));
        }
        assert_eq!(ok.render().unwrap().matches(":or:").count(), 63);
        // OR-ing more than 64 alternatives is refused too (use `in`).
        let mut wide = pair(0);
        for i in 1..40 {
            wide = wide.or(pair(i));
        }
        assert!(err(wide).contains("expands to 80 OR-groups"));
        // A long AND chain is bounded by the number of conditions.
        let mut long = Filter::field("a").eq(0);
        for i in 1..2000 {
            long = long.and(Filter::field("a").eq(i));
        }
        assert!(err(long).contains("1025 conditions"));
    }

    #[test]
    fn raw_date_detection() {
        assert!(raw_compares_dates("d:DATE:eq:2024-01-01"));
        assert!(raw_compares_dates("d:ge:2024-03-01:and:x:eq:1"));
        assert!(!raw_compares_dates("serial_number:NUMBER:eq:1234"));
    }
}
