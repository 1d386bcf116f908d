//! Token counts and cost, read from wherever a provider puts them (top-level `usage`,
//! `x_groq.usage`, `choices[0].usage`, Anthropic's `message_start`/`message_delta`, the AI/ML
//! API's `meta.usage`, OpenRouter's `usage.cost`) into one `Usage` that only ever gains.

use crate::prelude::*;

use crate::json::Json;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
    pub reasoning_tokens: Option<u64>,
    /// What the reply cost in US dollars: the AI/ML API's `meta.usage.usd_spent`,
    /// OpenRouter's `usage.cost`.
    pub cost_usd: Option<f64>,
    /// The AI/ML API's `meta.usage.credits_used`.
    pub credits: Option<f64>,
}

impl Usage {
    /// A newer report of the same reply: each field it has replaces ours, a field it lacks
    /// (or a `null` report) leaves ours alone. Running totals (vLLM continuous usage,
    /// Perplexity) therefore end at the last value — never summed.
    pub fn merge(&mut self, newer: Usage) {
        self.input_tokens = newer.input_tokens.or(self.input_tokens);
        self.output_tokens = newer.output_tokens.or(self.output_tokens);
        self.total_tokens = newer.total_tokens.or(self.total_tokens);
        self.reasoning_tokens = newer.reasoning_tokens.or(self.reasoning_tokens);
        self.cost_usd = newer.cost_usd.or(self.cost_usd);
        self.credits = newer.credits.or(self.credits);
    }

    /// Two separate requests (tool rounds): counts add up.
    pub fn add(&mut self, other: Usage) {
        fn sum<T: core::ops::Add<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            }
        }
        let (mine, theirs) = (self.total(), other.total());
        *self = Usage {
            input_tokens: sum(self.input_tokens, other.input_tokens),
            output_tokens: sum(self.output_tokens, other.output_tokens),
            total_tokens: sum(mine, theirs),
            reasoning_tokens: sum(self.reasoning_tokens, other.reasoning_tokens),
            cost_usd: sum(self.cost_usd, other.cost_usd),
            credits: sum(self.credits, other.credits),
        };
    }

    fn total(&self) -> Option<u64> {
        self.total_tokens
            .or(match (self.input_tokens, self.output_tokens) {
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
        let num = |n: Option<u64>| n.map_or(Json::Null, |n| Json::Num(n as f64));
        let mut out = Json::object(vec![
            ("inputTokens", num(self.input_tokens)),
            ("outputTokens", num(self.output_tokens)),
            ("totalTokens", num(self.total())),
        ]);
        if self.reasoning_tokens.is_some() {
            out.push("reasoningTokens", num(self.reasoning_tokens));
        }
        if let Some(c) = self.cost_usd {
            out.push("cost", Json::Num(c));
        }
        if let Some(c) = self.credits {
            out.push("credits", Json::Num(c));
        }
        out
    }

    /// A usage object in either naming (OpenAI `prompt_tokens`/`completion_tokens`, or
    /// `input_tokens`/`output_tokens`), with OpenRouter's `cost`. Zero counts say nothing (the
    /// legacy AI/ML API envelope and LiteLLM send all-zero placeholders) and are left out.
    pub fn from_json(v: &Json) -> Usage {
        let n = |k: &str| v.get(k).and_then(Json::as_u64).filter(|&n| n > 0);
        let detail = |outer: &str, k: &str| {
            v.get(outer)
                .and_then(|d| d.get(k))
                .and_then(Json::as_u64)
                .filter(|&n| n > 0)
        };
        Usage {
            input_tokens: n("prompt_tokens").or_else(|| n("input_tokens")),
            output_tokens: n("completion_tokens").or_else(|| n("output_tokens")),
            total_tokens: n("total_tokens"),
            reasoning_tokens: detail("completion_tokens_details", "reasoning_tokens")
                .or_else(|| detail("output_tokens_details", "reasoning_tokens")),
            cost_usd: v.get("cost").and_then(Json::as_f64).filter(|c| *c > 0.0),
            credits: None,
        }
    }

    /// The AI/ML API's `meta: {usage: {credits_used, usd_spent}}`.
    pub fn from_meta(meta: &Json) -> Usage {
        let Some(u) = meta.get("usage") else {
            return Usage::default();
        };
        Usage {
            cost_usd: u.get("usd_spent").and_then(Json::as_f64),
            credits: u.get("credits_used").and_then(Json::as_f64),
            ..Usage::default()
        }
    }
}

/// The one usage of a reply as reports arrive: merged, and announced only when it changed.
#[derive(Debug, Default)]
pub struct UsageTracker {
    current: Usage,
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
                .map(|u| u.output_tokens),
            Some(Some(1))
        );
        let last = t
            .report(u(
                r#"{"prompt_tokens":16,"completion_tokens":116,"total_tokens":132}"#,
            ))
            .unwrap();
        assert_eq!(last.output_tokens, Some(116));
        assert_eq!(t.report(Usage::default()), None, "nothing new");
        let meta = Json::parse(r#"{"usage":{"credits_used":2480,"usd_spent":0.00124}}"#).unwrap();
        let with_cost = t.report(Usage::from_meta(&meta)).unwrap();
        assert_eq!(
            (
                with_cost.output_tokens,
                with_cost.cost_usd,
                with_cost.credits
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
                u.input_tokens,
                u.output_tokens,
                u.reasoning_tokens,
                u.cost_usd
            ),
            (Some(3), Some(9), Some(4), Some(0.0002))
        );
        assert!(Usage::from_json(
            &Json::parse(r#"{"prompt_tokens":0,"completion_tokens":0}"#).unwrap()
        )
        .is_empty());
    }
}
