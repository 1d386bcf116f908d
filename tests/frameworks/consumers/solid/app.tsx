// A strict Solid consumer: attributes, `prop:` properties and typed `on:` listeners.
import { render } from 'solid-js/web';
import { createSignal } from 'solid-js';
import 'rill-chat/solid';
import type { ChatReply, ToolDefinition } from 'rill-chat/solid';

function App() {
  const [last, setLast] = createSignal<ChatReply | null>(null);
  const tools: ToolDefinition[] = [{ name: 'get_time', handler: () => new Date().toISOString() }];
  return (
    <main>
      <rill-chat endpoint="/v1/chat/completions" model="gpt-4o" theme="dark" prop:tools={tools}
        prop:strings={{ send: 'Senden' }} on:rill-message={(e) => setLast(e.detail)}
        on:rill-error={(e) => console.log(e.detail.kind)} />
      <p>{last()?.text ?? ''}</p>
    </main>
  );
}
render(() => <App />, document.body);
