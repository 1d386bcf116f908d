//! The devserver binary from the outside: static files, the demo model in both formats, every
//! fault, pacing, CORS, and the proxy against local upstreams (the real API is unreachable
//! here, and a test must not depend on it anyway).

use futures_util::StreamExt;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_devserver"));
    cmd.args([
        "--port",
        "0",
        "--www",
        "../www",
        "--fixtures",
        "../../shared/fixtures/streams",
        "--fixtures",
        "../tests/fixtures/streams",
    ])
    .args(args);
    cmd.env_remove("AIMLAPI_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("UPSTREAM_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("devserver binary");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").expect("utf-8");
    let start = first.find("http://").expect("the URL on the first line");
    let url = first[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let log = Arc::new(Mutex::new(first.clone() + "\n"));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    Server { child, url, log }
}

fn demo() -> Server {
    start(&["--no-delay"], &[])
}

async fn post(url: &str, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("request")
}

/// The body as the chunks that arrived.
async fn chunks(resp: reqwest::Response) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut s = resp.bytes_stream();
    while let Some(c) = s.next().await {
        out.push(c.expect("body chunk").to_vec());
    }
    out
}

async fn text(resp: reqwest::Response) -> String {
    String::from_utf8(chunks(resp).await.concat()).expect("utf-8 body")
}

