//! rill-chat's development server: serves `www/` and `pkg/`, answers `/v1/*` with the offline
//! demo model (with fault injection for tests) or, when a key is in the environment, proxies
//! to the real API so the key never reaches the browser.

mod demo;
mod faults;
mod model;
mod proxy;
mod script;
mod wire;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt;
use axum::Router;
use demo::Pace;
use model::Api;
use proxy::Proxy;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

pub struct AppState {
    pub pace: Pace,
    /// Searched in order for `<name>.sse` (and its `<name>.json` metadata).
    pub fixtures: Vec<PathBuf>,
    pub proxy: Option<Proxy>,
    pub requests: AtomicU64,
    /// Tokens of `once-<token>` faults already spent.
    pub once_seen: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// The policy the demo must work under (DESIGN.md: the element is CSP-strict).
const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:";

const USAGE: &str = "usage: devserver [--host ADDR] [--port N|0] [--www DIR] [--pkg DIR] [--fixtures DIR]…
                 [--ttft-ms MS] [--tps N] [--no-delay] [--csp]
  --fixtures    a folder of recorded streams (repeatable; default ../shared/fixtures/streams
                and tests/fixtures/streams)
  --port 0      pick a free port (the URL is printed on the first line)
  --no-delay    answer at once (tests); default pace: 600 ms to first token, 56 tokens/s
  --csp         send a strict Content-Security-Policy with every page
env: AIMLAPI_KEY / ANTHROPIC_API_KEY switch /v1/* to proxy mode; UPSTREAM_URL overrides the API base";

struct Args {
    host: String,
    port: u16,
    www: PathBuf,
    pkg: PathBuf,
    fixtures: Vec<PathBuf>,
    pace: Pace,
    csp: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        host: "127.0.0.1".into(),
        port: 8080,
        www: "www".into(),
        pkg: "pkg".into(),
        fixtures: Vec::new(),
        pace: Pace::REAL,
        csp: false,
    };
    let (mut ttft, mut tps) = (600u64, 56.0f64);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--host" => a.host = value("--host")?,
            "--port" => {
                a.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be a number")?
            }
            "--www" => a.www = value("--www")?.into(),
            "--pkg" => a.pkg = value("--pkg")?.into(),
            "--fixtures" => a.fixtures.push(value("--fixtures")?.into()),
            "--ttft-ms" => {
                ttft = value("--ttft-ms")?
                    .parse()
                    .map_err(|_| "--ttft-ms must be a number")?
            }
            "--tps" => {
                tps = value("--tps")?
                    .parse()
                    .map_err(|_| "--tps must be a number")?
            }
            "--no-delay" => (ttft, tps) = (0, 0.0),
            "--csp" => a.csp = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    a.pace = Pace::new(ttft, tps);
    if a.fixtures.is_empty() {
        a.fixtures = vec![
            "../shared/fixtures/streams".into(),
            "tests/fixtures/streams".into(),
        ];
    }
    Ok(a)
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("devserver: {msg}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if msg.is_empty() { 0 } else { 2 });
        }
    };
    let proxy = Proxy::from_env();
    let mode = proxy.as_ref().map_or_else(
        || "offline demo model".to_owned(),
        |p| format!("proxy: {}", p.describe()),
    );
    let state = Arc::new(AppState {
        pace: args.pace,
        fixtures: args.fixtures,
        proxy,
        requests: AtomicU64::new(0),
        once_seen: Default::default(),
    });
    let app = router(state, &args.www, &args.pkg, args.csp);

    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "devserver: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().map_or_else(
        |_| format!("{}:{}", args.host, args.port),
        |a| a.to_string(),
    );
    // The first line is read by tests and scripts to learn the port.
    println!("rill-chat devserver listening on http://{addr}/ ({mode})");
    let _ = std::io::stdout().flush();
    // Token-sized writes must leave at once, not wait for Nagle's algorithm.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}

fn router(state: Arc<AppState>, www: &std::path::Path, pkg: &std::path::Path, csp: bool) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods(AllowMethods::mirror_request())
        // `*` would not cover Authorization, so echo what the browser asks for.
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("request-id"),
            HeaderName::from_static("retry-after"),
            HeaderName::from_static("x-inference-id"),
        ])
        .max_age(std::time::Duration::from_secs(600));
    let mut app = Router::new()
        .route(
            "/v1/chat/completions",
            post(|s, h, b| api(s, h, b, Api::Chat)),
        )
        .route("/v1/messages", post(|s, h, b| api(s, h, b, Api::Messages)))
        .route("/v1/{*rest}", axum::routing::any(other_api))
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www))
        .with_state(state)
        .layer(middleware::from_fn(no_cache));
    if csp {
        app = app.layer(middleware::from_fn(strict_csp));
    }
    app.layer(cors).layer(middleware::from_fn(log_line))
}

async fn api(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
    which: Api,
) -> Response {
    if let Some(proxy) = &state.proxy {
        let path = match which {
            Api::Chat => "/v1/chat/completions",
            Api::Messages => "/v1/messages",
        };
        return proxy.forward(Method::POST, path, &headers, body).await;
    }
    demo::handle(&state, which, &headers, body).await
}

async fn other_api(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if let Some(proxy) = &state.proxy {
        let Ok(body) = axum::body::to_bytes(body, 64 << 20).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
        };
        let pq = parts
            .uri
            .path_and_query()
            .map_or(parts.uri.path(), |pq| pq.as_str());
        return proxy.forward(parts.method, pq, &parts.headers, body).await;
    }
    let body =
        serde_json::json!({"message": "Not Found", "path": parts.uri.path(), "statusCode": 404});
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A dev server must never serve yesterday's build.
async fn no_cache(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    resp
}

async fn strict_csp(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STRICT_CSP),
    );
    resp
}

/// One line per request: method, path, status, time to response head.
async fn log_line(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let fault = req
        .headers()
        .get("x-rill-fault")
        .and_then(|v| v.to_str().ok())
        .map(|f| format!(" fault={f}"))
        .unwrap_or_default();
    let start = Instant::now();
    let resp = next.run(req).await;
    println!(
        "{method} {path} {} {:.1}ms{fault}",
        resp.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    resp
}
