//! Token counts and cost, read from wherever a provider puts them (top-level `usage`,
//! `x_groq.usage`, `choices[0].usage`, Anthropic's `message_start`/`message_delta`, the AI/ML
//! API's `meta.usage`, OpenRouter's `usage.cost`) into one `Usage` that only ever gains.

use crate::prelude::*;

use crate::json::Json;

/// Where each count is in a `Usage`, in the order of the public shape (`to_json`).
pub const INPUT: usize = 0;
pub const OUTPUT: usize = 1;
pub const TOTAL: usize = 2;
pub const REASONING: usize = 3;
/// What the reply cost in US dollars: the AI/ML API's `meta.usage.usd_spent`, OpenRouter's
/// `usage.cost`.
pub const COST: usize = 4;
/// The AI/ML API's `meta.usage.credits_used`.
pub const CREDITS: usize = 5;
/// The public names, by index.
const NAMES: &str = "inputTokens outputTokens totalTokens reasoningTokens cost credits";

/// The counts by index (`INPUT` …), token counts as whole numbers: one array rather than
/// six fields, so merging, adding, comparing and writing them are one loop each.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage(pub [Option<f64>; 6]);

impl Usage {
    /// A usage with these counts (index, value).
    pub fn of(counts: &[(usize, f64)]) -> Usage {
        let mut u = Usage::default();
        for &(i, n) in counts {
            u.0[i] = Some(n);
        }
        u
    }

    /// A token count.
    pub fn tokens(&self, i: usize) -> Option<u64> {
        self.0[i].map(|n| n as u64)
    }

    /// A newer report of the same reply: each count it has replaces ours, a count it lacks
    /// (or a `null` report) leaves ours alone. Running totals (vLLM continuous usage,
    /// Perplexity) therefore end at the last value — never summed.
    pub fn merge(&mut self, newer: Usage) {
        for (mine, theirs) in self.0.iter_mut().zip(newer.0) {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
    }

    /// Two separate requests (tool rounds): counts add up.
    pub fn add(&mut self, other: Usage) {
        let total = sum(self.total(), other.total());
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine = sum(*mine, theirs);
        }
        self.0[TOTAL] = total;
    }

    fn total(&self) -> Option<f64> {
        self.0[TOTAL].or(match (self.0[INPUT], self.0[OUTPUT]) {
            (Some(i), Some(o)) => Some(i + o),
            _ => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }

    /// The public shape: `{inputTokens, outputTokens, totalTokens, reasoningTokens?, cost?,
    /// credits?}` — `cost` in US dollars.
    pub fn to_json(self) -> Json {
        let mut out = Json::obj();
        for (i, name) in split_byte(NAMES, b' ').enumerate() {
            let n = if i == TOTAL { self.total() } else { self.0[i] };
            if i <= TOTAL || n.is_some() {
                out.push(name, n.map_or(Json::Null, Json::Num));
            }
        }
        out
    }

    /// A usage object in either naming (OpenAI `prompt_tokens`/`completion_tokens`, or
    /// `input_tokens`/`output_tokens`), with OpenRouter's `cost`. Zero counts say nothing (the
    /// legacy AI/ML API envelope and LiteLLM send all-zero placeholders) and are left out.
    pub fn from_json(v: &Json) -> Usage {
        let n = |v: Option<&Json>, k: &str| {
            v.and_then(|v| v.get(k))
                .and_then(Json::as_u64)
                .filter(|&n| n > 0)
                .map(|n| n as f64)
        };
        let v = Some(v);
        let reasoning = |outer: &str| n(v.and_then(|v| v.get(outer)), "reasoning_tokens");
        Usage([
            n(v, "prompt_tokens").or_else(|| n(v, "input_tokens")),
            n(v, "completion_tokens").or_else(|| n(v, "output_tokens")),
            n(v, "total_tokens"),
            reasoning("completion_tokens_details").or_else(|| reasoning("output_tokens_details")),
            v.and_then(|v| v.get("cost"))
                .and_then(Json::as_f64)
                .filter(|c| *c > 0.0),
            None,
        ])
    }

    /// The AI/ML API's `meta: {usage: {credits_used, usd_spent}}`.
    pub fn from_meta(meta: &Json) -> Usage {
        let Some(u) = meta.get("usage") else {
            return Usage::default();
        };
        let mut out = Usage::default();
        out.0[COST] = u.get("usd_spent").and_then(Json::as_f64);
        out.0[CREDITS] = u.get("credits_used").and_then(Json::as_f64);
        out
    }
}

/// The one usage of a reply as reports arrive: merged, and announced only when it changed.
#[derive(Debug, Default)]
pub struct UsageTracker {
    current: Usage,
}

fn sum(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

impl UsageTracker {
    /// Merges a report; `Some(total so far)` when that changed anything.
    pub fn report(&mut self, newer: Usage) -> Option<Usage> {
        let before = self.current;
        self.current.merge(newer);
        (self.current != before).then_some(self.current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_report_wins_field_by_field_and_null_erases_nothing() {
        let mut t = UsageTracker::default();
        let u = |s: &str| Usage::from_json(&Json::parse(s).unwrap());
        assert_eq!(
            t.report(u(r#"{"prompt_tokens":16,"completion_tokens":1}"#))
                .map(|u| u.tokens(OUTPUT)),
            Some(Some(1))
        );
        let last = t
            .report(u(
                r#"{"prompt_tokens":16,"completion_tokens":116,"total_tokens":132}"#,
            ))
            .unwrap();
        assert_eq!(last.tokens(OUTPUT), Some(116));
        assert_eq!(t.report(Usage::default()), None, "nothing new");
        let meta = Json::parse(r#"{"usage":{"credits_used":2480,"usd_spent":0.00124}}"#).unwrap();
        let with_cost = t.report(Usage::from_meta(&meta)).unwrap();
        assert_eq!(
            (
                with_cost.tokens(OUTPUT),
                with_cost.0[COST],
                with_cost.0[CREDITS]
            ),
            (Some(116), Some(0.00124), Some(2480.0))
        );
        assert_eq!(
            with_cost.to_json().to_string(),
            r#"{"inputTokens":16,"outputTokens":116,"totalTokens":132,"cost":0.00124,"credits":2480}"#
        );
    }

    #[test]
    fn both_namings_reasoning_details_and_openrouter_cost() {
        let v = Json::parse(r#"{"input_tokens":3,"output_tokens":9,"output_tokens_details":{"reasoning_tokens":4},"cost":0.0002}"#).unwrap();
        let u = Usage::from_json(&v);
        assert_eq!(
            (
                u.tokens(INPUT),
                u.tokens(OUTPUT),
                u.tokens(REASONING),
                u.0[COST]
            ),
            (Some(3), Some(9), Some(4), Some(0.0002))
        );
        assert!(Usage::from_json(
            &Json::parse(r#"{"prompt_tokens":0,"completion_tokens":0}"#).unwrap()
        )
        .is_empty());
    }
}
