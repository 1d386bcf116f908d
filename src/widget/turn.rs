//! One turn of the conversation: what the user asked (a message, "again", "continue"), the
//! request with the history, the reply streaming into its bubble, and the bookkeeping after
//! it ends however it ends (history, events, live region, unread dot, storage).

use crate::prelude::*;

use super::bubble::Bubble;
use super::{attach, dispatch, persist, render, State};
use crate::client;
use crate::conversation::Reply;
use crate::dom;
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::jsvalue::{chat_error_js, js_from_json, json_from_js, reply_js};
use crate::markdown::url;
use crate::protocol::{text_runs, ChatEvent, ChatOptions, ContentPart, Message, Role};
use crate::task::{promise, spawn};
use crate::transport::Abort;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

pub(crate) enum Ask {
    /// A new user message: its text and image URLs.
    Text(String, Vec<String>),
    /// The last reply again (regenerate, retry).
    Again,
    /// The last reply was cut at max tokens: the model goes on from its last word.
    Continue,
}

/// Starts a turn and returns the promise of its reply (rejected if it cannot start).
pub(crate) fn start(state: &Rc<RefCell<State>>, ask: Ask) -> JsValue {
    if state.try_borrow_mut().is_err() {
        // Called from inside the element's own work (a page listener): start right after.
        let state = state.clone();
        return promise(async move { crate::task::wait(&start(&state, ask)).await });
    }
    if needs_extra_for(state, &ask) {
        let state = state.clone();
        return promise(async move {
            // A failed fetch shows as `begin`'s error: those options cannot be read.
            let _ = crate::extra::load().await;
            match begin(&state, ask) {
                Ok(turn) => stream_reply(state.clone(), turn).await,
                Err(e) => Err(chat_error_js(&e, None)),
            }
        });
    }
    match begin(state, ask) {
        Ok(turn) => promise(stream_reply(state.clone(), turn)),
        Err(e) => crate::jsvalue::reject(&chat_error_js(&e, None)),
    }
}

/// Whether `ask` needs the second module while it is not loaded: regenerating and
/// continuing are there (`reopen`), so is writing images into a request (`send` with
/// `images`), and so is what `needs_extra` says.
fn needs_extra_for(state: &Rc<RefCell<State>>, ask: &Ask) -> bool {
    let wants = match ask {
        Ask::Text(_, images) => !images.is_empty(),
        _ => true,
    };
    wants && !crate::split::loaded() || needs_extra(state)
}

/// Whether the element's options name tools, thinking or another option only the second
/// module reads (`ChatOptions::from_json`) while it is not loaded: the turn starts once it is.
fn needs_extra(state: &Rc<RefCell<State>>) -> bool {
    if crate::split::loaded() {
        return false;
    }
    let s = state.borrow();
    crate::jsvalue::call(
        &s.get_options,
        &s.host,
        &JsValue::UNDEFINED,
        &JsValue::UNDEFINED,
    )
    .ok()
    .and_then(|raw| json_from_js(&raw).ok())
    .is_some_and(|v| ChatOptions::needs_extra(&v))
}

/// Starts a turn from a button in the log; the outcome shows in the log and nothing else
/// waits for it.
pub(crate) fn start_from_ui(state: &Rc<RefCell<State>>, ask: Ask) {
    if needs_extra_for(state, &ask) {
        let state = state.clone();
        spawn(async move {
            let _ = crate::extra::load().await;
            if let Ok(turn) = begin(&state, ask) {
                let _ = stream_reply(state, turn).await;
            }
        });
        return;
    }
    if let Ok(turn) = begin(state, ask) {
        let state = state.clone();
        spawn(async move {
            let _ = stream_reply(state, turn).await;
        });
    }
}

/// Sends the composer's text and images.
pub(crate) fn submit(state: &Rc<RefCell<State>>) {
    let (text, images) = {
        let s = state.borrow();
        if s.abort.is_some() {
            return;
        }
        let mut images = Vec::new();
        for a in &s.attachments {
            images.push(a.url.clone());
        }
        let text = dom::lookup(s.ui.input, "", "", "#value").unwrap_or_default();
        (text, images)
    };
    if text.trim_ascii().is_empty() && images.is_empty() {
        return;
    }
    if needs_extra(state) {
        let state = state.clone();
        spawn(async move {
            // A failed fetch shows as `begin`'s error: those options cannot be read.
            let _ = crate::extra::load().await;
            send_composer(&state, text, images);
        });
        return;
    }
    send_composer(state, text, images);
}

fn send_composer(state: &Rc<RefCell<State>>, text: String, images: Vec<String>) {
    // A refused send (bad options) keeps the text and the images in the composer; the page
    // hears why.
    let turn = match begin(state, Ask::Text(text, images)) {
        Ok(turn) => turn,
        Err(e) => {
            let host = state.borrow().host.clone();
            dispatch(&host, "rill-error", &chat_error_js(&e, None));
            return;
        }
    };
    {
        let input = state.borrow().ui.input;
        dom::with(|e| {
            e.value(input, "");
            e.style(input, "height", "");
        });
    }
    attach::clear(state);
    let state = state.clone();
    spawn(async move {
        let _ = stream_reply(state, turn).await;
    });
}

