// <rill-chat> in Svelte 5 (checked by svelte-check): `import 'rill-chat/svelte'` defines the
// element and brings these types. Svelte sets a prop as a property when the element has it,
// and `onrill-message={…}` listens to `rill-message`.
import type { HTMLAttributes } from 'svelte/elements';
import type { RillChatElement, RillChatAttributes, RillChatProperties, RillChatEventHandlers } from './index.js';

export * from './index.js';

export type RillChatSvelteProps = HTMLAttributes<RillChatElement> & RillChatAttributes & RillChatProperties & RillChatEventHandlers;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'rill-chat': RillChatSvelteProps;
  }
}
