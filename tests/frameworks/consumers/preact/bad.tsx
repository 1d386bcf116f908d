// Must not compile: each line breaks the types once.
import 'rill-chat/preact';
export const a = <rill-chat model={42} />;
export const b = <rill-chat tools="nope" />;
export const c = <rill-chat onrill-message={(e) => e.detail.nonexistent} />;