/// A started turn: what `begin` set up for `stream_reply`.
struct Turn {
    options: ChatOptions,
    handlers: JsValue,
    bubble: Bubble,
    abort: Abort,
    /// Continuing a cut reply: the text it already had (the request's last message).
    prefix: Option<String>,
    /// `State::clears` when it began.
    clears: u32,
}

/// Validates and records the user turn (or takes back / reopens the last reply) and
/// builds the bubble the reply streams into.
fn begin(state: &Rc<RefCell<State>>, ask: Ask) -> Result<Turn, ChatError> {
    let mut s = state.borrow_mut();
    if s.abort.is_some() {
        return Err(ChatError::config(
            "a reply is still streaming; stop it before sending again",
        ));
    }
    let raw = crate::jsvalue::call(
        &s.get_options,
        &s.host,
        &JsValue::UNDEFINED,
        &JsValue::UNDEFINED,
    )
    .map_err(|_| ChatError::config("reading the element's options failed"))?;
    let options = ChatOptions::from_json(&json_from_js(&raw)?)?;
    let handlers = client::handlers_from(&raw);
    // Extended thinking cannot continue a prefilled answer, so there it is asked for.
    let ask = match ask {
        Ask::Continue if options.thinking_budget.is_some() => {
            Ask::Text(s.strings.get("continuePrompt").to_owned(), Vec::new())
        }
        other => other,
    };
    let (prefix, resumed) = match &ask {
        Ask::Text(text, images) => {
            if let Some(bad) = images.iter().find(|u| url::safe(u, true).is_none()) {
                return Err(ChatError::config(cat(&[
                    "an image must be a data:image/(png|jpeg|gif|webp) or http(s) URL, got '",
                    clip(bad, 40),
                    "'",
                ])));
            }
            let (log, strings) = (s.ui.log, &s.strings);
            let user = dom::with(|e| {
                e.at(log);
                let user = render::user_bubble(e, strings, text, images);
                e.end();
                user
            });
            s.add_user(user);
            render::prune_actions(s.ui.log);
            (None, None)
        }
        _ if !crate::split::loaded() => {
            return Err(ChatError::new(
                ErrorKind::Network,
                "rill-chat could not load the part of itself that regenerates and continues \
                 replies (rill_chat_extra.wasm)",
            ));
        }
        ask => reopen(&mut s, matches!(ask, Ask::Continue))?,
    };
    let bubble = match resumed {
        Some(b) => b,
        None => {
            let log = s.ui.log;
            dom::with(|e| e.at(log));
            let b = Bubble::new(&s);
            dom::with(|e| e.end());
            b
        }
    };
    s.set_last_reply(Some(bubble.body_el));
    // Sending is a clear intent to see the answer: jump to the end, and follow it.
    s.ui.follow.to_end();
    let abort = Abort::new();
    s.abort = Some(abort.clone());
    let (button, stop) = (s.ui.button, s.strings.get("stop"));
    dom::with(|e| e.set_text(button, stop));
    if let Ask::Text(text, images) = ask {
        let mut parts = Vec::new();
        if !text.is_empty() {
            parts.push(ContentPart::Text(text));
        }
        for url in images {
            parts.push(ContentPart::Image(url));
        }
        s.history.push(Message {
            parts,
            ..Message::text(Role::User, "")
        });
    }
    Ok(Turn {
        options,
        handlers,
        bubble,
        abort,
        prefix,
        clears: s.clears,
    })
}

crate::lazy!(
/// Regenerate takes back the last reply; Continue (`continuing`) reopens it to stream the
/// rest after its text, the request's last message (→ that text, and the reopened bubble).
/// Both are rare next to sending, so they wait in the second module.
"ae000000000000000000000000000001" fn reopen(s: &mut State, continuing: bool) -> Result<(Option<String>, Option<Bubble>), ChatError> {
    if !continuing {
        let Some(last_user) = s.history.iter().rposition(|m| m.role == Role::User) else {
            return Err(ChatError::config("there is no message to answer again"));
        };
        s.history.truncate(last_user + 1);
        if let Some(old) = s.last_reply.take() {
            dom::with(|e| e.remove(old));
        }
        render::prune_actions(s.ui.log);
        return Ok((None, None));
    }
    let last = s.history.last_mut().filter(|m| {
        m.role == Role::Assistant && m.tool_calls.is_empty() && !m.joined_text().is_empty()
    });
    let Some(last) = last else {
        return Err(ChatError::config("there is no cut reply to continue"));
    };
    // Anthropic refuses a prefill that ends in whitespace; the model restores it.
    let text = last.joined_text().trim_ascii_end().to_owned();
    last.parts = vec![ContentPart::Text(text.clone())];
    render::prune_actions(s.ui.log);
    let resumed = s.last_reply.and_then(|el| Bubble::resume(s, el, &text));
    Ok((Some(text), resumed))
});

