//! The record filter grammar of REFERENCE.md §11: `cond(:and:cond)*(:or:...)*`, where
//! `cond = field:[TYPE:]op:value`; `:and:` binds tighter than `:or:`.
//!
//! Where the docs are silent the emulator chooses, and says so here: `eq` is case-sensitive,
//! `cn/nc/sw/ew` are case-insensitive; an array field matches when any element matches (`ne`
//! and `nc` when none does); an untyped condition whose value looks like `yyyy-MM-dd` is a DATE
//! condition; `null` means missing, JSON null, `""` or `[]`.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::state::Record;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    String,
    Date,
    Primitive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Cn,
    Nc,
    Sw,
    Ew,
    In,
}

#[derive(Debug, Clone)]
pub enum Operand {
    Null,
    Number(f64),
    Date(Date),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub field: String,
    pub ty: Option<Type>,
    pub op: Op,
    pub raw: String,
    pub operand: Operand,
}

/// OR of ANDs.
#[derive(Debug, Clone)]
pub struct Filter {
    pub any: Vec<Vec<Condition>>,
}

fn parse_type(s: &str) -> Option<Type> {
    Some(match s {
        "NUMBER" => Type::Number,
        "STRING" => Type::String,
        "DATE" => Type::Date,
        "PRIMITIVE" => Type::Primitive,
        _ => return None,
    })
}

fn parse_op(s: &str) -> Option<Op> {
    Some(match s {
        "eq" => Op::Eq,
        "ne" => Op::Ne,
        "gt" => Op::Gt,
        "ge" => Op::Ge,
        "lt" => Op::Lt,
        "le" => Op::Le,
        "cn" => Op::Cn,
        "nc" => Op::Nc,
        "sw" => Op::Sw,
        "ew" => Op::Ew,
        "in" => Op::In,
        _ => return None,
    })
}

fn is_date_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn parse_date(s: &str) -> Option<Date> {
    if is_date_shaped(s) { s.parse().ok() } else { None }
}

impl Filter {
    /// Parses a filter; the error text says which condition is wrong and why.
    pub fn parse(input: &str) -> Result<Filter, String> {
        if input.is_empty() {
            return Err("filter is empty".into());
        }
        let tokens: Vec<&str> = input.split(':').collect();
        let mut any = vec![Vec::new()];
        let mut i = 0;
        loop {
            let start = i;
            let field = tokens[i];
            if field.is_empty() {
                return Err(format!("condition {} has an empty field name", any.iter().map(Vec::len).sum::<usize>() + 1));
            }
            i += 1;
            let mut ty = None;
            if let Some(t) = tokens.get(i).and_then(|t| parse_type(t)) {
                ty = Some(t);
                i += 1;
            }
            let op_tok = tokens.get(i).ok_or_else(|| format!("condition on '{field}' has no operator"))?;
            let op = parse_op(op_tok).ok_or_else(|| format!("unknown operator '{op_tok}' in condition on '{field}'"))?;
            i += 1;
            let raw = *tokens.get(i).ok_or_else(|| format!("condition on '{field}' has no value"))?;
            i += 1;
            let cond_text = tokens[start..i].join(":");
            let operand = operand_for(ty, op, raw).map_err(|e| format!("{e} in '{cond_text}'"))?;
            any.last_mut().unwrap_or(&mut Vec::new()).push(Condition { field: field.to_string(), ty, op, raw: raw.to_string(), operand });
            match tokens.get(i) {
                None => break,
                Some(&"and") => {}
                Some(&"or") => any.push(Vec::new()),
                Some(other) => return Err(format!("expected ':and:' or ':or:' after '{cond_text}', found '{other}'")),
            }
            i += 1;
            if i >= tokens.len() {
                return Err(format!("filter ends with a dangling ':{}:'", tokens[i - 1]));
            }
        }
        Ok(Filter { any })
    }

    /// True when some condition compares dates, which needs `localTimeZone`.
    pub fn needs_time_zone(&self) -> bool {
        self.any.iter().flatten().any(|c| matches!(c.operand, Operand::Date(_)))
    }

    pub fn matches(&self, rec: &Record, tz: Option<&TimeZone>) -> bool {
        self.any.iter().any(|all| all.iter().all(|c| c.matches(rec, tz)))
    }
}

/// One condition of the filter grammar at `tokens[*i..]`; advances `i` past it.
fn parse_condition(tokens: &[&str], i: &mut usize, count: usize) -> Result<(Condition, String), String> {
    let start = *i;
    let field = tokens[*i];
    if field.is_empty() {
        return Err(format!("condition {} has an empty field name", count + 1));
    }
    *i += 1;
    let mut ty = None;
    if let Some(t) = tokens.get(*i).and_then(|t| parse_type(t)) {
        ty = Some(t);
        *i += 1;
    }
    let op_tok = tokens.get(*i).ok_or_else(|| format!("condition on '{field}' has no operator"))?;
    let op = parse_op(op_tok).ok_or_else(|| format!("unknown operator '{op_tok}' in condition on '{field}'"))?;
    *i += 1;
    let raw = *tokens.get(*i).ok_or_else(|| format!("condition on '{field}' has no value"))?;
    *i += 1;
    let cond_text = tokens[start..*i].join(":");
    let operand = operand_for(ty, op, raw).map_err(|e| format!("{e} in '{cond_text}'"))?;
    Ok((Condition { field: field.to_string(), ty, op, raw: raw.to_string(), operand }, cond_text))
}

