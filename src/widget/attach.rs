//! Images waiting in the composer: checked (type, size, count), read into `data:` URLs,
//! shown as removable previews, and sent as image content parts with the next message.

use crate::prelude::*;

use super::chrome::{button, code, open};
use super::State;
use crate::dom::{self, Node};
use crate::jsvalue::{bytes, count, file_bytes, get, item, list, push};
use crate::markdown::url;
use crate::protocol::data_url;
use crate::task::{spawn, wait};
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::JsValue;

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
    get(&s.host, "maxImageBytes")
        .as_f64()
        .filter(|n| *n > 0.0)
        .unwrap_or(DEFAULT_MAX_BYTES)
}

/// Files dropped, pasted or picked. Reading them is in the second module (`split.rs`),
/// loaded on the first attachment; the list is copied first, since a drop's `FileList` may
/// be emptied once its event is over.
pub(crate) fn add_files(state: &Rc<RefCell<State>>, files: &JsValue) {
    if crate::split::loaded() {
        add_files_now(state, files);
        return;
    }
    let copy = list();
    for i in 0..count(files) {
        push(&copy, &item(files, i));
    }
    super::with_extra(state, move |state| add_files_now(state, &copy));
}

crate::lazy!("a3000000000000000000000000000001" fn add_files_now(state: &Rc<RefCell<State>>, files: &JsValue) -> () {
    set_note(state, "");
    for i in 0..count(files) {
        let file = item(files, i);
        if let Err(problem) = check(state, &file) {
            set_note(state, &problem);
            continue;
        }
        let (state, media_type) = (state.clone(), text_of(&file, "type"));
        spawn(async move {
            let read = wait(&file_bytes(&file)).await;
            match read {
                Ok(buffer) => {
                    let bytes = bytes(&buffer);
                    add_url_now(&state, &data_url(&media_type, &bytes));
                    dom::flush();
                }
                Err(_) => {
                    let note = state
                        .borrow()
                        .strings
                        .fill("imageUnreadable", &[("name", &text_of(&file, "name"))]);
                    set_note(&state, &note);
                    dom::flush();
                }
            }
        });
    }
});

/// A string property of a `File` (`name`, `type`), empty when absent.
fn text_of(file: &JsValue, key: &str) -> String {
    get(file, key).as_string().unwrap_or_default()
}

fn check(state: &Rc<RefCell<State>>, file: &JsValue) -> Result<(), String> {
    let s = state.borrow();
    let name = text_of(file, "name");
    if s.attachments.len() >= MAX_IMAGES {
        return Err(s.strings.fill(
            "tooManyImages",
            &[("max", &crate::json::decimal(MAX_IMAGES as u64))],
        ));
    }
    if !TYPES.contains(&text_of(file, "type").as_str()) {
        return Err(s.strings.fill("imageType", &[("name", &name)]));
    }
    let max = max_bytes(&s);
    if get(file, "size").as_f64().unwrap_or(0.0) > max {
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
    super::with_extra(state, move |state| add_url_now(state, &src));
}

crate::lazy!("a3000000000000000000000000000002" fn add_url_now(state: &Rc<RefCell<State>>, src: &str) -> () {
    let mut s = state.borrow_mut();
    if url::safe(src, true).is_none() || s.attachments.len() >= MAX_IMAGES {
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
        e.attr("src", src);
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
    s.attachments.push(Attachment { url: src.to_owned(), preview });
});

/// A preview's × removes that image (there are previews only once the second module drew
/// them).
pub(crate) fn remove(state: &Rc<RefCell<State>>, item: Node) {
    if crate::split::loaded() {
        remove_now(state, item);
    }
}

crate::lazy!("a3000000000000000000000000000003" fn remove_now(state: &Rc<RefCell<State>>, item: Node) -> () {
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
});

/// The message was sent: the composer is empty again.
pub(crate) fn clear(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    let note = s.ui.note;
    let attachments = core::mem::take(&mut s.attachments);
    dom::with(|e| {
        for a in &attachments {
            e.remove(a.preview);
        }
        e.set_text(note, "");
    });
}

fn set_note(state: &Rc<RefCell<State>>, text: &str) {
    let note = state.borrow().ui.note;
    dom::with(|e| e.set_text(note, text));
}
