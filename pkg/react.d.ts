// <rill-chat> in React 19's JSX: `import 'rill-chat/react'` defines the element (it is the
// package's entry) and brings these types. React 19 sets a custom element's properties when
// the element has them (tools, strings, headers, …) and attaches `onrill-message` & co. as
// listeners of the `rill-message` event.
import type * as React from 'react';
import type { RillChatElement, RillChatAttributes, RillChatProperties, RillChatEventHandlers } from './index.js';

export * from './index.js';

/** The props `<rill-chat>` takes in React. */
export type RillChatReactProps = React.DetailedHTMLProps<React.HTMLAttributes<RillChatElement>, RillChatElement>
  & RillChatAttributes & RillChatProperties & RillChatEventHandlers;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'rill-chat': RillChatReactProps;
    }
  }
}
