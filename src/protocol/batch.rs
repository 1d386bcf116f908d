//! How a batch of events crosses into JS: all their text in one string (one `TextDecoder`
//! call on the JS side) and a table of u32 triples `(kind, a, b)` in wasm memory, read in
//! order by `src/js/index.js`. A delta is one triple, its text `text[a..b]` in UTF-16 units;
//! any other event is its JSON value as a tree of triples (an object's `a` is its member
//! count, each member a `KEY` then the value; strings and numbers are text slices). Nothing
//! is written as JSON text for JS to parse again.

use crate::prelude::*;

use super::ChatEvent;
use crate::json::Json;

pub mod kind {
    pub const TEXT: u32 = 1;
    pub const REASONING: u32 = 2;
    pub const REFUSAL: u32 = 3;
    pub const OBJ: u32 = 4;
    pub const ARR: u32 = 5;
    pub const STR: u32 = 6;
    pub const NUM: u32 = 7;
    pub const NULL: u32 = 8;
    pub const TRUE: u32 = 9;
    pub const FALSE: u32 = 10;
    pub const KEY: u32 = 11;
}

#[derive(Debug, Default)]
pub struct Batch {
    pub text: String,
    pub table: Vec<u32>,
    /// UTF-16 length of `text`.
    units: u32,
    /// Events in the table.
    pub events: u32,
    /// The last triple is a delta (a following one of its kind extends it).
    last_delta: bool,
}

impl Batch {
    pub fn clear(&mut self) {
        self.text.clear();
        self.table.clear();
        self.units = 0;
        self.events = 0;
        self.last_delta = false;
    }

    /// The page-visible events of one chunk, as `merge_deltas` gives them: consecutive deltas
    /// of a kind as one, only the last usage. Returns the number of events.
    pub fn fill(&mut self, events: &[ChatEvent]) -> u32 {
        self.clear();
        let last_usage = events
            .iter()
            .rposition(|e| matches!(e, ChatEvent::Usage(_)));
        for (i, ev) in events.iter().enumerate() {
            match ev {
                ChatEvent::Text(d) => self.delta(kind::TEXT, d),
                ChatEvent::Reasoning(d) => self.delta(kind::REASONING, d),
                ChatEvent::Refusal(d) => self.delta(kind::REFUSAL, d),
                ChatEvent::Usage(_) if Some(i) != last_usage => {}
                other if other.is_public() => self.push_json(&other.to_json()),
                _ => {}
            }
        }
        self.events
    }

    /// One event given as its JSON value.
    pub fn push_json(&mut self, v: &Json) {
        self.tree(v);
        self.events += 1;
    }

    fn delta(&mut self, kind: u32, piece: &str) {
        if piece.is_empty() {
            return;
        }
        let n = self.table.len();
        let (start, end) = self.slice(piece);
        // Right after a delta of the same kind (its triple is the last one): one event.
        if n >= 3 && self.table[n - 3] == kind && self.table[n - 1] == start && self.last_delta {
            self.table[n - 1] = end;
            return;
        }
        self.table.extend_from_slice(&[kind, start, end]);
        self.events += 1;
        self.last_delta = true;
    }

    fn slice(&mut self, piece: &str) -> (u32, u32) {
        let start = self.units;
        self.units += utf16_len(piece);
        self.text.push_str(piece);
        (start, self.units)
    }

    fn tree(&mut self, v: &Json) {
        self.last_delta = false;
        match v {
            Json::Null => self.table.extend_from_slice(&[kind::NULL, 0, 0]),
            Json::Bool(b) => {
                let k = if *b { kind::TRUE } else { kind::FALSE };
                self.table.extend_from_slice(&[k, 0, 0]);
            }
            Json::Num(_) => {
                let (a, b) = self.slice(&v.text());
                self.table.extend_from_slice(&[kind::NUM, a, b]);
            }
            Json::Str(s) => {
                let (a, b) = self.slice(s);
                self.table.extend_from_slice(&[kind::STR, a, b]);
            }
            Json::Raw(text) => self.tree(&Json::parse(text).unwrap_or(Json::Null)),
            Json::Arr(items) => {
                self.table
                    .extend_from_slice(&[kind::ARR, items.len() as u32, 0]);
                for item in items {
                    self.tree(item);
                }
            }
            Json::Obj(members) => {
                self.table
                    .extend_from_slice(&[kind::OBJ, members.len() as u32, 0]);
                for (k, item) in members {
                    let (a, b) = self.slice(k);
                    self.table.extend_from_slice(&[kind::KEY, a, b]);
                    self.tree(item);
                }
            }
        }
    }
}

