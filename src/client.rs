//! The request loop behind `ChatClient` and the element: one reply may take several
//! requests — retries happen in `transport`, tool rounds here, where the page's JS handlers
//! answer the model's calls before the conversation continues.

use crate::prelude::*;

use crate::conversation::{Metrics, Reply, ToolLoop};
use crate::error::ChatError;
use crate::protocol::{build_request, ChatEvent, ChatOptions, Message, ToolCall};
use crate::transport::{self, Failure, Policy};
use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The finished exchange: the last reply (usage summed over every round) and the whole
/// conversation including the turns the tool loop added.
pub struct Outcome {
    pub reply: Reply,
    pub metrics: Metrics,
    pub tool_loop: ToolLoop,
}

/// The tool handlers of the options (`tools: [{name, handler}]`), by name.
pub fn handlers_from(options: &JsValue) -> Object {
    let handlers = Object::new();
    let tools = Reflect::get(options, &"tools".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(tools) = tools.dyn_ref::<js_sys::Array>() {
        for tool in tools.iter() {
            let t = Reflect::get(&tool, &"function".into())
                .ok()
                .filter(|f| f.is_object())
                .unwrap_or(tool.clone());
            let name = Reflect::get(&t, &"name".into())
                .ok()
                .and_then(|n| n.as_string());
            let handler = Reflect::get(&tool, &"handler".into())
                .ok()
                .filter(JsValue::is_function);
            if let (Some(name), Some(handler)) = (name, handler) {
                let _ = Reflect::set(&handlers, &name.into(), &handler);
            }
        }
    }
    handlers
}

fn handler(handlers: &Object, name: &str) -> Option<Function> {
    Reflect::get(handlers, &name.into())
        .ok()
        .and_then(|h| h.dyn_into().ok())
}

pub async fn converse(
    options: &ChatOptions,
    messages: Vec<Message>,
    stream: bool,
    signal: Option<&AbortSignal>,
    handlers: &Object,
    on_events: &mut dyn FnMut(&[ChatEvent], &Reply),
) -> Result<Outcome, Failure> {
    let policy = Policy {
        timeout_ms: options.timeout_ms,
        idle_timeout_ms: options.idle_timeout_ms,
        retries: options.retries,
    };
    let started = performance_now();
    let mut tool_loop = ToolLoop::new(messages, options.max_tool_rounds);
    let mut first_ttft = None;
    loop {
        let request =
            build_request(options, &tool_loop.messages, stream).map_err(|error| Failure {
                error,
                partial: Reply::default(),
                metrics: Metrics::default(),
            })?;
        let round_start = performance_now() - started;
        let (mut reply, mut metrics) = transport::run(
            &request,
            options.provider,
            stream,
            policy,
            signal,
            on_events,
        )
        .await?;
        first_ttft = first_ttft.or(metrics.ttft_ms.map(|t| t + round_start));
        let calls = tool_loop.record(&reply, |name| handler(handlers, name).is_some());
        let Some(calls) = calls else {
            if let Some(total) = tool_loop.usage {
                reply.usage = Some(total);
            }
            metrics.ttft_ms = first_ttft;
            metrics.duration_ms = performance_now() - started;
            metrics.count_output(&reply);
            return Ok(Outcome {
                reply,
                metrics,
                tool_loop,
            });
        };
        for call in calls {
            let Some(f) = handler(handlers, &call.name) else {
                continue;
            };
            let (content, is_error) = call_handler(&f, &call).await;
            let ev = ChatEvent::ToolResult {
                id: call.id.clone(),
                name: call.name.clone(),
                content: content.clone(),
                is_error,
            };
            on_events(core::slice::from_ref(&ev), &reply);
            tool_loop.answer(&call, &content, is_error);
        }
        if signal.is_some_and(AbortSignal::aborted) {
            let error = ChatError::new(crate::error::ErrorKind::Aborted, "the request was stopped");
            return Err(Failure {
                error,
                partial: reply,
                metrics,
            });
        }
    }
}

/// Runs one handler with the parsed arguments; whatever it throws becomes a tool error the
/// model reads, so a broken tool does not end the conversation.
async fn call_handler(f: &Function, call: &ToolCall) -> (String, bool) {
    let text = if call.arguments.trim().is_empty() {
        "{}"
    } else {
        &call.arguments
    };
    let args = match JSON::parse(text) {
        Ok(a) => a,
        Err(_) => {
            return (
                cat(&[
                    "the arguments for ",
                    &call.name,
                    " are not valid JSON: ",
                    &call.arguments,
                ]),
                true,
            )
        }
    };
    let context = Object::new();
    let _ = Reflect::set(&context, &"id".into(), &call.id.as_str().into());
    let _ = Reflect::set(&context, &"name".into(), &call.name.as_str().into());
    let outcome = match f.call2(&JsValue::NULL, &args, &context) {
        Ok(value) => JsFuture::from(Promise::resolve(&value)).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(value) if value.is_undefined() => (String::new(), false),
        Ok(value) => match value.as_string() {
            Some(s) => (s, false),
            None => (
                JSON::stringify(&value)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default(),
                false,
            ),
        },
        Err(e) => {
            let message = Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .or_else(|| e.as_string());
            (
                cat(&[
                    "the tool ",
                    &call.name,
                    " failed: ",
                    &message.unwrap_or_else(|| "unknown error".into()),
                ]),
                true,
            )
        }
    }
}
