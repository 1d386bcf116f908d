// <rill-chat> in Preact's JSX: `import 'rill-chat/preact'` defines the element and brings
// these types. Preact sets a prop as a property when the element has it, and `onrill-message`
// listens to `rill-message`.
import type { JSX } from 'preact';
import type { RillChatElement, RillChatAttributes, RillChatProperties, RillChatEventHandlers } from './index.js';

export * from './index.js';

export type RillChatPreactProps = JSX.HTMLAttributes<RillChatElement> & RillChatAttributes & RillChatProperties & RillChatEventHandlers;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'rill-chat': RillChatPreactProps;
    }
  }
}
