//! Images waiting in the composer: checked (type, size, count), read into `data:` URLs,
//! shown as removable previews, and sent as image content parts with the next message.

use crate::prelude::*;

use super::chrome::button;
use super::{element, State};
use crate::markdown::url;
use crate::protocol::data_url;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, Event, File, FileList};

/// What Anthropic accepts per image (the AI/ML API passes Claude images through).
const DEFAULT_MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
const MAX_IMAGES: usize = 8;
const TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

pub(crate) struct Attachment {
    pub url: String,
    preview: Element,
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
                }
                Err(_) => {
                    let note = state
                        .borrow()
                        .strings
                        .fill("imageUnreadable", &[("name", &file.name())]);
                    set_note(&state, &note);
                }
            }
        });
    }
}

fn check(state: &Rc<RefCell<State>>, file: &File) -> Result<(), String> {
    let s = state.borrow();
    let name = file.name();
    if s.attachments.len() >= MAX_IMAGES {
        return Err(s
            .strings
            .fill("tooManyImages", &[("max", &MAX_IMAGES.to_string())]));
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
    let text = crate::json::fixed(value, 1);
    format!("{} {unit}", text.trim_end_matches(".0"))
}

/// Adds an image by URL (a file just read, or one taken back by Edit) with its preview.
pub(crate) fn add_url(state: &Rc<RefCell<State>>, src: String) {
    let mut s = state.borrow_mut();
    if url::safe(&src, true).is_none() || s.attachments.len() >= MAX_IMAGES {
        return;
    }
    let build = || -> Result<Element, JsValue> {
        let n = s.attachments.len() + 1;
        let item = element(&s.doc, "div", "attachment", "attachment")?;
        let img = element(&s.doc, "img", "thumb", "attachment-image")?;
        img.set_attribute("src", &src)?;
        let label = format!("{} {n}", s.strings.get("image"));
        img.set_attribute("alt", &label)?;
        let remove = button(&s.doc, "remove", "remove-attachment")?;
        remove.set_attribute(
            "aria-label",
            &s.strings.fill("removeImage", &[("name", &label)]),
        )?;
        remove.set_text_content(Some("×"));
        item.append_with_node_2(&img, &remove)?;
        s.ui.previews.append_child(&item)?;
        Ok(item)
    };
    if let Ok(preview) = build() {
        s.attachments.push(Attachment { url: src, preview });
    }
}

/// A click on a preview's × removes that image.
pub(crate) fn on_remove_click(state: &Rc<RefCell<State>>, ev: &Event) {
    let item = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|t| t.closest("button.remove").ok().flatten().is_some())
        .and_then(|t| t.closest(".attachment").ok().flatten());
    let Some(item) = item else { return };
    let mut s = state.borrow_mut();
    s.attachments
        .retain(|a| !a.preview.is_same_node(Some(&item)));
    item.remove();
    let _ = s.ui.input.focus();
}

/// The message was sent: the composer is empty again.
pub(crate) fn clear(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    for a in s.attachments.drain(..) {
        a.preview.remove();
    }
    s.ui.note.set_text_content(None);
}

fn set_note(state: &Rc<RefCell<State>>, text: &str) {
    let s = state.borrow();
    s.ui.note
        .set_text_content(if text.is_empty() { None } else { Some(text) });
}
