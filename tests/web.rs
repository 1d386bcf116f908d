//! Browser layer, run by wasm-bindgen-test in headless Chromium: the element's DOM and a
//! real streaming fetch against the devserver that scripts/test-wasm.sh starts on a free port.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect};
use rill_chat::{ChatCore, RillWidget};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The crate hands JS promises out as plain values.
fn settle(p: impl Into<JsValue>) -> JsFuture {
    JsFuture::from(Promise::from(p.into()))
}
use wasm_bindgen_test::*;

mod common;
use common::{batch_events, devserver, get, js};

wasm_bindgen_test_configure!(run_in_browser);

fn options(fault: Option<&str>) -> JsValue {
    let headers = match fault {
        Some(f) => format!(r#"{{"x-rill-fault":"{f}"}}"#),
        None => "{}".into(),
    };
    js(&format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"anthropic/claude-sonnet-4","maxTokens":400,"headers":{headers}}}"#,
        devserver()
    ))
}

/// Collects every event the core passes to its callback (in batches, one per chunk).
fn collector() -> (Array, Function) {
    let events = Array::new();
    let sink = events.clone();
    let f = Closure::<dyn FnMut(u32, u32)>::new(move |n: u32, out: u32| {
        for ev in batch_events(n, out) {
            sink.push(&ev);
        }
    });
    let func: Function = f.as_ref().unchecked_ref::<Function>().clone();
    f.forget();
    (events, func)
}

#[wasm_bindgen_test]
async fn core_streams_a_reply_from_the_devserver() {
    let core = ChatCore::new(options(None)).expect("valid options");
    let (events, on_event) = collector();
    let reply = settle(core.run(
        js(r#"{"messages":[{"role":"user","content":"hello"}]}"#),
        on_event.into(),
    ))
    .await
    .expect("reply");
    let text = get(&reply, "text").as_string().unwrap();
    assert!(text.contains("rill-chat demo model"), "{text}");
    let types: Vec<String> = events
        .iter()
        .map(|e| get(&e, "type").as_string().unwrap())
        .collect();
    assert_eq!(types.first().map(String::as_str), Some("start"));
    // It streamed in several chunks (the deltas of one chunk come as one event).
    assert!(
        types.iter().filter(|t| *t == "text").count() > 1,
        "{types:?}"
    );
    assert!(types.contains(&"usage".to_owned()) && types.contains(&"finish".to_owned()));
    assert_eq!(
        get(&reply, "finishReason").as_string().as_deref(),
        Some("stop")
    );
    let deltas: String = events
        .iter()
        .filter(|e| get(e, "type").as_string().as_deref() == Some("text"))
        .map(|e| get(&e, "delta").as_string().unwrap())
        .collect();
    assert_eq!(deltas, text, "the deltas add up to the reply");
}

#[wasm_bindgen_test]
async fn a_cut_stream_rejects_as_incomplete_with_the_partial_reply() {
    let core = ChatCore::new(options(Some("cut"))).expect("valid options");
    let err = settle(core.run(
        js(r#"{"messages":[{"role":"user","content":"hello"}]}"#),
        JsValue::UNDEFINED,
    ))
    .await
    .expect_err("must fail");
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("ChatError"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("incomplete"));
    let partial = get(&get(&err, "partial"), "text")
        .as_string()
        .unwrap_or_default();
    assert!(partial.starts_with("## About"), "partial: {partial}");
}

#[wasm_bindgen_test]
async fn http_errors_carry_the_providers_message() {
    let core = ChatCore::new(options(Some("http-429"))).expect("valid options");
    let err = settle(core.run(
        js(r#"{"messages":[{"role":"user","content":"hi"}]}"#),
        JsValue::UNDEFINED,
    ))
    .await
    .expect_err("must fail");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("http"));
    assert_eq!(get(&err, "status").as_f64(), Some(429.0));
    assert_eq!(
        get(&err, "message").as_string().as_deref(),
        Some("Too Many Requests")
    );
    assert_eq!(get(&err, "retryAfterMs").as_f64(), Some(2000.0));
    assert!(get(&err, "partial").is_null());
}

#[wasm_bindgen_test]
fn bad_options_throw_a_config_error() {
    let err = ChatCore::new(js(r#"{"model":"m"}"#))
        .err()
        .expect("endpoint is required");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("config"));
}

/// Waits for two animation frames (the view draws at most once per frame).
async fn frames() {
    for _ in 0..2 {
        let p = Promise::new(&mut |resolve, _| {
            let _ = web_sys::window().unwrap().request_animation_frame(&resolve);
        });
        let _ = settle(p).await;
    }
}

#[wasm_bindgen_test]
async fn final_blocks_keep_their_nodes_while_the_tail_grows() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    // The element's reply streams from the devserver; a slow pace leaves time to look.
    let opts = js(&format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"anthropic/claude-sonnet-4","headers":{{"x-rill-pace":"ttft=0,tps=150"}}}}"#,
        devserver()
    ));
    Reflect::set(&host, &"__opts".into(), &opts).unwrap();
    let widget = RillWidget::new(
        host.clone().into(),
        Function::new_no_args("return this.__opts").into(),
    )
    .unwrap();
    let reply = widget.send("hello".into(), None);
    let root = host.shadow_root().unwrap();
    let mut first_heading = None;
    for _ in 0..300 {
        frames().await;
        if let Some(h) = root.query_selector(".body > h2").unwrap() {
            first_heading = Some(h);
            break;
        }
    }
    let heading = first_heading.expect("the heading became a final block while streaming");
    let _ = settle(reply).await.expect("reply");
    let after = root
        .query_selector(".body > h2")
        .unwrap()
        .expect("still there");
    assert!(
        heading.is_same_node(Some(&after)),
        "a final block keeps its DOM node"
    );
}

