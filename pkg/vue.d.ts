// <rill-chat> in Vue 3 templates (type-checked by vue-tsc): `import 'rill-chat/vue'` defines the
// element and brings these types. Tell Vue's compiler it is a custom element:
// `compilerOptions.isCustomElement: (tag) => tag === 'rill-chat'` (see examples/vue-vite);
// Vue then sets the element's properties (`:tools`, `:strings`) and `@rill-message` listens.
import type { DefineComponent } from 'vue';
import type { RillChatAttributes, RillChatProperties, RillChatEvents } from './index.js';

export * from './index.js';

type Emits = { [K in keyof RillChatEvents]: (event: RillChatEvents[K]) => void };

/** The component Vue's type checker sees for `<rill-chat>`. */
export type RillChatVueComponent = DefineComponent<RillChatAttributes & RillChatProperties, {}, {}, {}, {}, {}, {}, Emits>;

declare module 'vue' {
  interface GlobalComponents {
    'rill-chat': RillChatVueComponent;
  }
}
