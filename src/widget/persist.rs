//! `persist="session|local"`: the conversation (messages only — never the options, so
//! never the API key) is kept in Web Storage and drawn again when the element comes back.
//! What is read back is untrusted: it goes through the same checks and renderer as a reply.

use crate::prelude::*;

use super::bubble::Bubble;
use super::{render, State};
use crate::conversation::{Metrics, Reply};
use crate::dom::{self, Measure, Node};
use crate::json::Json;
use crate::protocol::{ContentPart, Message, Role};
use alloc::rc::Rc;
use core::cell::RefCell;

const VERSION: f64 = 1.0;

fn storage(s: &State) -> Option<dom::Store> {
    // Storage can be refused (sandboxed frames, privacy settings): then nothing is kept.
    match dom::attr(&s.host, "persist").as_deref() {
        Some("local") => Some(dom::Store("local")),
        Some("session") => Some(dom::Store("session")),
        _ => None,
    }
}

/// `persist-key`, else the element's id, tells several chats on one site apart.
fn key(s: &State) -> String {
    let name = dom::attr(&s.host, "persist-key")
        .filter(|k| !k.is_empty())
        .or_else(|| dom::attr(&s.host, "id").filter(|id| !id.is_empty()))
        .unwrap_or_else(|| "default".to_owned());
    let mut key = String::from("rill-chat:");
    key.push_str(&name);
    key
}

pub(crate) fn save(state: &Rc<RefCell<State>>) {
    let s = state.borrow();
    let Some(store) = storage(&s) else { return };
    let key = key(&s);
    if s.history.is_empty() {
        store.remove(&key);
        return;
    }
    let doc = |messages: &[Message]| {
        Json::object(vec![
            ("v", Json::Num(VERSION)),
            (
                "messages",
                Json::Arr({
                    let mut all = Vec::new();
                    for m in messages {
                        all.push(m.to_json());
                    }
                    all
                }),
            ),
        ])
        .text()
    };
    // Over the quota (images are large): keep the words, drop the pictures. That is done
    // by the second module (a rare path: once it is there, this saves again).
    if !store.set(&key, &doc(&s.history)) {
        if crate::split::loaded() {
            store.set(&key, &doc(&words_only(&s.history)));
        } else {
            drop(s);
            super::with_extra(state, save);
        }
    }
}

crate::lazy!("a2000000000000000000000000000004" fn words_only(history: &[Message]) -> Vec<Message> {
    history
        .iter()
        .map(|m| Message {
            parts: m
                .parts
                .iter()
                .filter(|p| matches!(p, ContentPart::Text(_)))
                .cloned()
                .collect(),
            ..m.clone()
        })
        .collect()
});

/// Messages drawn at once when a stored conversation comes back (whole turns, so a few
/// more). Older ones are drawn above them, `SLICE` at a time, when the reader scrolls near
/// the top: drawing 10,000 messages at once held the page for ~2.5 s, and every later change
/// above them costs a layout of all of them.
const FIRST_DRAW: usize = 100;
const SLICE: usize = 100;

/// How many of the oldest messages of `history` a restored conversation has not drawn yet.
/// (They stay in place there: new turns are appended and edits cut only drawn ones.)
pub(crate) struct Older {
    end: usize,
}

/// Reads the stored conversation, if any, into the history and the log. Anything that does
/// not read back as valid messages is discarded rather than half shown. Reading it back is in
/// the second module (`split.rs`), fetched only when something is stored: a first visit
/// pays nothing for it.
pub(crate) fn restore(state: &Rc<RefCell<State>>) {
    let text = {
        let s = state.borrow();
        let Some(store) = storage(&s) else { return };
        let Some(text) = store.get(&key(&s)) else {
            return;
        };
        text
    };
    if crate::split::loaded() {
        restore_now(state, &text);
        return;
    }
    super::with_extra(state, move |state| restore_now(state, &text));
}

crate::lazy!("a2000000000000000000000000000002" fn restore_now(state: &Rc<RefCell<State>>, text: &str) -> () {
    let Some(messages) = read(text) else {
        let s = state.borrow();
        if let Some(store) = storage(&s) {
            store.remove(&key(&s));
        }
        return;
    };
    let split = turn_start(&messages, messages.len().saturating_sub(FIRST_DRAW));
    let mut s = state.borrow_mut();
    if !s.history.is_empty() || s.abort.is_some() {
        // A turn began while the module loaded: it is the conversation now (while it
        // streams, the history is the request loop's, so `abort` tells).
        return;
    }
    let log = s.ui.log;
    dom::with(|e| e.at(log));
    let (users, last_reply) = draw(&s, &messages[split..], true);
    dom::with(|e| e.end());
    s.users = users;
    s.set_last_reply(last_reply);
    s.older = (split > 0).then_some(Older { end: split });
    s.history = messages;
    s.ui.follow.to_end();
});