/// The v2 workflow list's "GlobalFilters" DSL (REFERENCE.md §5.2): the record grammar with
/// parenthesised groups, e.g. `(status:eq:Draft:or:status:eq:Submitted):and:number2:gt:2`.
/// `:and:` binds tighter than `:or:`, as in record filters. A value cannot end in `)` (the docs
/// give no escape).
#[derive(Debug, Clone)]
pub enum Expr {
    Cond(Condition),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

struct GroupParser<'a> {
    tokens: Vec<&'a str>,
    i: usize,
    /// `)` seen at the end of the last value, not yet matched.
    closing: usize,
    count: usize,
}

impl<'a> GroupParser<'a> {
    fn or(&mut self, depth: usize) -> Result<Expr, String> {
        let mut parts = vec![self.and(depth)?];
        while self.closing == 0 && self.tokens.get(self.i) == Some(&"or") {
            self.i += 1;
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Or(parts) })
    }
    fn and(&mut self, depth: usize) -> Result<Expr, String> {
        let mut parts = vec![self.term(depth)?];
        while self.closing == 0 && self.tokens.get(self.i) == Some(&"and") {
            self.i += 1;
            parts.push(self.term(depth)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }
    fn term(&mut self, depth: usize) -> Result<Expr, String> {
        let tok = *self.tokens.get(self.i).ok_or("filter ends where a condition was expected")?;
        if let Some(rest) = tok.strip_prefix('(') {
            if depth >= 32 {
                return Err("parentheses nest deeper than 32 levels".into());
            }
            self.tokens[self.i] = rest;
            let inner = self.or(depth + 1)?;
            if self.closing == 0 {
                return Err("'(' without a matching ')'".into());
            }
            self.closing -= 1;
            return Ok(inner);
        }
        // The value (after `field[:TYPE]:op`) may carry the group's closing parentheses.
        let typed = self.tokens.get(self.i + 1).is_some_and(|t| parse_type(t).is_some());
        let value_at = self.i + 2 + usize::from(typed);
        if value_at >= self.tokens.len() {
            return parse_condition(&self.tokens, &mut self.i, self.count).map(|(c, _)| Expr::Cond(c));
        }
        let value = self.tokens[value_at];
        let trimmed = value.trim_end_matches(')');
        self.closing += value.len() - trimmed.len();
        self.tokens[value_at] = trimmed;
        let (c, _) = parse_condition(&self.tokens, &mut self.i, self.count)?;
        self.count += 1;
        Ok(Expr::Cond(c))
    }
}

impl Expr {
    pub fn parse(input: &str) -> Result<Expr, String> {
        if input.is_empty() {
            return Err("filter is empty".into());
        }
        let mut p = GroupParser { tokens: input.split(':').collect(), i: 0, closing: 0, count: 0 };
        let e = p.or(0)?;
        if p.closing > 0 {
            return Err("')' without a matching '('".into());
        }
        if let Some(t) = p.tokens.get(p.i) {
            return Err(format!("unexpected '{t}' after a complete filter"));
        }
        Ok(e)
    }

    /// Whether the fields `get` returns satisfy the expression (DATE values in UTC).
    pub fn matches(&self, get: &dyn Fn(&str) -> Option<Value>) -> bool {
        match self {
            Expr::Cond(c) => c.matches_with(get, None),
            Expr::And(all) => all.iter().all(|e| e.matches(get)),
            Expr::Or(any) => any.iter().any(|e| e.matches(get)),
        }
    }
}

fn operand_for(ty: Option<Type>, op: Op, raw: &str) -> Result<Operand, String> {
    let string_op = matches!(op, Op::Cn | Op::Nc | Op::Sw | Op::Ew);
    if string_op && matches!(ty, Some(Type::Number | Type::Date | Type::Primitive)) {
        return Err(format!("operator '{}' applies to STRING fields only", op_name(op)));
    }
    if raw == "null" && !string_op {
        return match op {
            Op::Eq | Op::Ne => Ok(Operand::Null),
            _ => Err("'null' can only be used with eq or ne".into()),
        };
    }
    if op == Op::In {
        let items: Vec<String> = raw.split('|').map(str::to_string).collect();
        if items.iter().any(String::is_empty) {
            return Err("'in' needs a '|'-separated list without empty items".into());
        }
        if ty == Some(Type::Number) && items.iter().any(|s| s.parse::<f64>().is_err()) {
            return Err("'in' on a NUMBER field needs numbers".into());
        }
        return Ok(Operand::List(items));
    }
    if raw.is_empty() {
        return Err("empty value".into());
    }
    match ty {
        Some(Type::Number) => raw.parse::<f64>().map(Operand::Number).map_err(|_| format!("'{raw}' is not a number")),
        Some(Type::Date) => parse_date(raw).map(Operand::Date).ok_or_else(|| format!("'{raw}' is not a date (yyyy-MM-dd)")),
        Some(Type::String) | Some(Type::Primitive) => Ok(Operand::Text(raw.to_string())),
        None if !string_op && is_date_shaped(raw) => {
            parse_date(raw).map(Operand::Date).ok_or_else(|| format!("'{raw}' is not a valid date"))
        }
        None => Ok(Operand::Text(raw.to_string())),
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Eq => "eq",
        Op::Ne => "ne",
        Op::Gt => "gt",
        Op::Ge => "ge",
        Op::Lt => "lt",
        Op::Le => "le",
        Op::Cn => "cn",
        Op::Nc => "nc",
        Op::Sw => "sw",
        Op::Ew => "ew",
        Op::In => "in",
    }
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(o) => o.get("value").and_then(as_number), // currency {label, value, currency}
        _ => None,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The local calendar date of a stored value: a `yyyy-MM-dd` string is already one; a UTC
/// date-time is moved into the caller's time zone first.
fn as_local_date(v: &Value, tz: Option<&TimeZone>) -> Option<Date> {
    let s = v.as_str()?;
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    let ts: jiff::Timestamp = s.parse().ok()?;
    Some(ts.to_zoned_datetime(tz.cloned().unwrap_or(TimeZone::UTC)).date())
}

fn ordering_ok(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        _ => false,
    }
}

impl Condition {
    fn matches(&self, rec: &Record, tz: Option<&TimeZone>) -> bool {
        self.matches_with(&|f| rec.field(f), tz)
    }

    fn matches_with(&self, get: &dyn Fn(&str) -> Option<Value>, tz: Option<&TimeZone>) -> bool {
        let value = get(&self.field);
        if let Operand::Null = self.operand {
            let blank = is_blank(value.as_ref());
            return if self.op == Op::Eq { blank } else { !blank };
        }
        // Missing and null are the same: only the negative operators match them (as in MongoDB).
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return matches!(self.op, Op::Ne | Op::Nc);
        };
        // Arrays: any element matches; negative operators need every element to pass.
        if let Value::Array(items) = &value {
            return if matches!(self.op, Op::Ne | Op::Nc) {
                items.iter().all(|v| self.scalar(v, tz))
            } else {
                items.iter().any(|v| self.scalar(v, tz))
            };
        }
        self.scalar(&value, tz)
    }

    fn scalar(&self, v: &Value, tz: Option<&TimeZone>) -> bool {
        match &self.operand {
            Operand::Null => false,
            Operand::Date(d) => as_local_date(v, tz).is_some_and(|x| ordering_ok(self.op, x.cmp(d))),
            Operand::Number(n) => as_number(v).is_some_and(|x| x.partial_cmp(n).is_some_and(|o| ordering_ok(self.op, o))),
            Operand::List(items) => items.iter().any(|it| self.equal(v, it)),
            Operand::Text(t) => match self.op {
                Op::Cn | Op::Nc | Op::Sw | Op::Ew => {
                    let Some(s) = as_text(v) else { return self.op == Op::Nc };
                    let (s, t) = (s.to_lowercase(), t.to_lowercase());
                    match self.op {
                        Op::Cn => s.contains(&t),
                        Op::Nc => !s.contains(&t),
                        Op::Sw => s.starts_with(&t),
                        _ => s.ends_with(&t),
                    }
                }
                Op::Eq => self.equal(v, t),
                Op::Ne => !self.equal(v, t),
                _ => {
                    // Untyped ordering: numeric when both sides are numbers, text otherwise.
                    if let (Some(a), Ok(b)) = (as_number(v), t.parse::<f64>())
                        && self.ty != Some(Type::String) {
                            return a.partial_cmp(&b).is_some_and(|o| ordering_ok(self.op, o));
                        }
                    as_text(v).is_some_and(|s| ordering_ok(self.op, s.as_str().cmp(t.as_str())))
                }
            },
        }
    }

    /// Equality of a stored value with a filter literal: numbers numerically, booleans by
    /// `true`/`false`, strings exactly.
    fn equal(&self, v: &Value, lit: &str) -> bool {
        match v {
            Value::Number(_) if self.ty != Some(Type::String) => {
                lit.parse::<f64>().ok().zip(as_number(v)).is_some_and(|(a, b)| a == b)
            }
            Value::Bool(b) => lit.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
            Value::String(s) => {
                if self.ty == Some(Type::Number) {
                    lit.parse::<f64>().ok().zip(s.trim().parse::<f64>().ok()).is_some_and(|(a, b)| a == b)
                } else {
                    s == lit
                }
            }
            Value::Object(_) => as_number(v).zip(lit.parse::<f64>().ok()).is_some_and(|(a, b)| a == b),
            _ => as_text(v).is_some_and(|s| s == lit),
        }
    }
}
