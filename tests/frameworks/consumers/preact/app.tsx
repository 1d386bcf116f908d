// A strict Preact consumer: <rill-chat> with attributes, properties and typed handlers.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import 'rill-chat/preact';
import type { ChatReply, ToolDefinition } from 'rill-chat/preact';

function App() {
  const [last, setLast] = useState<ChatReply | null>(null);
  const tools: ToolDefinition[] = [{ name: 'get_time', handler: () => new Date().toISOString() }];
  return (
    <main>
      <rill-chat endpoint="/v1/chat/completions" model="gpt-4o" mode="launcher" tools={tools}
        strings={{ send: 'Senden' }} onrill-message={(e) => setLast(e.detail)}
        onrill-delta={(e) => console.log(e.detail.delta.length)} onrill-usage={(e) => console.log(e.detail.totalTokens)} />
      <p>{last?.text ?? ''}</p>
    </main>
  );
}
render(<App />, document.body);