/// On scrolling: within a screen of the top, the next older turns are drawn above. Where the
/// reader was stays in place (scroll anchoring does it, except at the very top, where it does
/// not apply and the log is moved by what was added).
pub(crate) fn draw_older_near_top(state: &Rc<RefCell<State>>) {
    // Older turns are there only when a conversation was restored, by the second module.
    if crate::split::loaded() && state.try_borrow().is_ok_and(|s| s.older.is_some()) {
        draw_older_now(state);
    }
}

crate::lazy!("a2000000000000000000000000000003" fn draw_older_now(state: &Rc<RefCell<State>>) -> () {
    let Ok(mut s) = state.try_borrow_mut() else {
        return;
    };
    let log = s.ui.log;
    // While a reply streams the history is the request loop's: the next scroll draws.
    if s.abort.is_some() {
        return;
    }
    let Some(older) = s.older.take() else {
        return;
    };
    let (top, client) = (
        dom::number(log, Measure::ScrollTop),
        dom::number(log, Measure::ClientHeight),
    );
    if top > client || client == 0 {
        s.older = Some(older);
        return;
    }
    let end = older.end.min(s.history.len());
    if end == 0 {
        return;
    }
    let start = turn_start(&s.history[..end], end.saturating_sub(SLICE));
    let height = dom::number(log, Measure::ScrollHeight);
    dom::with(|e| e.first(log));
    let (users, _) = draw(&s, &s.history[start..end], false);
    dom::with(|e| e.end());
    s.users.splice(0..0, users);
    if dom::number(log, Measure::ScrollTop) == top {
        let grown = dom::number(log, Measure::ScrollHeight) - height;
        dom::with(|e| e.scroll(log, top + grown));
    }
    if start > 0 {
        s.older = Some(Older { end: start });
    }
});

/// Where the turn holding message `i` starts: its user message (turns are drawn whole, so a
/// reply's tool rounds stay in one bubble).
fn turn_start(messages: &[Message], i: usize) -> usize {
    (0..=i.min(messages.len().saturating_sub(1)))
        .rev()
        .find(|&j| messages[j].role == Role::User)
        .unwrap_or(0)
}

fn read(text: &str) -> Option<Vec<Message>> {
    let doc = Json::parse(text).ok()?;
    if doc.get("v").and_then(Json::as_f64) != Some(VERSION) {
        return None;
    }
    doc.get("messages")?
        .as_array()?
        .iter()
        .map(|m| Message::from_json(m).ok())
        .collect()
}

/// One bubble per user message, and one per answer (an assistant turn with the tool rounds
/// that led to it), put into the element on top of the edit stack. Returns the user bubbles'
/// handles and, when `newest` (these are the last turns) and a reply ends them, that reply's.
fn draw(s: &State, messages: &[Message], newest: bool) -> (Vec<Node>, Option<Node>) {
    let mut users = Vec::new();
    let mut reply: Option<Bubble> = None;
    let finish = |reply: &mut Option<Bubble>, last: bool| -> Option<Node> {
        let bubble = reply.take()?;
        bubble.draw_rest();
        bubble.finished(&Reply::default(), &Metrics::default(), last);
        let node = bubble.body_el;
        if !last {
            dom::with(|e| e.forget(node));
        }
        last.then_some(node)
    };
    for (i, m) in messages.iter().enumerate() {
        match m.role {
            Role::User => {
                finish(&mut reply, false);
                let images: Vec<String> = m
                    .parts
                    .iter()
                    .filter_map(|p| match p {
                        ContentPart::Image(url) => Some(url.clone()),
                        ContentPart::Text(_) => None,
                    })
                    .collect();
                let text = m.joined_text();
                users.push(dom::with(|e| {
                    render::user_bubble(e, &s.strings, &text, &images)
                }));
            }
            Role::Assistant => {
                let bubble = reply.get_or_insert_with(|| Bubble::new(s));
                bubble.push_text(&m.joined_text());
                for call in &m.tool_calls {
                    let result = messages[i + 1..]
                        .iter()
                        .take_while(|r| r.role == Role::Tool)
                        .find(|r| r.tool_call_id.as_deref() == Some(&call.id))
                        .map(|r| (r.joined_text(), r.is_error));
                    let result = result.as_ref().map(|(t, e)| (t.as_str(), *e));
                    bubble.restored_call(call, result);
                }
            }
            Role::Tool | Role::System => {}
        }
    }
    let last = finish(&mut reply, newest);
    (users, last)
}
