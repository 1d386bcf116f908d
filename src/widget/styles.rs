//! The element's stylesheet, adopted into the shadow root through a constructable
//! stylesheet so it works under `style-src 'self'` (no `<style>`, no `style=""`).
//! Every colour and size is a `--rill-*` custom property the page can override.

pub const CSS: &str = r#"
:host {
  --rill-bg: #ffffff; --rill-fg: #1c1f24; --rill-muted: #5f6670; --rill-border: #d9dde3;
  --rill-user-bg: #eef3ff; --rill-assistant-bg: #f6f7f9; --rill-accent: #2f5bd3;
  --rill-accent-fg: #ffffff; --rill-error-bg: #fdeceb; --rill-error-fg: #8a1c12;
  --rill-radius: 12px; --rill-font: system-ui, -apple-system, "Segoe UI", sans-serif;
  --rill-height: 480px;
  display: block; color: var(--rill-fg); font: 15px/1.5 var(--rill-font);
}
/* theme="auto" (the default) follows the system; theme="light" / "dark" force one. */
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) {
  --rill-bg: #16181c; --rill-fg: #e7e9ec; --rill-muted: #a0a7b1; --rill-border: #343841;
  --rill-user-bg: #223056; --rill-assistant-bg: #1f2227; --rill-accent: #7c9cff;
  --rill-accent-fg: #0b1020; --rill-error-bg: #3a1714; --rill-error-fg: #ffb4a9;
  }
}
:host([theme="dark"]) {
  --rill-bg: #16181c; --rill-fg: #e7e9ec; --rill-muted: #a0a7b1; --rill-border: #343841;
  --rill-user-bg: #223056; --rill-assistant-bg: #1f2227; --rill-accent: #7c9cff;
  --rill-accent-fg: #0b1020; --rill-error-bg: #3a1714; --rill-error-fg: #ffb4a9;
}
.frame { position: relative; display: flex; flex-direction: column; height: var(--rill-height);
  background: var(--rill-bg); border: 1px solid var(--rill-border); border-radius: var(--rill-radius);
  overflow: hidden; box-sizing: border-box; }
.header { display: flex; align-items: center; gap: 8px; padding: 6px 8px 6px 14px;
  border-bottom: 1px solid var(--rill-border); }
.title { flex: 1; font-weight: 600; font-size: 0.95em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tool-button { font-size: 0.8rem; padding: 4px 10px; background: transparent; color: var(--rill-muted);
  border: 1px solid var(--rill-border); }
.close { display: none; }
.log-wrap { position: relative; flex: 1; min-height: 0; display: flex; }
.log { flex: 1; overflow-y: auto; overflow-x: hidden; padding: 16px; display: flex; flex-direction: column; gap: 12px; }
.jump { position: absolute; bottom: 10px; left: 50%; transform: translateX(-50%); padding: 6px 14px;
  border-radius: 999px; font-size: 0.85rem; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2); }
[hidden] { display: none !important; }
.empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; padding: 24px;
  text-align: center; color: var(--rill-muted); pointer-events: none; }
.log:not(:empty) ~ .empty { display: none; }
.msg { max-width: 85%; padding: 8px 12px; border-radius: var(--rill-radius); white-space: pre-wrap;
  overflow-wrap: anywhere; min-width: 0; }
