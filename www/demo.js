// Demo page wiring: loads the package the devserver serves from /pkg and hooks up the
// example prompts. Kept in a file (not inline) so the page works under a strict CSP.
import { ready } from '/pkg/index.js';

const chat = document.getElementById('chat');
const status = document.getElementById('status');

for (const button of document.querySelectorAll('[data-prompt]')) {
  button.addEventListener('click', () => {
    chat.send(button.dataset.prompt).catch(() => { /* the element shows the error itself */ });
  });
}

chat.addEventListener('rill-message', (ev) => {
  const m = ev.detail.metrics;
  const tps = m.tokensPerSecond == null ? '' : `, ${m.tokensPerSecond} tokens/s`;
  status.textContent = `Reply finished: ${ev.detail.usage?.outputTokens ?? '?'} tokens, first token after ${m.ttftMs} ms${tps}.`;
});
chat.addEventListener('rill-error', (ev) => { status.textContent = `Error (${ev.detail.kind}): ${ev.detail.message}`; });

ready.catch((err) => { status.textContent = `rill-chat could not load: ${err.message}`; });
