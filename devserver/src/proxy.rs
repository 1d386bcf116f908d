//! Key-safe proxy: the browser calls `/v1/*` on this server without a key; the key from the
//! environment is added here and the upstream body is passed through as it arrives. The key
//! is never logged, echoed, or sent anywhere but the configured upstream.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;

#[derive(Debug, Clone)]
struct Route {
    base: String,
    auth: Auth,
}

#[derive(Clone)]
enum Auth {
    /// AI/ML API (and OpenAI-compatible upstreams): `Authorization: Bearer`.
    Bearer(String),
    /// Anthropic: `x-api-key` plus a default `anthropic-version`.
    ApiKey(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::Bearer(_) => "Bearer(<redacted>)",
            Auth::ApiKey(_) => "ApiKey(<redacted>)",
        })
    }
}

#[derive(Debug, Clone)]
pub struct Proxy {
    client: reqwest::Client,
    aimlapi: Option<Route>,
    anthropic: Option<Route>,
}

/// Request headers passed upstream; everything else (cookies, the browser's own auth,
/// origin) stays here.
const FORWARD_REQUEST: [&str; 5] = [
    "content-type",
    "accept",
    "anthropic-version",
    "anthropic-beta",
    "x-client-request-id",
];
/// Response headers not passed back: hop-by-hop ones, cookies, and CORS (we set our own).
const DROP_RESPONSE: [&str; 8] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    "set-cookie",
    "content-length",
    "access-control-allow-origin",
    "access-control-allow-credentials",
];

impl Proxy {
    /// Proxy mode is on when `AIMLAPI_KEY` or `ANTHROPIC_API_KEY` is set; `UPSTREAM_URL`
    /// replaces the real API's base URL (used by the tests with a local upstream).
    pub fn from_env() -> Option<Proxy> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let upstream = var("UPSTREAM_URL").map(|u| u.trim_end_matches('/').to_owned());
        let aimlapi = var("AIMLAPI_KEY").map(|key| Route {
            base: upstream
                .clone()
                .unwrap_or_else(|| "https://api.aimlapi.com".into()),
            auth: Auth::Bearer(key),
        });
        let anthropic = var("ANTHROPIC_API_KEY").map(|key| Route {
            base: upstream
                .clone()
                .unwrap_or_else(|| "https://api.anthropic.com".into()),
            auth: Auth::ApiKey(key),
        });
        if aimlapi.is_none() && anthropic.is_none() {
            return None;
        }
        Some(Proxy {
            client: reqwest::Client::new(),
            aimlapi,
            anthropic,
        })
    }

    /// Where requests go, for the startup line (never includes the key).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.aimlapi {
            parts.push(format!("/v1/* → {} (AIMLAPI_KEY)", r.base));
        }
        if let Some(r) = &self.anthropic {
            let scope = if self.aimlapi.is_some() {
                "/v1/messages"
            } else {
                "/v1/*"
            };
            parts.push(format!("{scope} → {} (ANTHROPIC_API_KEY)", r.base));
        }
        parts.join(", ")
    }

    pub async fn forward(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Response {
        let is_messages = path_and_query
            .split('?')
            .next()
            .is_some_and(|p| p.ends_with("/messages"));
        let route = match (&self.anthropic, &self.aimlapi) {
            (Some(a), _) if is_messages => a,
            (_, Some(r)) => r,
            (Some(a), None) => a,
            (None, None) => {
                return (StatusCode::BAD_GATEWAY, "no upstream configured").into_response()
            }
        };
        let url = format!("{}{}", route.base, path_and_query);
        let mut req = self.client.request(method, &url).body(body);
        for name in FORWARD_REQUEST {
            if let Some(v) = headers.get(name) {
                req = req.header(name, v.clone());
            }
        }
        req = match &route.auth {
            Auth::Bearer(key) => req.bearer_auth(key),
            Auth::ApiKey(key) => {
                let req = req.header("x-api-key", key);
                if headers.contains_key("anthropic-version") {
                    req
                } else {
                    req.header("anthropic-version", "2023-06-01")
                }
            }
        };
        let upstream = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                // reqwest's message names the URL, never the headers, so it is safe to show.
                let body = serde_json::json!({"error": {"message": format!("the proxy could not reach the upstream API: {e}"), "type": "proxy_error", "param": null, "code": "502"}});
                return (
                    StatusCode::BAD_GATEWAY,
                    [("content-type", "application/json")],
                    body.to_string(),
                )
                    .into_response();
            }
        };
        let status =
            StatusCode::from_u16(upstream.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut out_headers = HeaderMap::new();
        for (name, value) in upstream.headers() {
            if DROP_RESPONSE.contains(&name.as_str()) {
                continue;
            }
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_str().as_bytes()),
                HeaderValue::from_bytes(value.as_bytes()),
            ) {
                out_headers.append(n, v);
            }
        }
        // Passed through chunk by chunk as the upstream sends them: no buffering.
        let stream = upstream.bytes_stream().map_err(std::io::Error::other);
        let mut resp = Response::new(Body::from_stream(stream));
        *resp.status_mut() = status;
        *resp.headers_mut() = out_headers;
        resp
    }
}