#[wasm_bindgen_test]
async fn the_element_renders_a_streamed_reply_into_its_shadow_log() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let opts = options(None);
    let get_options = Function::new_no_args("return this.__opts");
    Reflect::set(&host, &"__opts".into(), &opts).unwrap();
    let widget = RillWidget::new(host.clone().into(), get_options.into()).expect("widget");
    let root = host.shadow_root().expect("open shadow root");
    let log = root
        .query_selector("[role=log]")
        .unwrap()
        .expect("a message log");
    assert!(root
        .query_selector("textarea[aria-label]")
        .unwrap()
        .is_some());
    let reply = widget.send("hello".into(), None);
    // While streaming, the assistant bubble exists and is marked busy.
    let bubble = root
        .query_selector(".msg.assistant")
        .unwrap()
        .expect("assistant bubble");
    assert_eq!(bubble.get_attribute("aria-busy").as_deref(), Some("true"));
    let reply = settle(reply).await.expect("reply");
    assert_eq!(bubble.get_attribute("aria-busy").as_deref(), Some("false"));
    // The markdown reply is rendered as elements, never as markup text.
    let body = bubble.query_selector(".body").unwrap().expect("a body");
    assert!(body.query_selector("h2").unwrap().is_some(), "a heading");
    assert!(
        body.query_selector("table th").unwrap().is_some(),
        "a table"
    );
    assert!(
        body.query_selector("pre code.language-js")
            .unwrap()
            .is_some(),
        "a code block"
    );
    assert!(
        body.query_selector("a[href='https://docs.aimlapi.com/'][rel~=noopener]")
            .unwrap()
            .is_some(),
        "a safe link"
    );
    let shown = body.text_content().unwrap_or_default();
    assert!(
        shown.contains("I'm the rill-chat demo model") && !shown.contains("**"),
        "{shown}"
    );
    assert!(get(&reply, "text")
        .as_string()
        .unwrap()
        .contains("**rill-chat demo model**"));
    assert_eq!(
        log.query_selector(".msg.user .user-text")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("hello")
    );
    widget.clear();
    assert_eq!(log.child_element_count(), 0);
}

/// A widget on a fresh host with the given client options (JSON text).
fn widget_with(options: &str) -> (RillWidget, web_sys::ShadowRoot) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    Reflect::set(&host, &"__opts".into(), &js(options)).unwrap();
    let widget = RillWidget::new(
        host.clone().into(),
        Function::new_no_args("return this.__opts").into(),
    )
    .unwrap();
    (widget, host.shadow_root().unwrap())
}

#[wasm_bindgen_test]
async fn reasoning_streams_into_a_panel_that_folds_when_the_answer_starts() {
    let opts = format!(
        r#"{{"endpoint":"{}/v1/messages","model":"claude-sonnet-4","thinking":{{"budgetTokens":1024}},"headers":{{"x-rill-pace":"instant"}}}}"#,
        devserver()
    );
    let (widget, root) = widget_with(&opts);
    settle(widget.send("hello".into(), None))
        .await
        .expect("reply");
    let panel = root
        .query_selector("details.reasoning")
        .unwrap()
        .expect("a reasoning panel");
    assert!(panel
        .text_content()
        .unwrap_or_default()
        .contains("offline demo model"));
    assert!(!panel.has_attribute("open"), "folded once the answer began");
    let meta = root.query_selector(".meta").unwrap().expect("a footer");
    assert!(
        meta.text_content().unwrap_or_default().contains("tokens"),
        "{:?}",
        meta.text_content()
    );
}

