//! Deterministic ids and clock: after a reset the same requests produce the same ids and (with a
//! frozen clock) the same timestamps, so tests and conformance cases can compare answers exactly.

use jiff::Timestamp;

/// Hands out 24-hex ObjectIds and 7-character short ids from one counter.
#[derive(Debug, Clone, Default)]
pub struct IdGen {
    next: u64,
}

const SHORT_ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

impl IdGen {
    /// The next ObjectId: `67bf` and the counter scrambled by an odd multiplier (a bijection, so ids never repeat), as 24 hex digits.
    pub fn object_id(&mut self) -> String {
        self.next += 1;
        format!("67bf{:020x}", self.next.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// A 7-character short id (`refId`/`slug`), derived from the same counter.
    pub fn short_id(&mut self) -> String {
        self.next += 1;
        // 42 bits of a mixed counter → 7 symbols of 6 bits.
        let mut x = self.next.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 22;
        let mut out = [0u8; 7];
        for b in out.iter_mut() {
            *b = SHORT_ALPHABET[(x & 63) as usize];
            x >>= 6;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Either the real clock or a frozen instant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub frozen: Option<Timestamp>,
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        self.frozen.unwrap_or_else(Timestamp::now)
    }
    pub fn now_string(&self) -> String {
        format_ts(self.now())
    }
}

/// `YYYY-MM-DDTHH:mm:ss.sssZ`, the API's date-time format (REFERENCE.md §12).
pub fn format_ts(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Seeded records get `createdAt` = this epoch plus one second per record.
pub fn seed_epoch() -> Timestamp {
    Timestamp::from_second(1_735_689_600).unwrap_or(Timestamp::UNIX_EPOCH) // 2025-01-01T00:00:00Z
}
