// <rill-chat> in Solid's JSX: `import 'rill-chat/solid'` defines the element and brings these
// types. Solid listens with `on:rill-message={…}` (typed below) and sets properties with
// `prop:tools={…}` (or plain attributes for the string ones).
import type { JSX } from 'solid-js';
import type { RillChatElement, RillChatAttributes, RillChatProperties, RillChatEvents } from './index.js';

export * from './index.js';

export type RillChatSolidProps = JSX.HTMLAttributes<RillChatElement> & RillChatAttributes
  & { [K in keyof RillChatProperties as `prop:${K}`]?: RillChatProperties[K] };

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'rill-chat': RillChatSolidProps;
    }
    interface CustomEvents extends RillChatEvents {}
  }
}
