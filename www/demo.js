// Demo page wiring: loads the package the devserver serves from /pkg, applies the settings
// panel to both chats, and runs the example prompts. Kept in a file (not inline) so the page
// works under a strict CSP.
// Only the element is used: `ready` (the JS API's promise) would also fetch the second module.
import '/pkg/index.js';

const chats = [document.getElementById('chat'), document.getElementById('launcher')];
const [chat, launcher] = chats;
launcher.strings = { title: 'Quick questions' };
const status = document.getElementById('status');
const form = document.getElementById('settings');

/** A tool that runs in this page: the model asks, the browser answers. */
const getTime = {
  name: 'get_time',
  description: 'The current date and time in a time zone.',
  parameters: {
    type: 'object',
    properties: { timezone: { type: 'string', description: 'An IANA time zone such as Europe/Paris or UTC.' } },
    required: ['timezone'],
  },
  handler: ({ timezone }) => new Date().toLocaleString('en-GB', { timeZone: timezone || 'UTC', dateStyle: 'full', timeStyle: 'long' }),
};

const number = (name) => {
  const value = form.elements[name].value.trim();
  return value === '' ? undefined : Number(value);
};

function apply() {
  const f = form.elements;
  const budget = number('thinking');
  const options = {
    endpoint: f.endpoint.value.trim() || '/v1/chat/completions',
    provider: f.provider.value || undefined,
    model: f.model.value.trim() || 'anthropic/claude-sonnet-4',
    apiKey: f.apiKey.value || undefined,
    system: f.system.value.trim() || undefined,
    thinking: budget ? { budgetTokens: budget } : undefined,
    temperature: number('temperature'),
    maxTokens: number('maxTokens'),
    tools: f.tools.checked ? [getTime] : undefined,
  };
  for (const el of chats) {
    Object.assign(el, options);
    el.setAttribute('theme', f.theme.value);
  }
  chat.setAttribute('persist', f.persist.value);
}

form.addEventListener('input', apply);
form.addEventListener('change', apply);
form.addEventListener('submit', (ev) => ev.preventDefault());
apply();

async function imageUrl(path) {
  const blob = await (await fetch(path)).blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

for (const button of document.querySelectorAll('[data-prompt]')) {
  button.addEventListener('click', async () => {
    const { prompt, thinking, tool, image } = button.dataset;
    if (thinking && !number('thinking')) {
      form.elements.thinking.value = thinking;
      apply();
    }
    if (tool && !form.elements.tools.checked) {
      form.elements.tools.checked = true;
      apply();
    }
    const images = image ? [await imageUrl(image)] : undefined;
    chat.send(prompt, { images }).catch(() => { /* the element shows the error itself */ });
  });
}

chat.addEventListener('rill-message', (ev) => {
  const m = ev.detail.metrics;
  const tps = m.tokensPerSecond == null ? '' : `, ${m.tokensPerSecond} tokens/s`;
  status.textContent = `Reply finished: ${ev.detail.usage?.outputTokens ?? '?'} tokens, first token after ${m.ttftMs} ms${tps}.`;
});
chat.addEventListener('rill-error', (ev) => {
  const { kind, message } = ev.detail ?? {};
  status.textContent = kind ? `Error (${kind}): ${message}` : `rill-chat could not load: ${message}`;
});
