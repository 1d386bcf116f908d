// A parent that re-renders every 4 ms with fresh props: a new `tools` array (its description
// changes each time), a new `strings` object, new handler closures. The element must not
// reset its conversation, abort a reply, or fire an event twice.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'rill-chat/react';
import type { ToolDefinition } from 'rill-chat/react';

const seen = { renders: 0, messages: 0, deltas: 0, errors: [] as string[] };
(window as unknown as { __seen: typeof seen }).__seen = seen;

function App() {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), 4);
    return () => clearInterval(id);
  }, []);
  seen.renders += 1;
  const tools: ToolDefinition[] = [{ name: 'get_time', description: `render ${tick}`, parameters: { type: 'object', properties: {} }, handler: () => 'noon' }];
  return (
    <div data-tick={tick}>
      <rill-chat id="chat" endpoint="/v1/chat/completions" model="gpt-4o" tools={tools}
        strings={{ placeholder: 'Ask anything' }}
        onrill-message={() => { seen.messages += 1; }}
        onrill-delta={() => { seen.deltas += 1; }}
        onrill-error={(e) => { seen.errors.push(e.detail.kind); }} />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
