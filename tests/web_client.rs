//! The client core in headless Chromium against the devserver: every recorded fixture
//! served as-is, one byte at a time and with CR-only line endings; every fault mapped to
//! the right `ChatError`; abort, timeouts, the retry path and a JS tool round trip.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, JSON};
use rill_chat::json::Json;
use rill_chat::ChatCore;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The crate hands JS promises out as plain values.
fn settle(p: impl Into<JsValue>) -> JsFuture {
    JsFuture::from(Promise::from(p.into()))
}
use wasm_bindgen_test::*;

mod common;
use common::{batch_events, devserver, get, text_of};

wasm_bindgen_test_configure!(run_in_browser);

/// A core for `path` on the devserver with extra options merged in (as JSON text).
fn core(path: &str, extra: &str) -> ChatCore {
    let text = format!(
        r#"{{"endpoint":"{}{path}","model":"anthropic/claude-sonnet-4","maxTokens":300{extra}}}"#,
        devserver()
    );
    ChatCore::new(JSON::parse(&text).expect("options JSON")).expect("valid options")
}

fn faults(list: &str) -> String {
    format!(r#","headers":{{"x-rill-fault":"{list}","x-rill-pace":"instant"}}"#)
}

async fn run(core: &ChatCore, request: JsValue) -> (Result<JsValue, JsValue>, Vec<JsValue>) {
    let events = Array::new();
    let sink = events.clone();
    let on = Closure::<dyn FnMut(u32, u32)>::new(move |n: u32, out: u32| {
        for ev in batch_events(n, out) {
            sink.push(&ev);
        }
    });
    let result = settle(core.run(request, on.as_ref().clone())).await;
    drop(on);
    (result, events.iter().collect())
}

fn hello() -> JsValue {
    JSON::parse(r#"{"messages":[{"role":"user","content":"hello"}]}"#).unwrap()
}

const FIXTURES: [(&str, &str); 15] = [
    (
        "aimlapi-claude37-text-legacy-envelope",
        include_str!("../../shared/fixtures/streams/aimlapi-claude37-text-legacy-envelope.json"),
    ),
    (
        "aimlapi-claude37-text",
        include_str!("../../shared/fixtures/streams/aimlapi-claude37-text.json"),
    ),
    (
        "aimlapi-reasoning-content",
        include_str!("../../shared/fixtures/streams/aimlapi-reasoning-content.json"),
    ),
    (
        "anthropic-max-tokens-partial-tool",
        include_str!("../../shared/fixtures/streams/anthropic-max-tokens-partial-tool.json"),
    ),
    (
        "anthropic-text",
        include_str!("../../shared/fixtures/streams/anthropic-text.json"),
    ),
    (
        "anthropic-thinking",
        include_str!("../../shared/fixtures/streams/anthropic-thinking.json"),
    ),
    (
        "anthropic-tool-use",
        include_str!("../../shared/fixtures/streams/anthropic-tool-use.json"),
    ),
    (
        "deepseek-reasoning-toolcall",
        include_str!("../../shared/fixtures/streams/deepseek-reasoning-toolcall.json"),
    ),
    (
        "litellm-anthropic-midstream-error",
        include_str!("../../shared/fixtures/streams/litellm-anthropic-midstream-error.json"),
    ),
    (
        "litellm-anthropic-text",
        include_str!("../../shared/fixtures/streams/litellm-anthropic-text.json"),
    ),
    (
        "litellm-openai-midstream-error",
        include_str!("../../shared/fixtures/streams/litellm-openai-midstream-error.json"),
    ),
    (
        "litellm-openai-text-usage",
        include_str!("../../shared/fixtures/streams/litellm-openai-text-usage.json"),
    ),
    (
        "litellm-openai-text",
        include_str!("../../shared/fixtures/streams/litellm-openai-text.json"),
    ),
    (
        "openai-compat-claude-toolcall-index1",
        include_str!("../../shared/fixtures/streams/openai-compat-claude-toolcall-index1.json"),
    ),
    (
        "openai-text-usage",
        include_str!("../../shared/fixtures/streams/openai-text-usage.json"),
    ),
];

/// Checks a reply (or the partial of an error) against a fixture's `expected`.
fn check_fixture(name: &str, mode: &str, result: Result<JsValue, JsValue>, expected: &Json) {
    let ctx = format!("{name} ({mode})");
    let reply = match (&result, expected.get("error").filter(|e| !e.is_null())) {
        (Ok(reply), None) => reply.clone(),
        (Err(err), Some(want)) => {
            assert_eq!(text_of(err, "kind"), "stream", "{ctx}");
            assert_eq!(
                text_of(err, "message"),
                want.get("message").unwrap().as_str().unwrap(),
                "{ctx}"
            );
            get(err, "partial")
        }
        (Ok(_), Some(_)) => panic!("{ctx}: expected an error"),
        (Err(err), None) => panic!("{ctx}: {}", text_of(err, "message")),
    };
    assert_eq!(
        text_of(&reply, "text"),
        expected.get("final_text").unwrap().as_str().unwrap(),
        "{ctx}: text"
    );
    assert_eq!(
        text_of(&reply, "reasoning"),
        expected
            .get("reasoning_text")
            .and_then(Json::as_str)
            .unwrap_or(""),
        "{ctx}: reasoning"
    );
    let calls: Array = get(&reply, "toolCalls").unchecked_into();
    let want_calls = expected.get("tool_calls").unwrap().as_array().unwrap();
    assert_eq!(
        calls.length() as usize,
        want_calls.len(),
        "{ctx}: tool calls"
    );
    for (got, want) in calls.iter().zip(want_calls) {
        assert_eq!(
            text_of(&got, "id"),
            want.get("id").unwrap().as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            text_of(&got, "name"),
            want.get("name").unwrap().as_str().unwrap(),
            "{ctx}"
        );
        let args = want
            .get("arguments")
            .or(want.get("input_json"))
            .unwrap()
            .as_str()
            .unwrap();
        assert_eq!(text_of(&got, "arguments"), args, "{ctx}: arguments");
    }
    let raw = get(&reply, "rawFinishReason").as_string();
    assert_eq!(
        raw.as_deref(),
        expected.get("finish_reason").and_then(Json::as_str),
        "{ctx}: finish"
    );
    if let (Some(want), true) = (
        expected.get("usage").filter(|u| !u.is_null()),
        result.is_ok(),
    ) {
        let usage = get(&reply, "usage");
        let n = |a: &str, b: &str| {
            want.get(a)
                .or(want.get(b))
                .and_then(Json::as_u64)
                .map(|n| n as f64)
        };
        assert_eq!(
            get(&usage, "inputTokens").as_f64(),
            n("prompt_tokens", "input_tokens"),
            "{ctx}: input tokens"
        );
        assert_eq!(
            get(&usage, "outputTokens").as_f64(),
            n("completion_tokens", "output_tokens"),
            "{ctx}: output tokens"
        );
    }
}

async fn fixtures_in_mode(mode: &str) {
    for (name, meta) in FIXTURES {
        let expected = Json::parse(meta).unwrap();
        let expected = expected.get("expected").unwrap();
        let path = if name.contains("anthropic") {
            "/v1/messages"
        } else {
            "/v1/chat/completions"
        };
        let spec = if mode.is_empty() {
            format!("fixture-{name}")
        } else {
            format!("fixture-{name},{mode}")
        };
        let (result, _) = run(&core(path, &faults(&spec)), hello()).await;
        check_fixture(
            name,
            if mode.is_empty() { "as-is" } else { mode },
            result,
            expected,
        );
    }
}

#[wasm_bindgen_test]
async fn every_fixture_as_recorded() {
    fixtures_in_mode("").await;
}

#[wasm_bindgen_test]
async fn every_fixture_one_byte_at_a_time() {
    fixtures_in_mode("one-byte").await;
}

#[wasm_bindgen_test]
async fn every_fixture_with_cr_only_line_endings() {
    fixtures_in_mode("cr").await;
}

#[wasm_bindgen_test]
async fn every_fixture_with_crlf_line_endings() {
    fixtures_in_mode("crlf").await;
}

#[wasm_bindgen_test]
async fn every_http_fault_is_an_http_error_with_the_providers_words() {
    for status in [400u16, 401, 403, 404, 429, 500, 502, 503, 504, 529] {
        for path in ["/v1/chat/completions", "/v1/messages"] {
            let (result, events) = run(
                &core(
                    path,
                    &format!(r#"{},"retries":0"#, faults(&format!("http-{status}"))),
                ),
                hello(),
            )
            .await;
            let err = result.expect_err("an HTTP fault fails");
            assert_eq!(text_of(&err, "kind"), "http", "{status} {path}");
            assert_eq!(get(&err, "status").as_f64(), Some(f64::from(status)));
            assert!(
                !text_of(&err, "message").starts_with("HTTP "),
                "the provider's message: {}",
                text_of(&err, "message")
            );
            assert!(get(&err, "requestId")
                .as_string()
                .is_some_and(|id| id.starts_with("req_demo_")));
            assert!(get(&err, "partial").is_null() && events.is_empty());
        }
    }
}

#[wasm_bindgen_test]
async fn broken_streams_keep_what_arrived() {
    for path in ["/v1/chat/completions", "/v1/messages"] {
        for (fault, kind) in [
            ("cut", "incomplete"),
            ("stream-error", "stream"),
            ("malformed", "parse"),
        ] {
            let (result, events) = run(&core(path, &faults(fault)), hello()).await;
            let err = result.expect_err(fault);
            assert_eq!(text_of(&err, "kind"), kind, "{fault} on {path}");
            let partial = text_of(&get(&err, "partial"), "text");
            assert!(
                partial.starts_with("## About"),
                "{fault} on {path}: partial {partial:?}"
            );
            let streamed: String = events
                .iter()
                .filter(|e| text_of(e, "type") == "text")
                .map(|e| text_of(e, "delta"))
                .collect();
            assert_eq!(streamed, partial, "the page saw exactly the partial text");
            assert!(err.is_instance_of::<js_sys::Error>());
        }
    }
    let (result, _) = run(
        &core("/v1/chat/completions", &faults("stream-error")),
        hello(),
    )
    .await;
    assert_eq!(text_of(&result.unwrap_err(), "code"), "529");
}

#[wasm_bindgen_test]
async fn line_ending_and_chunking_faults_change_nothing() {
    let (plain, _) = run(&core("/v1/chat/completions", &faults("")), hello()).await;
    let plain = text_of(&plain.expect("plain"), "text");
    for fault in ["crlf", "cr", "one-byte", "crlf,one-byte"] {
        let (reply, _) = run(&core("/v1/chat/completions", &faults(fault)), hello()).await;
        assert_eq!(text_of(&reply.expect(fault), "text"), plain, "{fault}");
    }
}

#[wasm_bindgen_test]
async fn a_giant_line_is_a_typed_error_not_an_out_of_memory() {
    let (result, _) = run(
        &core("/v1/chat/completions", &faults("giant-line-9")),
        hello(),
    )
    .await;
    let err = result.expect_err("over the 8 MiB line cap");
    assert_eq!(text_of(&err, "kind"), "stream");
    assert!(
        text_of(&err, "message").contains("exceeded the limit"),
        "{}",
        text_of(&err, "message")
    );
}

#[wasm_bindgen_test]
async fn a_stall_hits_the_idle_timeout_and_keeps_the_partial() {
    let (result, _) = run(
        &core(
            "/v1/chat/completions",
            &format!(r#"{},"idleTimeoutMs":300"#, faults("stall-5")),
        ),
        hello(),
    )
    .await;
    let err = result.expect_err("stalled");
    assert_eq!(text_of(&err, "kind"), "timeout");
    assert!(!text_of(&get(&err, "partial"), "text").is_empty());
}

#[wasm_bindgen_test]
async fn a_slow_response_head_hits_the_timeout() {
    let extra = r#","timeoutMs":200,"retries":0,"headers":{"x-rill-pace":"ttft=3000,tps=1000"}"#;
    let request =
        JSON::parse(r#"{"messages":[{"role":"user","content":"hi"}],"stream":false}"#).unwrap();
    let (result, _) = run(&core("/v1/chat/completions", extra), request).await;
    let err = result.expect_err("no head within 200 ms");
    assert_eq!(
        (text_of(&err, "kind"), text_of(&err, "message")),
        ("timeout".to_owned(), "no response within 0.2 s".to_owned())
    );
}

#[wasm_bindgen_test]
async fn abort_mid_stream_is_aborted_with_the_partial() {
    let controller = web_sys::AbortController::new().unwrap();
    let request = JSON::parse(r#"{"messages":[{"role":"user","content":"hello"}]}"#).unwrap();
    Reflect::set(&request, &"signal".into(), &controller.signal()).unwrap();
    let core = core(
        "/v1/chat/completions",
        r#","headers":{"x-rill-pace":"ttft=0,tps=200"}"#,
    );
    let seen = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let counter = seen.clone();
    let stop = controller.clone();
    let on = Closure::<dyn FnMut(u32, u32)>::new(move |n: u32, _out: u32| {
        counter.set(counter.get() + n);
        if counter.get() >= 10 {
            stop.abort();
        }
    });
    let result = settle(core.run(request, on.as_ref().clone())).await;
    let err = result.expect_err("aborted");
    assert_eq!(text_of(&err, "kind"), "aborted");
    let partial = text_of(&get(&err, "partial"), "text");
    assert!(
        !partial.is_empty() && !partial.contains("CommonMark spec"),
        "stopped early: {partial:?}"
    );
}

#[wasm_bindgen_test]
async fn a_429_then_success_goes_through_the_retry_path() {
    let token = format!("t{}", js_sys::Math::random().to_bits());
    let (result, events) = run(
        &core(
            "/v1/chat/completions",
            &faults(&format!("http-429,once-{token}")),
        ),
        hello(),
    )
    .await;
    let reply = result.expect("the retry succeeds");
    assert!(text_of(&reply, "text").contains("rill-chat demo model"));
    assert!(
        get(&get(&reply, "metrics"), "durationMs").as_f64().unwrap() >= 1000.0,
        "waited for Retry-After"
    );
    assert!(!events.is_empty());
    let token = format!("u{}", js_sys::Math::random().to_bits());
    let (result, _) = run(
        &core(
            "/v1/chat/completions",
            &format!(
                r#"{},"retries":0"#,
                faults(&format!("http-429,once-{token}"))
            ),
        ),
        hello(),
    )
    .await;
    assert_eq!(
        get(&result.expect_err("no retries"), "retryAfterMs").as_f64(),
        Some(2000.0)
    );
}

fn tool_options(handler_body: &str) -> JsValue {
    let options = JSON::parse(&format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"anthropic/claude-sonnet-4","headers":{{"x-rill-pace":"instant"}},"tools":[{{"name":"get_time","description":"Current time","parameters":{{"type":"object","properties":{{"timezone":{{"type":"string"}}}}}}}}]}}"#,
        devserver()
    ))
    .unwrap();
    let tool = Reflect::get(&Reflect::get(&options, &"tools".into()).unwrap(), &0.into()).unwrap();
    Reflect::set(
        &tool,
        &"handler".into(),
        &Function::new_with_args("args, call", handler_body),
    )
    .unwrap();
    options
}

#[wasm_bindgen_test]
async fn a_js_tool_handler_round_trip() {
    let core = ChatCore::new(tool_options(
        "return Promise.resolve(`12:00 in ${args.timezone} (${call.name})`)",
    ))
    .expect("options with a handler");
    let request =
        JSON::parse(r#"{"messages":[{"role":"user","content":"what time is it?"}]}"#).unwrap();
    let (result, events) = run(&core, request).await;
    let reply = result.expect("two rounds");
    assert!(
        text_of(&reply, "text").contains("12:00 in UTC (get_time)"),
        "{}",
        text_of(&reply, "text")
    );
    assert_eq!(text_of(&reply, "finishReason"), "stop");
    let types: Vec<String> = events.iter().map(|e| text_of(e, "type")).collect();
    let call_at = types
        .iter()
        .position(|t| t == "toolCall")
        .expect("a toolCall event");
    let result_at = types
        .iter()
        .position(|t| t == "toolResult")
        .expect("a toolResult event");
    assert!(call_at < result_at);
    let added: Array = get(&reply, "messages").unchecked_into();
    let roles: Vec<String> = added.iter().map(|m| text_of(&m, "role")).collect();
    assert_eq!(roles, ["assistant", "tool", "assistant"]);
}

#[wasm_bindgen_test]
async fn a_throwing_handler_becomes_a_tool_error_the_model_sees() {
    let core = ChatCore::new(tool_options("throw new Error('clock is broken')")).unwrap();
    let request = JSON::parse(r#"{"messages":[{"role":"user","content":"time?"}]}"#).unwrap();
    let (result, events) = run(&core, request).await;
    let reply = result.expect("the conversation goes on");
    let tool = events
        .iter()
        .find(|e| text_of(e, "type") == "toolResult")
        .unwrap();
    assert_eq!(get(tool, "isError").as_bool(), Some(true));
    assert!(text_of(tool, "result").contains("clock is broken"));
    assert!(
        text_of(&reply, "text").contains("clock is broken"),
        "the model read the error"
    );
}

#[wasm_bindgen_test]
fn options_are_validated_up_front() {
    for (extra, needle) in [
        (r#","temperature":1.5"#, "between 0 and 1 for Claude"),
        (
            r#","maxTokens":1024,"thinking":{"budgetTokens":1024}"#,
            "less than 'maxTokens'",
        ),
        (r#","retries":-1"#, "'retries'"),
    ] {
        let text = format!(
            r#"{{"endpoint":"/v1/chat/completions","model":"claude-3-7-sonnet-20250219"{extra}}}"#
        );
        let err = ChatCore::new(JSON::parse(&text).unwrap())
            .err()
            .expect(extra);
        assert_eq!(text_of(&err, "kind"), "config");
        assert!(
            text_of(&err, "message").contains(needle),
            "{}",
            text_of(&err, "message")
        );
    }
    let err = ChatCore::new(JSON::parse(r#"{"endpoint":"not a url","model":"m"}"#).unwrap())
        .err()
        .unwrap();
    assert!(text_of(&err, "message").contains("'endpoint' must be"));
}