crate::lazy!(
/// The continuation of a cut reply is one message with what it had before (`prefix`).
"ae000000000000000000000000000002" fn continued(last: &mut Message, prefix: &str, rest: &str) -> () {
    let mut text = prefix.to_owned();
    text.push_str(rest);
    last.parts = vec![ContentPart::Text(text)];
});

/// Streams the reply of a started turn into its bubble and records it in the history.
async fn stream_reply(state: Rc<RefCell<State>>, turn: Turn) -> Result<JsValue, JsValue> {
    let Turn {
        options,
        handlers,
        bubble,
        abort,
        prefix,
        clears,
    } = turn;
    // The history is the request loop's while the reply streams (it gives it back either
    // way); nothing reads it meanwhile (`persist::restore_now` and `draw_older_now` wait).
    let (mut messages, host) = {
        let mut s = state.borrow_mut();
        (core::mem::take(&mut s.history), s.host.clone())
    };
    // Each reply tries the second module again if an earlier one could not fetch it.
    crate::split::give_up(false);
    let outcome = {
        let mut on_events = |events: &mut Vec<ChatEvent>, _: &Reply| {
            // An empty batch comes once the second module is linked (`split::want`).
            bubble.catch_up();
            // One rill-delta per batch and run of a kind. The detail is `ChatEvent::to_json`'s
            // for these two kinds, built here: the whole match over every kind stays in the
            // second module with the JS API (−0.8 KB).
            let runs = text_runs(events);
            // Loops rather than map/collect/extend: one adapter type less per line.
            let mut page_events = Vec::new();
            for (reasoning, d) in &runs {
                let kind = if *reasoning { "reasoning" } else { "text" };
                let detail = Json::object(vec![("type", Json::str(kind)), ("delta", Json::str(d))]);
                page_events.push(("rill-delta", js_from_json(&detail)));
            }
            // Emptied in place, in order (the transport reuses the vector's allocation).
            events.reverse();
            while let Some(ev) = events.pop() {
                if let Some(page) = bubble.apply(ev) {
                    page_events.push(page);
                }
            }
            for (name, detail) in page_events {
                dispatch(&host, name, &detail);
            }
        };
        client::converse(
            &options,
            &mut messages,
            true,
            &abort.signal(),
            &handlers,
            &mut on_events,
        )
        .await
    };
    // Drawn over a few tasks when a burst left a backlog; no borrow is held meanwhile.
    bubble.flush().await;
    let mut s = state.borrow_mut();
    s.abort = None;
    let (button, send, body) = (s.ui.button, s.strings.get("send"), bubble.body_el);
    dom::with(|e| {
        e.set_text(button, send);
        e.set_attr(body, "aria-busy", "false");
    });
    let result = match outcome {
        Ok(mut outcome) => {
            if let Some(prefix) = &prefix {
                // One reply in the history and on screen: what was there plus the rest.
                let rest = outcome.tool_loop.messages.pop();
                if let (Some(rest), Some(last)) = (rest, outcome.tool_loop.messages.last_mut()) {
                    continued(last, prefix, &rest.joined_text());
                }
                outcome.reply.text.insert_str(0, prefix);
            }
            bubble.finished(&outcome.reply, &outcome.metrics, true);
            let (live, spoken) = (s.ui.live, bubble.spoken_text());
            dom::with(|e| e.set_text(live, &spoken));
            s.history = outcome.tool_loop.messages;
            super::controls::mark_unread(&mut s);
            Ok(reply_js(&outcome.reply, &outcome.metrics))
        }
        Err(failure) => {
            s.history = messages;
            // What arrived stays in the conversation: the next turn can refer to it.
            let partial = &failure.partial.text;
            match (&prefix, s.history.last_mut()) {
                (Some(prefix), Some(last)) => continued(last, prefix, partial),
                _ if !partial.is_empty() => {
                    s.history
                        .push(Message::text(Role::Assistant, partial.clone()));
                }
                _ => {}
            }
            if failure.error.kind == ErrorKind::Aborted {
                bubble.marker("stopped", false);
            } else {
                bubble.error(&failure.error.message);
            }
            Err(chat_error_js(
                &failure.error,
                Some((&failure.partial, &failure.metrics)),
            ))
        }
    };
    if s.clears != clears {
        // The page cleared the conversation while this reply streamed (which stopped it):
        // its turn went with the rest (what was drawn above went to forgotten nodes).
        s.history.clear();
    }
    drop(s);
    drop(bubble);
    persist::save(&state);
    dom::flush();
    // Listeners run with the element free again: they may send, stop or clear.
    match &result {
        Ok(reply) => dispatch(&host, "rill-message", reply),
        Err(error) => dispatch(&host, "rill-error", error),
    }
    result
}