/// What `src/js/index.js` does with a batch, in Rust: its `n` events as JSON values (the
/// tests read batches with it; a malformed table panics).
#[doc(hidden)]
pub fn read_events(text: &str, table: &[u32], n: u32) -> Vec<Json> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let slice = |a: u32, z: u32| String::from_utf16_lossy(&units[a as usize..z as usize]);
    fn value(t: &[u32], at: &mut usize, slice: &dyn Fn(u32, u32) -> String) -> Json {
        let (k, a, z) = (t[*at], t[*at + 1], t[*at + 2]);
        *at += 3;
        match k {
            kind::STR => Json::Str(slice(a, z)),
            kind::NUM => Json::parse(&slice(a, z)).unwrap_or(Json::Null),
            kind::NULL => Json::Null,
            kind::TRUE => Json::Bool(true),
            kind::FALSE => Json::Bool(false),
            kind::ARR => Json::Arr((0..a).map(|_| value(t, at, slice)).collect()),
            kind::OBJ => Json::Obj(
                (0..a)
                    .map(|_| {
                        assert_eq!(t[*at], kind::KEY, "a member starts with its key");
                        let key = slice(t[*at + 1], t[*at + 2]);
                        *at += 3;
                        (key, value(t, at, slice))
                    })
                    .collect(),
            ),
            _ => panic!("kind {k} where a value was expected"),
        }
    }
    let mut at = 0;
    (0..n)
        .map(|_| match table[at] {
            k @ (kind::TEXT | kind::REASONING | kind::REFUSAL) => {
                let delta = slice(table[at + 1], table[at + 2]);
                at += 3;
                let name = ["", "text", "reasoning", "refusal"][k as usize];
                Json::object(vec![("type", Json::str(name)), ("delta", Json::Str(delta))])
            }
            _ => value(table, &mut at, &slice),
        })
        .collect()
}

/// How many UTF-16 units `s` is: one per character, two for those beyond the BMP.
fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        return s.len() as u32;
    }
    s.bytes()
        .map(|b| u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{merge_deltas, usage, FinishReason, Usage};

    #[test]
    fn a_batch_reads_back_as_the_events_json() {
        let events = [
            ChatEvent::Start {
                id: "chatcmpl-é".into(),
                model: "m".into(),
            },
            ChatEvent::Reasoning("think".into()),
            ChatEvent::Reasoning("ing 😀".into()),
            ChatEvent::Text("Hé".into()),
            ChatEvent::Text("llo 😀 \"x\"".into()),
            ChatEvent::Signature("private".into()),
            ChatEvent::Text("!".into()),
            ChatEvent::Usage(Usage::of(&[(usage::INPUT, 1.0)])),
            ChatEvent::ToolCall {
                index: 0,
                id: Some("call_1".into()),
                name: None,
                arguments_delta: "{\"a\":[1,2.5,true,null]}".into(),
                server: false,
            },
            ChatEvent::Usage(Usage::of(&[(usage::INPUT, 2.0), (usage::COST, 0.00124)])),
            ChatEvent::Finish {
                reason: FinishReason::Stop,
                raw: "stop".into(),
            },
        ];
        let mut b = Batch::default();
        let n = b.fill(&events);
        let want: Vec<Json> = merge_deltas(&events)
            .iter()
            .map(ChatEvent::to_json)
            .collect();
        assert_eq!(n as usize, want.len());
        assert_eq!(read_events(&b.text, &b.table, b.events), want);
        // Reused: a second batch starts from nothing.
        assert_eq!(b.fill(&[ChatEvent::Text("x".into())]), 1);
        assert_eq!(
            read_events(&b.text, &b.table, b.events),
            [ChatEvent::Text("x".into()).to_json()]
        );
        assert_eq!(b.fill(&[ChatEvent::Signature("s".into())]), 0);
    }

    #[test]
    fn utf16_lengths() {
        for s in ["", "abc", "é", "€", "😀", "a😀é€b"] {
            assert_eq!(utf16_len(s) as usize, s.encode_utf16().count(), "{s}");
        }
    }
}