.msg.user { align-self: flex-end; background: var(--rill-user-bg); }
/* A reply takes the full width it may: a fit-content bubble would measure its whole text on every frame. */
.msg.assistant { align-self: stretch; background: var(--rill-assistant-bg); white-space: normal; }
.images { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 4px; }
.msg .thumb { max-width: 160px; max-height: 160px; border-radius: 8px; display: block; }
.markdown > :first-child, .markdown .tail > :first-child { margin-top: 0; }
.markdown p, .markdown ul, .markdown ol, .markdown blockquote, .markdown pre, .markdown .table { margin: 0 0 0.6em; }
.markdown h1, .markdown h2, .markdown h3, .markdown h4, .markdown h5, .markdown h6 { margin: 0.8em 0 0.4em; line-height: 1.25; }
.markdown h1 { font-size: 1.35em; } .markdown h2 { font-size: 1.2em; } .markdown h3 { font-size: 1.08em; }
.markdown h4, .markdown h5, .markdown h6 { font-size: 1em; }
.markdown ul, .markdown ol { padding-inline-start: 1.4em; }
code, pre { font: 0.9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.markdown code { background: rgba(127, 127, 127, 0.15); border-radius: 4px; padding: 0.1em 0.3em; }
.markdown pre, .tool pre { overflow-x: auto; padding: 10px 12px; border-radius: 8px; background: rgba(127, 127, 127, 0.12); }
.markdown pre code { background: none; padding: 0; white-space: pre; font-size: 1em; }
.markdown blockquote { padding-inline-start: 0.8em; border-inline-start: 3px solid var(--rill-border); color: var(--rill-muted); }
.markdown .table { overflow-x: auto; }
.markdown table { border-collapse: collapse; }
.markdown th, .markdown td { border: 1px solid var(--rill-border); padding: 4px 8px; text-align: start; }
.markdown [data-align="center"] { text-align: center; } .markdown [data-align="right"] { text-align: end; }
.markdown a { color: var(--rill-accent); }
.markdown img { max-width: 100%; }
.markdown hr { border: 0; border-top: 1px solid var(--rill-border); }
.msg.assistant[aria-busy="true"] .tail:first-child:empty::after { content: "…"; color: var(--rill-muted); display: inline-block; }
.reasoning { color: var(--rill-muted); font-size: 0.9em; margin-bottom: 6px; }
.reasoning summary, .tool summary { cursor: pointer; }
.reasoning-text { white-space: pre-wrap; padding: 4px 0 0 12px; border-inline-start: 2px solid var(--rill-border); }
.tools { display: flex; flex-direction: column; gap: 6px; margin-bottom: 8px; }
.tool { border: 1px solid var(--rill-border); border-radius: 8px; padding: 6px 10px; font-size: 0.88em; }
.tool-name { font: 600 0.95em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tool-status { margin-inline-start: 8px; color: var(--rill-muted); }
.tool[data-state="failed"] .tool-status { color: var(--rill-error-fg); }
.tool-label { color: var(--rill-muted); font-size: 0.85em; margin-top: 6px; }
.tool pre { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.tool-about:not(:empty) { margin-inline-start: 8px; }
.tool-about:not(:empty)::before { content: "\201C"; } .tool-about:not(:empty)::after { content: "\201D"; }
.tool-sources, .citation-list { margin: 4px 0 0; padding-inline-start: 20px; overflow-wrap: anywhere; }
.citations { margin-top: 8px; font-size: 0.85em; }
.citations-label { color: var(--rill-muted); }
.msg.declined .marker { font-style: normal; font-weight: 600; color: var(--rill-error-fg); }
.msg.declined .body { color: var(--rill-muted); }
.meta, .marker { color: var(--rill-muted); font-size: 0.8em; margin-top: 6px; }
.marker { font-style: italic; }
:host([hide-metrics]) .numbers { display: none; }
.code { margin: 0 0 0.6em; border-radius: 8px; background: rgba(127, 127, 127, 0.12); }
.code-head { display: flex; justify-content: space-between; align-items: center; padding: 4px 6px 0 12px;
  color: var(--rill-muted); font-size: 0.75rem; }
.markdown .code pre { margin: 0; background: none; padding-top: 4px; }
.copy { font-size: 0.75rem; padding: 2px 8px; border-radius: 6px; background: transparent;
  color: var(--rill-muted); border: 1px solid var(--rill-border); }
.meta .copy, .marker .copy { margin-inline-start: 8px; font-style: normal; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.log:focus-visible, pre:focus-visible { outline: 2px solid var(--rill-accent); outline-offset: -2px; }
.msg.user .edit { display: block; margin: 4px 0 0 auto; }
.retry { margin-inline-start: 8px; padding: 2px 10px; font-size: 0.85em; }
.error { margin-top: 6px; padding: 6px 10px; border-radius: 8px; background: var(--rill-error-bg);
  color: var(--rill-error-fg); white-space: normal; }
.composer { padding: 10px 12px 12px; border-top: 1px solid var(--rill-border); }
.note { color: var(--rill-error-fg); font-size: 0.85em; }
.note:not(:empty) { margin-bottom: 6px; }
.previews { display: flex; flex-wrap: wrap; gap: 8px; }
.previews:not(:empty) { margin-bottom: 8px; }
.attachment { position: relative; }
.attachment .thumb { width: 56px; height: 56px; object-fit: cover; border-radius: 8px; display: block;
  border: 1px solid var(--rill-border); }
.attachment .remove { position: absolute; top: -6px; inset-inline-end: -6px; width: 22px; height: 22px; padding: 0;
  border-radius: 50%; font-size: 14px; line-height: 1; }
.row { display: flex; gap: 8px; align-items: flex-end; }
.attach { width: 40px; height: 40px; padding: 0; flex: none; font-size: 22px; line-height: 1; background: transparent;
  color: var(--rill-fg); border: 1px solid var(--rill-border); }
textarea { flex: 1; min-width: 0; resize: none; min-height: 40px; max-height: 160px; padding: 8px 10px; font: inherit;
  color: inherit; background: transparent; border: 1px solid var(--rill-border); border-radius: 8px; box-sizing: border-box; }
.send { height: 40px; flex: none; }
.frame.dragging { outline: 2px dashed var(--rill-accent); outline-offset: -4px; }
.frame.dragging::after { content: attr(data-drop-hint); position: absolute; inset: 0; display: flex;
  align-items: center; justify-content: center; background: var(--rill-bg); opacity: 0.92;
  color: var(--rill-accent); font-weight: 600; pointer-events: none; }
button { font: inherit; padding: 0 16px; border: 0; border-radius: 8px; cursor: pointer;
  background: var(--rill-accent); color: var(--rill-accent-fg); }
button:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 2px solid var(--rill-accent); outline-offset: 2px; }
/* mode="launcher": a floating button opens the chat as a panel over the page. */
.launcher { display: none; }
:host([mode="launcher"]) .launcher { display: flex; align-items: center; justify-content: center; position: fixed;
  inset-block-end: 20px; inset-inline-end: 20px; width: 56px; height: 56px; padding: 0; border-radius: 50%;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); z-index: 2147483000; }
.dot { position: absolute; top: 4px; inset-inline-end: 4px; width: 12px; height: 12px; border-radius: 50%;
  background: #e5484d; border: 2px solid var(--rill-bg); }
:host([mode="launcher"]) .frame { position: fixed; inset-block-end: 88px; inset-inline-end: 20px; z-index: 2147483000;
  width: min(400px, calc(100vw - 24px)); height: min(var(--rill-height), calc(100vh - 108px));
  box-shadow: 0 8px 30px rgba(0, 0, 0, 0.25); }
:host([mode="launcher"]:not([open])) .frame { display: none; }
:host([mode="launcher"]) .close { display: inline-block; }
@media (max-width: 440px) {
  :host([mode="launcher"]) .frame { inset-inline-end: 12px; }
  :host([mode="launcher"]) .launcher { inset-inline-end: 12px; }
}
/* Motion only for those who have not asked for less. */
@media (prefers-reduced-motion: no-preference) {
  .msg.assistant[aria-busy="true"] .tail:first-child:empty::after { animation: rill-pulse 1.2s ease-in-out infinite; }
  :host([mode="launcher"][open]) .frame { animation: rill-rise 160ms ease-out; }
  .jump { transition: opacity 120ms; }
}
@keyframes rill-pulse { 50% { opacity: 0.3; } }
@keyframes rill-rise { from { opacity: 0; transform: translateY(12px); } }
"#;