#[wasm_bindgen_test]
async fn stop_leaves_a_quiet_marker_and_max_tokens_says_so() {
    let opts = format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"gpt-4o","headers":{{"x-rill-pace":"ttft=0,tps=50"}}}}"#,
        devserver()
    );
    let (widget, root) = widget_with(&opts);
    let reply = widget.send("hello".into(), None);
    frames().await;
    frames().await;
    widget.stop();
    let err = settle(reply).await.expect_err("stopped");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("aborted"));
    assert_eq!(
        root.query_selector(".marker")
            .unwrap()
            .and_then(|m| m.text_content())
            .as_deref(),
        Some("Stopped")
    );
    assert!(
        root.query_selector(".error[role=alert]").unwrap().is_none(),
        "stopping is not an error"
    );

    let opts = format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"gpt-4o","maxTokens":8,"headers":{{"x-rill-pace":"instant"}}}}"#,
        devserver()
    );
    let (widget, root) = widget_with(&opts);
    settle(widget.send("hello".into(), None))
        .await
        .expect("reply");
    assert_eq!(
        root.query_selector(".marker .marker-text")
            .unwrap()
            .and_then(|m| m.text_content())
            .as_deref(),
        Some("Cut at the max tokens limit")
    );
    // Continue: the model goes on from the cut, in the same bubble, as one reply.
    let bubble = root.query_selector(".msg.assistant").unwrap().unwrap();
    let before = bubble.get_attribute("data-markdown").unwrap();
    let go_on: web_sys::HtmlElement = root
        .query_selector(".marker button[data-action=continue]")
        .unwrap()
        .expect("a Continue button")
        .unchecked_into();
    go_on.click();
    for _ in 0..200 {
        frames().await;
        if root.query_selector(".meta").unwrap().is_some() {
            break;
        }
    }
    let after = bubble.get_attribute("data-markdown").unwrap();
    assert!(
        after.starts_with(before.trim_end()) && after.len() > before.len() + 10,
        "{before:?} then {after:?}"
    );
    assert_eq!(
        root.query_selector_all(".msg.assistant").unwrap().length(),
        1
    );
    assert_eq!(
        root.query_selector_all("[data-action=continue]")
            .unwrap()
            .length(),
        1,
        "cut again (same max tokens), so offered again, once"
    );
}

#[wasm_bindgen_test]
async fn regenerate_replaces_the_last_reply_and_retry_recovers_from_an_error() {
    let opts = format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"gpt-4o","headers":{{"x-rill-pace":"instant"}}}}"#,
        devserver()
    );
    let (widget, root) = widget_with(&opts);
    settle(widget.send("hello".into(), None))
        .await
        .expect("first reply");
    let again = settle(widget.regenerate()).await.expect("second reply");
    assert_eq!(root.query_selector_all(".msg.user").unwrap().length(), 1);
    assert_eq!(
        root.query_selector_all(".msg.assistant").unwrap().length(),
        1,
        "the old reply was replaced"
    );
    // The model saw the conversation without the replaced answer: one message.
    assert!(get(&again, "text")
        .as_string()
        .unwrap()
        .contains("| Turns so far | 1 |"));
    assert_eq!(
        root.query_selector_all("[data-action=regenerate]")
            .unwrap()
            .length(),
        1
    );

    let token = format!("r{}", js_sys::Math::random().to_bits());
    let opts = format!(
        r#"{{"endpoint":"{}/v1/chat/completions","model":"gpt-4o","retries":0,"headers":{{"x-rill-pace":"instant","x-rill-fault":"http-500,once-{token}"}}}}"#,
        devserver()
    );
    let (widget, root) = widget_with(&opts);
    settle(widget.send("hello".into(), None))
        .await
        .expect_err("the first attempt fails");
    let retry: web_sys::HtmlElement = root
        .query_selector(".error[role=alert] button[data-action=retry]")
        .unwrap()
        .expect("a Retry button")
        .unchecked_into();
    retry.click();
    for _ in 0..200 {
        frames().await;
        if root.query_selector(".meta").unwrap().is_some() {
            break;
        }
    }
    assert!(
        root.query_selector(".error[role=alert]").unwrap().is_none(),
        "the failed reply was replaced"
    );
    assert!(
        root.query_selector(".meta").unwrap().is_some(),
        "the retry finished"
    );
    assert_eq!(root.query_selector_all(".msg.user").unwrap().length(), 1);
}
