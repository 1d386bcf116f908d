// Must not compile: each line breaks the types once.
import 'rill-chat/solid';
export const a = <rill-chat theme="purple" />;
export const b = <rill-chat prop:tools="nope" />;
export const c = <rill-chat on:rill-message={(e) => e.detail.nonexistent} />;