/// The reply text of a chat-completions SSE body (the demo sends one token per chunk).
fn chat_text(body: &str) -> String {
    body.split("\n\n")
        .filter_map(|e| e.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter_map(|v| {
            v.pointer("/choices/0/delta/content")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .collect()
}

const CLAUDE_STREAM: &str = r#"{"model":"anthropic/claude-sonnet-4","stream":true,"max_tokens":60,"messages":[{"role":"user","content":"hello"}]}"#;
const GPT_STREAM: &str = r#"{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"Tell me about rivers"}]}"#;
const MESSAGES_STREAM: &str = r#"{"model":"claude-sonnet-4","stream":true,"max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hello"}]}"#;

#[tokio::test]
async fn serves_www_and_pkg_with_the_right_types() {
    let pkg = std::env::temp_dir().join(format!("rill-pkg-test-{}", std::process::id()));
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("x_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("index.js"), b"export {};").unwrap();
    let s = start(&["--no-delay", "--pkg", pkg.to_str().unwrap()], &[]);
    let get = |p: &str| reqwest::get(format!("{}{p}", s.url));
    let page = get("/").await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("<rill-chat"));
    assert_eq!(
        get("/pkg/x_bg.wasm").await.unwrap().headers()["content-type"],
        "application/wasm"
    );
    assert!(
        get("/pkg/index.js").await.unwrap().headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(get("/nope.html").await.unwrap().status(), 404);
    std::fs::remove_dir_all(&pkg).unwrap();
    // The line is written once the response is on its way, so it may trail the response.
    let logged = || s.log.lock().unwrap().contains("GET /pkg/x_bg.wasm 200");
    for _ in 0..100 {
        if logged() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(logged(), "one log line per request");
}

#[tokio::test]
async fn chat_completions_stream_like_the_aimlapi_for_claude_and_openai_otherwise() {
    let s = demo();
    let url = format!("{}/v1/chat/completions", s.url);
    let resp = post(&url, CLAUDE_STREAM, &[]).await;
    assert_eq!(
        resp.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    let parts = chunks(resp).await;
    assert!(parts.len() > 10, "streamed in {} chunks", parts.len());
    let body = String::from_utf8(parts.concat()).unwrap();
    assert!(!body.contains("[DONE]"), "the AI/ML API sends no [DONE]");
    assert!(
        body.contains(r#""finish_reason":"length""#),
        "max_tokens 60 cuts the answer"
    );
    assert!(body.contains(r#""usage":{"prompt_tokens""#));

    let body = text(post(&url, GPT_STREAM, &[]).await).await;
    assert!(body.ends_with("data: [DONE]\n\n"));
    assert!(body.contains(r#""choices":[],"usage""#));
    assert!(
        chat_text(&body).contains("You asked: *Tell me about rivers*"),
        "the answer refers to the message"
    );
}

#[tokio::test]
async fn messages_stream_thinking_then_text_and_non_streaming_bodies() {
    let s = demo();
    let body = text(post(&format!("{}/v1/messages", s.url), MESSAGES_STREAM, &[]).await).await;
    assert!(body.starts_with("event: message_start\n"));
    assert!(
        body.contains("thinking_delta")
            && body.contains("signature_delta")
            && body.contains("text_delta")
    );
    assert!(body.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

    let whole = post(
        &format!("{}/v1/messages", s.url),
        &MESSAGES_STREAM.replace(r#""stream":true"#, r#""stream":false"#),
        &[],
    )
    .await;
    let v: serde_json::Value = whole.json().await.unwrap();
    assert_eq!(v["content"][0]["type"], "thinking");
    assert!(v["content"][1]["text"]
        .as_str()
        .unwrap()
        .contains("rill-chat demo model"));
    let v: serde_json::Value = post(
        &format!("{}/v1/chat/completions", s.url),
        &GPT_STREAM.replace(r#""stream":true"#, r#""stream":false"#),
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert!(v["usage"]["completion_tokens"].as_u64().unwrap() > 50);
}

#[tokio::test]
async fn invalid_requests_get_the_apis_own_400_bodies() {
    let s = demo();
    let resp = post(
        &format!("{}/v1/chat/completions", s.url),
        r#"{"messages":[{"role":"user","content":"hi"}]}"#,
        &[],
    )
    .await;
    assert_eq!(resp.status(), 400);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["message"], "Body validation error! model: Required");
    assert_eq!(v["statusCode"], 400);
    let resp = post(
        &format!("{}/v1/chat/completions", s.url),
        r#"{"model":"m"}"#,
        &[],
    )
    .await;
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["message"],
        "Body validation error! messages: Required"
    );
    let resp = post(
        &format!("{}/v1/messages", s.url),
        r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
        &[],
    )
    .await;
    assert_eq!(resp.status(), 400);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        (v["type"].as_str(), v["error"]["type"].as_str()),
        (Some("error"), Some("invalid_request_error"))
    );
    let resp = post(&format!("{}/v1/chat/completions", s.url), "not json", &[]).await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn every_http_fault_by_header_and_by_model_name() {
    let s = demo();
    for status in [400u16, 401, 403, 404, 429, 500, 502, 503, 504, 529] {
        let fault = format!("http-{status}");
        let resp = post(
            &format!("{}/v1/chat/completions", s.url),
            CLAUDE_STREAM,
            &[("x-rill-fault", &fault)],
        )
        .await;
        assert_eq!(resp.status().as_u16(), status);
        if status == 429 {
            assert_eq!(resp.headers()["retry-after"], "2");
        }
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["statusCode"], status, "AI/ML shape: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));

        let body = MESSAGES_STREAM.replace("claude-sonnet-4", &format!("rill-fault/{fault}"));
        let resp = post(&format!("{}/v1/messages", s.url), &body, &[]).await;
        assert_eq!(resp.status().as_u16(), status);
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["type"], "error", "Anthropic shape: {v}");

        let resp = post(
            &format!("{}/v1/chat/completions", s.url),
            CLAUDE_STREAM,
            &[("x-rill-fault", &format!("{fault}-openai"))],
        )
        .await;
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["error"]["code"], status.to_string(), "OpenAI shape: {v}");
    }
    let resp = post(
        &format!("{}/v1/chat/completions", s.url),
        CLAUDE_STREAM,
        &[("x-rill-fault", "explode")],
    )
    .await;
    assert_eq!(
        resp.status(),
        400,
        "an unknown fault is refused, not ignored"
    );
}

#[tokio::test]
async fn stream_faults_change_the_bytes_as_asked() {
    let s = demo();
    let chat = format!("{}/v1/chat/completions", s.url);
    let messages = format!("{}/v1/messages", s.url);
    let fault = |f: &'static str| [("x-rill-fault", f)];

    let cut = text(post(&chat, GPT_STREAM, &fault("cut")).await).await;
    assert!(
        !cut.contains("[DONE]")
            && !cut.contains("finish_reason\":\"stop")
            && cut.contains("content")
    );
    let cut = text(post(&messages, MESSAGES_STREAM, &fault("cut")).await).await;
    assert!(!cut.contains("message_stop") && !cut.contains("message_delta"));

    let err = text(post(&chat, GPT_STREAM, &fault("stream-error")).await).await;
    assert!(err.trim_end().ends_with(r#"data: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":"529"}}"#));
    let err = text(post(&messages, MESSAGES_STREAM, &fault("stream-error")).await).await;
    assert!(err.contains(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""
    ));

    let bad = text(post(&chat, GPT_STREAM, &fault("malformed")).await).await;
    let broken = bad
        .split("\n\n")
        .filter(|e| e.starts_with("data: {"))
        .filter(|e| serde_json::from_str::<serde_json::Value>(&e[6..]).is_err())
        .count();
    assert_eq!(broken, 1, "exactly one chunk has broken JSON");

    let crlf = text(post(&chat, GPT_STREAM, &fault("crlf")).await).await;
    assert!(crlf.contains("\r\n\r\n") && !crlf.replace("\r\n", "").contains('\n'));
    let cr = text(post(&chat, GPT_STREAM, &fault("cr")).await).await;
    assert!(cr.contains("\r\r") && !cr.contains('\n'));

    let short = CLAUDE_STREAM.replace(r#""max_tokens":60"#, r#""max_tokens":3"#);
    let parts = chunks(post(&chat, &short, &fault("one-byte")).await).await;
    let total: usize = parts.iter().map(Vec::len).sum();
    assert!(
        parts.len() * 2 > total,
        "{} chunks for {total} bytes",
        parts.len()
    );

    let giant = chunks(post(&chat, &short, &fault("giant-line-1")).await)
        .await
        .concat();
    let first_line = giant.split(|&b| b == b'\n').next().unwrap();
    assert_eq!(first_line.len(), 6 + 1024 * 1024);

    let file = std::fs::read("../../shared/fixtures/streams/anthropic-text.sse").unwrap();
    let served =
        chunks(post(&messages, MESSAGES_STREAM, &fault("fixture-anthropic-text")).await).await;
    assert_eq!(served.concat(), file, "the fixture is served byte for byte");
    // From the second folder, and a JSON-body fixture is sent as JSON (one piece).
    let json = post(&chat, GPT_STREAM, &fault("fixture-openai-json-body")).await;
    assert_eq!(json.headers()["content-type"], "application/json");
    let file = std::fs::read("../tests/fixtures/streams/openai-json-body.sse").unwrap();
    assert_eq!(json.bytes().await.unwrap().to_vec(), file);
    let missing = post(&messages, MESSAGES_STREAM, &fault("fixture-nope")).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn stall_and_pace_delay_the_body() {
    let s = demo();
    let chat = format!("{}/v1/chat/completions", s.url);
    // Sleeps never end early, so these lower bounds hold on any machine.
    let resp = post(&chat, GPT_STREAM, &[("x-rill-fault", "stall-1")]).await;
    let mut body = resp.bytes_stream();
    let mut last = Instant::now();
    let mut longest = Duration::ZERO;
    while let Some(c) = body.next().await {
        c.unwrap();
        longest = longest.max(last.elapsed());
        last = Instant::now();
    }
    assert!(
        longest >= Duration::from_millis(950),
        "longest gap {longest:?}"
    );

    let resp = post(&chat, GPT_STREAM, &[("x-rill-pace", "ttft=300,tps=1000")]).await;
    let mut body = resp.bytes_stream();
    body.next().await.unwrap().unwrap();
    let head = Instant::now();
    body.next().await.unwrap().unwrap();
    assert!(
        head.elapsed() >= Duration::from_millis(250),
        "first token after {:?}",
        head.elapsed()
    );
    assert_eq!(
        post(&chat, GPT_STREAM, &[("x-rill-pace", "fast")])
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn cors_allows_other_origins_including_auth_headers() {
    let s = demo();
    let resp = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/messages", s.url))
        .header("origin", "https://example.org")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-api-key,anthropic-version,anthropic-dangerous-direct-browser-access,content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert!(resp.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-api-key"));
    let resp = post(
        &format!("{}/v1/chat/completions", s.url),
        CLAUDE_STREAM,
        &[("origin", "https://example.org")],
    )
    .await;
    assert!(resp.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("retry-after"));
}

#[tokio::test]
async fn proxy_forwards_to_another_devserver_with_the_key_added_server_side() {
    let upstream = demo();
    let key = "sk-test-secret-0123456789";
    let proxy = start(
        &[],
        &[("AIMLAPI_KEY", key), ("UPSTREAM_URL", &upstream.url)],
    );
    assert!(proxy.log.lock().unwrap().contains("proxy:"));
    let resp = post(
        &format!("{}/v1/chat/completions", proxy.url),
        CLAUDE_STREAM,
        &[],
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    let body = text(resp).await;
    assert!(chat_text(&body).contains("rill-chat demo model") && body.contains("finish_reason"));
    let resp = post(
        &format!("{}/v1/chat/completions", proxy.url),
        CLAUDE_STREAM,
        &[("x-rill-fault", "http-429")],
    )
    .await;
    assert_eq!(
        resp.status(),
        200,
        "test-only fault headers are not forwarded to the upstream"
    );
    let log = proxy.log.lock().unwrap().clone();
    assert!(!log.contains(key), "the key never reaches the log:\n{log}");
}

/// A one-connection HTTP/1.1 upstream that records the request head and sends its body in
/// two chunks, the second only after `release` is notified.
async fn recording_upstream() -> (
    String,
    tokio::sync::oneshot::Receiver<String>,
    Arc<tokio::sync::Notify>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel();
    let release = Arc::new(tokio::sync::Notify::new());
    let gate = release.clone();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut tmp = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut tmp).await.unwrap();
            buf.extend_from_slice(&tmp[..n]);
        }
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: up-1\r\nset-cookie: a=b\r\ntransfer-encoding: chunked\r\n\r\n";
        sock.write_all(head.as_bytes()).await.unwrap();
        let first = "data: first\n\n";
        sock.write_all(format!("{:x}\r\n{first}\r\n", first.len()).as_bytes())
            .await
            .unwrap();
        sock.flush().await.unwrap();
        gate.notified().await;
        let second = "data: second\n\n";
        sock.write_all(format!("{:x}\r\n{second}\r\n0\r\n\r\n", second.len()).as_bytes())
            .await
            .unwrap();
    });
    (url, rx, release)
}

#[tokio::test]
async fn proxy_passes_the_stream_through_unbuffered_and_filters_headers() {
    for (var, path, want_auth) in [
        (
            "AIMLAPI_KEY",
            "/v1/chat/completions",
            "authorization: Bearer sk-upstream-only",
        ),
        (
            "ANTHROPIC_API_KEY",
            "/v1/messages",
            "x-api-key: sk-upstream-only",
        ),
    ] {
        let (upstream, head, release) = recording_upstream().await;
        let proxy = start(
            &[],
            &[(var, "sk-upstream-only"), ("UPSTREAM_URL", &upstream)],
        );
        let resp = post(
            &format!("{}{path}", proxy.url),
            "{}",
            &[
                ("authorization", "Bearer browser-key"),
                ("cookie", "session=1"),
                ("x-api-key", "browser-key"),
            ],
        )
        .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-request-id"], "up-1");
        assert!(resp.headers().get("set-cookie").is_none());
        let mut body = resp.bytes_stream();
        // The first chunk arrives while the upstream still holds back the second.
        let first = tokio::time::timeout(Duration::from_secs(10), body.next())
            .await
            .expect("first chunk before the upstream finished");
        assert_eq!(&first.unwrap().unwrap()[..], b"data: first\n\n");
        release.notify_one();
        assert_eq!(
            &body.next().await.unwrap().unwrap()[..],
            b"data: second\n\n"
        );
        let head = head.await.unwrap().to_lowercase();
        assert!(head.starts_with(&format!("post {path} ")), "{head}");
        assert!(head.contains(&want_auth.to_lowercase()), "{head}");
        assert!(
            !head.contains("browser-key") && !head.contains("cookie"),
            "browser credentials stay here: {head}"
        );
        if var == "ANTHROPIC_API_KEY" {
            assert!(head.contains("anthropic-version: 2023-06-01"));
        }
    }
}
