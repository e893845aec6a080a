//! The request journal: what every API request looked like on the wire, with the token masked.

use std::collections::VecDeque;

use axum::http::HeaderMap;
use bytes::Bytes;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub status: Option<u16>,
    pub fault: Option<&'static str>,
    /// Whether the request was carried out (its handler answered 2xx), whatever the client
    /// then received: what tests compare a client's write report with.
    pub applied: bool,
    pub timestamp: String,
}

/// Replaces every credential in a header value. Only the scheme survives (`Bearer ***`).
pub fn mask_header(name: &str, value: &str) -> String {
    if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("proxy-authorization") {
        match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} ***"),
            None => "***".to_string(),
        }
    } else {
        value.to_string()
    }
}

pub fn capture_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let name = k.as_str().to_ascii_lowercase();
            let value = mask_header(&name, &String::from_utf8_lossy(v.as_bytes()));
            (name, value)
        })
        .collect()
}

impl Entry {
    pub fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (k, v) in &self.headers {
            match headers.get_mut(k) {
                Some(Value::String(prev)) => {
                    prev.push_str(", ");
                    prev.push_str(v);
                }
                _ => {
                    headers.insert(k.clone(), Value::String(v.clone()));
                }
            }
        }
        let params: Vec<Value> = self
            .query
            .as_deref()
            .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| json!([k, v])).collect())
            .unwrap_or_default();
        let body = if self.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&self.body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
        };
        json!({
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "params": params,
            "headers": headers,
            "body": body,
            "status": self.status,
            "fault": self.fault,
            "applied": self.applied,
            "timestamp": self.timestamp,
        })
    }
}

#[derive(Debug, Default)]
pub struct Journal {
    pub entries: VecDeque<Entry>,
    pub next_seq: u64,
}

impl Journal {
    pub fn push(&mut self, mut e: Entry, limit: usize) -> u64 {
        self.next_seq += 1;
        e.seq = self.next_seq;
        if limit == 0 {
            return e.seq;
        }
        while self.entries.len() >= limit {
            self.entries.pop_front();
        }
        self.entries.push_back(e);
        self.next_seq
    }

    pub fn set_status(&mut self, seq: u64, status: u16, fault: Option<&'static str>) {
        // Entries are in seq order; the one we want is near the end.
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = Some(status);
            if fault.is_some() {
                e.fault = fault;
            }
        }
    }

    /// Replaces the body of an entry: what a streamed upload's handler records instead of the
    /// bytes (a summary of the parts).
    pub fn set_body(&mut self, seq: u64, body: Bytes) {
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.body = body;
        }
    }

    pub fn set_applied(&mut self, seq: u64) {
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.applied = true;
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
