//! The request loop behind `ChatClient` and the element: one reply may take several
//! requests — retries happen in `transport`, tool rounds here, where the page's JS handlers
//! answer the model's calls before the conversation continues.

use crate::prelude::*;

use core::future::Future;
use core::pin::Pin;

use crate::conversation::{Metrics, Reply, ToolLoop};
use crate::error::ChatError;
use crate::jsvalue::{call, count, get, is_list, item, js_message, object, parse, set, stringify};
use crate::protocol::{build_request, ChatEvent, ChatOptions, Message, ToolCall};
use crate::transport::{self, Failure, Policy};
use wasm_bindgen::prelude::*;

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
pub fn handlers_from(options: &JsValue) -> JsValue {
    let handlers = object();
    let tools = get(options, "tools");
    if is_list(&tools) {
        for i in 0..count(&tools) {
            let tool = item(&tools, i);
            let f = get(&tool, "function");
            let t = if f.is_object() { f } else { tool.clone() };
            let handler = get(&tool, "handler");
            if let (Some(name), true) = (get(&t, "name").as_string(), handler.is_function()) {
                set(&handlers, &name, &handler);
            }
        }
    }
    handlers
}

fn handler(handlers: &JsValue, name: &str) -> Option<JsValue> {
    Some(get(handlers, name)).filter(JsValue::is_function)
}

pub async fn converse(
    options: &ChatOptions,
    messages: &mut Vec<Message>,
    stream: bool,
    signal: &JsValue,
    handlers: &JsValue,
    on_events: &mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) -> Result<Outcome, Failure> {
    let policy = Policy {
        timeout_ms: options.timeout_ms,
        idle_timeout_ms: options.idle_timeout_ms,
        retries: options.retries,
    };
    if options.provider == crate::protocol::Provider::Anthropic {
        // The Messages codec is in the second module (`split.rs`).
        crate::extra::load().await?;
    }
    let started = performance_now();
    // The messages are the loop's until it ends: taken, not copied (a copy of the whole
    // conversation per reply, and the clone code of every part of a message).
    let mut tool_loop = ToolLoop::new(core::mem::take(messages), options.max_tool_rounds);
    let mut first_ttft = None;
    let failure = loop {
        let request = match build_request(options, &tool_loop.messages, stream) {
            Ok(r) => r,
            Err(e) => break Failure::from(e),
        };
        let round_start = performance_now() - started;
        let (mut reply, mut metrics) = match transport::run(
            &request,
            options.provider,
            stream,
            policy,
            signal,
            on_events,
        )
        .await
        {
            Ok(r) => r,
            Err(f) => break f,
        };
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
        // Running the page's handlers is in the second module (`split.rs`).
        match crate::extra::load().await {
            Ok(()) => tool_round(calls, handlers, &mut tool_loop, &reply, on_events).await,
            Err(e) => {
                for call in calls {
                    if handler(handlers, &call.name).is_some() {
                        answered(
                            &call,
                            e.message.clone(),
                            true,
                            &mut tool_loop,
                            &reply,
                            on_events,
                        );
                    }
                }
            }
        }
        if transport::is_aborted(signal) {
            let error = ChatError::new(crate::error::ErrorKind::Aborted, "the request was stopped");
            break Failure {
                error,
                partial: reply,
                metrics,
            };
        }
    };
    // A failed exchange gives the caller back what it sent (the turns the loop added go).
    *messages = tool_loop.into_sent();
    Err(failure)
}

/// One tool result: to the page as an event, to the model as the next request's turn.
fn answered(
    call: &ToolCall,
    content: String,
    is_error: bool,
    tool_loop: &mut ToolLoop,
    reply: &Reply,
    on_events: &mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) {
    tool_loop.answer(call, &content, is_error);
    let ev = ChatEvent::ToolResult {
        id: call.id.clone(),
        name: call.name.clone(),
        content,
        is_error,
    };
    on_events(&mut vec![ev], reply);
}

type Round<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

crate::lazy!("a7000000000000000000000000000001" fn tool_round<'a>(
    calls: Vec<ToolCall>,
    handlers: &'a JsValue,
    tool_loop: &'a mut ToolLoop,
    reply: &'a Reply,
    on_events: &'a mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) -> Round<'a> {
    Box::pin(async move {
        for call in calls {
            let Some(f) = handler(handlers, &call.name) else {
                continue;
            };
            let (content, is_error) = run_handler(&f, &call).await;
            answered(&call, content, is_error, tool_loop, reply, on_events);
        }
    })
});

/// Runs one handler with the parsed arguments; whatever it throws becomes a tool error the
/// model reads, so a broken tool does not end the conversation.
async fn run_handler(f: &JsValue, call: &ToolCall) -> (String, bool) {
    let text = if call.arguments.trim_ascii().is_empty() {
        "{}"
    } else {
        &call.arguments
    };
    let args = match parse(text) {
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
    let context = object();
    set(&context, "id", &call.id.as_str().into());
    set(&context, "name", &call.name.as_str().into());
    let outcome = match self::call(f, &JsValue::NULL, &args, &context) {
        Ok(value) => crate::task::wait(&value).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(value) if value.is_undefined() => (String::new(), false),
        Ok(value) => match value.as_string() {
            Some(s) => (s, false),
            None => (
                stringify(&value)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default(),
                false,
            ),
        },
        Err(e) => {
            let message = Some(js_message(&e)).filter(|m| !m.is_empty());
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
