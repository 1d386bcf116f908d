// <rill-chat> in a React 19 app. `import 'rill-chat/react'` defines the element and types it in
// JSX: attributes, properties (tools, strings: React 19 sets them as properties) and the
// `onrill-*` handlers with a typed `detail`. Fresh props on every render reset nothing.
import { useState } from 'react';
import 'rill-chat/react';
import type { ChatReply, ToolDefinition } from 'rill-chat/react';

export function App() {
  const [last, setLast] = useState<ChatReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tools: ToolDefinition[] = [{
    name: 'get_time',
    description: 'The current date and time in UTC',
    parameters: { type: 'object', properties: {} },
    handler: () => new Date().toISOString(),
  }];
  return (
    <main>
      <h1>rill-chat in React</h1>
      <rill-chat
        endpoint="/v1/chat/completions"
        model="anthropic/claude-sonnet-4"
        theme="auto"
        persist="session"
        tools={tools}
        strings={{ placeholder: 'Ask me anything…' }}
        onrill-message={(e) => { setLast(e.detail); setError(null); }}
        onrill-error={(e) => setError(`${e.detail.kind}: ${e.detail.message}`)}
      />
      <p role="status">
        {error ?? (last ? `Last reply: ${last.usage?.outputTokens ?? '?'} tokens, ${last.finishReason}` : 'No reply yet')}
      </p>
    </main>
  );
}
