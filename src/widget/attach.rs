//! Images waiting in the composer: checked (type, size, count), read into `data:` URLs,
//! shown as removable previews, and sent as image content parts with the next message.

use crate::prelude::*;

use super::chrome::{button, code, open};
use super::State;
use crate::dom::{self, Node};
use crate::markdown::url;
use crate::protocol::data_url;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, FileList};

/// What Anthropic accepts per image (the AI/ML API passes Claude images through).
const DEFAULT_MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
const MAX_IMAGES: usize = 8;
const TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

pub(crate) struct Attachment {
    pub url: String,
    pub(super) preview: Node,
}

/// The page may lower or raise the size limit with the `maxImageBytes` property.
fn max_bytes(s: &State) -> f64 {
    Reflect::get(&s.host, &"maxImageBytes".into())
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|n| *n > 0.0)
        .unwrap_or(DEFAULT_MAX_BYTES)
}

pub(crate) fn add_files(state: &Rc<RefCell<State>>, files: &FileList) {
    set_note(state, "");
    for i in 0..files.length() {
        let Some(file) = files.item(i) else { continue };
        if let Err(problem) = check(state, &file) {
            set_note(state, &problem);
            continue;
        }
        let (state, media_type) = (state.clone(), file.type_());
        spawn_local(async move {
            let read = JsFuture::from(file.array_buffer()).await;
            match read {
                Ok(buffer) => {
                    let bytes = Uint8Array::new(&buffer).to_vec();
                    add_url(&state, data_url(&media_type, &bytes));
                    dom::flush();
                }
                Err(_) => {
                    let note = state
                        .borrow()
                        .strings
                        .fill("imageUnreadable", &[("name", &file.name())]);
                    set_note(&state, &note);
                    dom::flush();
                }
            }
        });
    }
}

fn check(state: &Rc<RefCell<State>>, file: &File) -> Result<(), String> {
    let s = state.borrow();
    let name = file.name();
    if s.attachments.len() >= MAX_IMAGES {
        return Err(s.strings.fill(
            "tooManyImages",
            &[("max", &crate::json::decimal(MAX_IMAGES as u64))],
        ));
    }
    if !TYPES.contains(&file.type_().as_str()) {
        return Err(s.strings.fill("imageType", &[("name", &name)]));
    }
    let max = max_bytes(&s);
    if file.size() > max {
        return Err(s.strings.fill(
            "imageTooLarge",
            &[("name", &name), ("max", &human_size(max))],
        ));
    }
    Ok(())
}

/// 5242880 → "5 MB", 153600 → "150 KB", 100 → "100 B".
fn human_size(bytes: f64) -> String {
    let (value, unit) = if bytes >= 1024.0 * 1024.0 {
        (bytes / (1024.0 * 1024.0), "MB")
    } else if bytes >= 1024.0 {
        (bytes / 1024.0, "KB")
    } else {
        (bytes, "B")
    };
    let mut text = crate::json::fixed(value, 1);
    if text.ends_with(".0") {
        text.truncate(text.len() - 2);
    }
    text.push(' ');
    text.push_str(unit);
    text
}

/// Adds an image by URL (a file just read, or one taken back by Edit) with its preview.
pub(crate) fn add_url(state: &Rc<RefCell<State>>, src: String) {
    let mut s = state.borrow_mut();
    if url::safe(&src, true).is_none() || s.attachments.len() >= MAX_IMAGES {
        return;
    }
    let n = s.attachments.len() + 1;
    let mut label = String::from(s.strings.get("image"));
    label.push(' ');
    crate::json::push_u64(&mut label, n as u64);
    let remove_label = s.strings.fill("removeImage", &[("name", &label)]);
    let previews = s.ui.previews;
    let preview = dom::with(|e| {
        e.at(previews);
        open(e, "div", "attachment", "attachment");
        let item = e.keep();
        open(e, "img", "thumb", "attachment-image");
        e.attr("src", &src);
        e.attr("alt", &label);
        e.close();
        button(
            e,
            "remove",
            "remove-attachment",
            code::REMOVE_IMAGE | (item.0 << 8),
        );
        e.attr("aria-label", &remove_label);
        e.text("×");
        e.close();
        e.close();
        e.end();
        item
    });
    s.attachments.push(Attachment { url: src, preview });
}

/// A preview's × removes that image.
pub(crate) fn remove(state: &Rc<RefCell<State>>, item: Node) {
    let mut s = state.borrow_mut();
    let Some(at) = s.attachments.iter().position(|a| a.preview == item) else {
        return;
    };
    s.attachments.remove(at);
    let input = s.ui.input;
    dom::with(|e| {
        e.remove(item);
        e.focus(input);
    });
}

/// The message was sent: the composer is empty again.
pub(crate) fn clear(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    let note = s.ui.note;
    let previews: Vec<Node> = s.attachments.drain(..).map(|a| a.preview).collect();
    dom::with(|e| {
        for p in previews {
            e.remove(p);
        }
        e.set_text(note, "");
    });
}

fn set_note(state: &Rc<RefCell<State>>, text: &str) {
    let note = state.borrow().ui.note;
    dom::with(|e| e.set_text(note, text));
}
