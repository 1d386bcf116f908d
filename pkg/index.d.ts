// Types for rill-chat's public API (hand-written; the wasm glue's own types are internal).

/** Resolves once the wasm is instantiated, with the second module that has the JS API's own
 *  code (awaiting it fetches that one; `<rill-chat>` does not need it); rejects if either
 *  cannot be loaded. `SseParser`, `ReplyDecoder` and `renderMarkdown` used before it throw
 *  a ChatError of kind 'config'; `ChatClient` awaits it itself. */
export const ready: Promise<void>;

export type Provider = 'openai' | 'anthropic';
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';
export type ErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'stream' | 'incomplete' | 'parse' | 'config';

export type ContentPart =
  | { type: 'text'; text: string }
  /** `url` may be `https:` or a `data:image/…;base64,` URL (converted per provider). */
  | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ContentPart[] | null;
  /** Assistant turns that called tools. */
  tool_calls?: {
    id: string; type: 'function'; function: { name: string; arguments: string };
    /** What the provider attached to the call and wants back (Gemini's thought signature). */
    extra_content?: Record<string, unknown>;
  }[];
  /** Tool turns: the id of the call this answers. */
  tool_call_id?: string;
  is_error?: boolean;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments; default `{type: 'object', properties: {}}`. */
  parameters?: Record<string, unknown>;
  /** Called with the parsed arguments; its result (string, or JSON-serialised) goes back to
   *  the model. A throw or rejection is reported to the model as a failed tool. */
  handler?: (args: any, call: { id: string; name: string }) => unknown | Promise<unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatClientOptions {
  /** e.g. https://api.aimlapi.com/v1/chat/completions, …/v1/messages, or your proxy. */
  endpoint: string;
  /** Default: inferred from the endpoint path (…/messages → 'anthropic'). */
  provider?: Provider;
  /** Sent from the browser: anyone who can open the page can read it. Prefer a proxy. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** e.g. 'anthropic/claude-sonnet-4', 'claude-3-7-sonnet-20250219', 'gpt-4o'. */
  model: string;
  maxTokens?: number;
  /** 0–1 for Claude models, 0–2 otherwise. */
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string | string[];
  frequencyPenalty?: number;
  system?: string;
  metadata?: Record<string, string>;
  /** Extended thinking; `budgetTokens` ≥ 1024 and below `maxTokens` (default maxTokens: budget + 4096). */
  thinking?: { budgetTokens: number };
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** How chat-completions requests write tools: OpenAI functions (default) or Anthropic `input_schema`. */
  toolFormat?: 'openai' | 'anthropic';
  /** Ask chat-completions servers for a usage chunk (`stream_options.include_usage`); default true. */
  includeUsage?: boolean;
  /** Request → response headers, default 120000. */
  timeoutMs?: number;
  /** Longest silence while streaming, default 60000. */
  idleTimeoutMs?: number;
  /** Retries of 408/409/429/5xx and network failures before any byte arrived; default 2, max 10. */
  retries?: number;
  /** Tool rounds answered by handlers before the reply is returned; default 8. */
  maxToolRounds?: number;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  reasoningTokens?: number | null;
  /** What the reply cost in US dollars, when the provider says: the AI/ML API's
   *  `meta.usage.usd_spent`, OpenRouter's `usage.cost`. */
  cost?: number;
  /** The AI/ML API's `meta.usage.credits_used`. */
  credits?: number;
}

/** A source the model cited (Anthropic citations). `url` is null for the page's own documents. */
export interface Citation {
  url: string | null;
  title: string;
  citedText: string;
}

/** What a provider-run tool (web search, web fetch, code execution, MCP) returned. */
export interface ServerToolResult {
  toolUseId: string;
  /** The result block type, e.g. 'web_search_tool_result'. */
  kind: string;
  /** How many results a list-returning tool gave. */
  resultCount: number | null;
  /** The provider's error code (e.g. 'max_uses_exceeded') when the tool failed. */
  error: string | null;
  sources: { url: string; title: string }[];
}

/** A tool the provider ran itself; no page handler is ever called for it. */
export interface ServerToolUse {
  id: string;
  name: string;
  /** The input as JSON text, e.g. '{"query":"weather NYC"}'. */
  input: string;
  result: ServerToolResult | null;
}

export interface Metrics {
  ttftMs: number | null;
  durationMs: number;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  /** outputTokens was estimated from the text (the provider reported no usage). */
  estimated: boolean;
}

export type ChatEvent =
  | { type: 'start'; id: string; model: string }
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  /** The model declines (OpenAI `delta.refusal`); Anthropic declines with a `finish` whose
   *  rawFinishReason is 'refusal' and no text. */
  | { type: 'refusal'; delta: string }
  | { type: 'toolCall'; index: number; id: string | null; name: string | null; argumentsDelta: string }
  | { type: 'serverToolCall'; index: number; id: string | null; name: string | null; inputDelta: string }
  | { type: 'serverToolResult'; result: ServerToolResult }
  | { type: 'citation'; citation: Citation }
  | { type: 'toolResult'; id: string; name: string; result: string; isError: boolean }
  /** The usage so far, every report merged (not the raw report): the last one is the total. */
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason: string }
  | { type: 'metrics'; metrics: Metrics };

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatReply {
  id: string;
  model: string;
  text: string;
  reasoning: string;
  /** Non-null when the model declined: OpenAI's refusal text, or '' for Anthropic's
   *  `stop_reason: "refusal"` (which gives no text). */
  refusal: string | null;
  toolCalls: ToolCall[];
  /** Tools the provider ran itself (Anthropic web search, …), with their results. */
  serverTools: ServerToolUse[];
  citations: Citation[];
  finishReason: FinishReason | null;
  rawFinishReason: string | null;
  /** Summed over every tool round. */
  usage: Usage | null;
  metrics: Metrics;
  /** Turns to append to your history: the assistant turns and tool results of this reply. */
  messages?: ChatMessage[];
}

export interface ChatRequest {
  messages: ChatMessage[];
  signal?: AbortSignal;
}

export class ChatError extends Error {
  constructor(message: string, init?: Partial<Pick<ChatError, 'kind' | 'status' | 'code' | 'retryAfterMs' | 'requestId' | 'partial'>>);
  name: 'ChatError';
  kind: ErrorKind;
  status: number | null;
  code: string | null;
  retryAfterMs: number | null;
  requestId: string | null;
  /** The reply so far, or null when nothing had arrived. */
  partial: ChatReply | null;
}

export class ChatClient {
  /** Throws a ChatError of kind 'config' for unusable options (once `ready` resolved). */
  constructor(options: ChatClientOptions);
  /** Breaking out of the loop aborts the request. */
  stream(request: ChatRequest): AsyncGenerator<ChatEvent, void, undefined>;
  complete(request: ChatRequest & { stream?: boolean }): Promise<ChatReply>;
}

export interface SseEvent {
  /** 'message' when the stream named no type. */
  event: string;
  data: string;
  /** The last event ID in force. */
  id: string;
}

/** The spec-exact (WHATWG) incremental SSE parser. */
export class SseParser {
  constructor();
  /** The events this chunk completed, in order. Throws a ChatError on an over-long line. */
  feed(chunk: Uint8Array): SseEvent[];
  /** End of stream: drops an unfinished event. */
  end(): void;
  /** The last valid `retry` value in milliseconds, or null. */
  readonly retry: number | null;
  free(): void;
}

/** A reply stream's bytes → the events `ChatClient.stream()` yields, for pages with their own
 *  transport: `'openai'` chat-completions chunks (AI/ML API, OpenAI, LiteLLM, …) or
 *  `'anthropic'` Messages events. */
export class ReplyDecoder {
  constructor(provider: 'openai' | 'anthropic');
  /** The events this chunk completed. Throws a ChatError (`stream`, `parse`) on a broken stream. */
  feed(chunk: Uint8Array): ChatEvent[];
  /** The body ended: the whole reply, or throws an `incomplete` ChatError with `.partial`.
   *  A body that is one JSON completion instead of a stream is decoded whole as it completes. */
  end(): Omit<ChatReply, 'metrics' | 'messages'>;
  free(): void;
}

/** Markdown (CommonMark + GFM) → a safe HTML string: raw HTML is shown as text and only
 *  http(s)/mailto links (and http(s)/raster data: images) are kept. */
export function renderMarkdown(text: string): string;

export interface RillChatEventMap extends HTMLElementEventMap {
  'rill-message': CustomEvent<ChatReply>;
  'rill-delta': CustomEvent<Extract<ChatEvent, { type: 'text' | 'reasoning' }>>;
  'rill-error': CustomEvent<ChatError>;
  'rill-usage': CustomEvent<Usage>;
}

/** Every word `<rill-chat>` shows; `{name}` holes are filled in. Unknown keys throw. */
export interface RillChatStrings {
  title: string; send: string; stop: string; placeholder: string; inputLabel: string; logLabel: string;
  empty: string; reasoning: string; copy: string; copied: string; copyFailed: string; copyCode: string;
  copyReply: string; regenerate: string; regenerateLabel: string; edit: string; editLabel: string;
  retry: string; stopped: string; cutOff: string; continue: string; continuePrompt: string;
  /** `{n} tokens` */ tokens: string;
  /** `first token {s} s` */ firstToken: string;
  /** `{n} tokens/s` */ tokensPerSecond: string;
  jumpToLatest: string; clear: string; clearLabel: string; close: string; closeLabel: string;
  openChat: string; openChatUnread: string; attach: string;
  /** `Remove {name}` */ removeImage: string;
  /** `{name} is larger than {max}.` */ imageTooLarge: string;
  /** `{name} is not a PNG, JPEG, GIF or WebP image.` */ imageType: string;
  /** `{name} could not be read.` */ imageUnreadable: string;
  /** `At most {max} images per message.` */ tooManyImages: string;
  dropHint: string; toolRunning: string; toolDone: string; toolFailed: string;
  toolArguments: string; toolResult: string; image: string;
  /** The marker under a reply the model declined. */ declined: string;
  /** Shown when a declined reply has no text. */ declinedEmpty: string;
  filtered: string; sources: string;
  /** `{n} results` */ results: string;
  webSearch: string; webFetch: string; codeExecution: string;
  /** `${usd}` */ cost: string;
  /** `{n} credits` */ credits: string;
}

/** Every ChatClient option is also a property of the element (properties win over attributes). */
export interface RillChatElement extends Partial<ChatClientOptions> {}

/**
 * `<rill-chat>`: attributes `endpoint`, `provider`, `model`, `system`,
 * `theme="auto|light|dark"`, `mode="inline|launcher"`, `open` (launcher panel open),
 * `persist="none|session|local"` (messages only, never the key), `persist-key`, `dir`,
 * `hide-metrics`.
 */
export class RillChatElement extends HTMLElement {
  /** Replaces any of the element's words; setting an unknown key throws a config ChatError. */
  strings: Partial<RillChatStrings> | undefined;
  /** Largest image accepted from the picker, paste or drop (default 5 MiB). */
  maxImageBytes: number | undefined;
  /** Sends `text` (and `images`: `data:image/…` or `https:` URLs) as the user. Resolves with the
   *  finished reply; rejects with the ChatError the element also shows. */
  send(text: string, options?: { images?: Iterable<string> }): Promise<ChatReply>;
  /** Asks again for the last reply (the old one is replaced); resolves with the new reply. */
  regenerate(): Promise<ChatReply>;
  /** Stops a streaming reply (what arrived stays, marked "Stopped"). */
  stop(): void;
  /** Stops, empties the log and forgets the conversation (also in storage). */
  clear(): void;
  addEventListener<K extends keyof RillChatEventMap>(type: K, listener: (this: RillChatElement, ev: RillChatEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'rill-chat': RillChatElement;
  }
}

// What frameworks need to type `<rill-chat>` in their templates (rill-chat/react, /preact,
// /solid, /vue, /svelte build on these).

/** The element's attributes, as markup writes them. */
export interface RillChatAttributes {
  endpoint?: string;
  provider?: Provider;
  model?: string;
  system?: string;
  mode?: 'inline' | 'launcher';
  theme?: 'auto' | 'light' | 'dark';
  /** `none` (default), `session` or `local`: messages only, never the key. */
  persist?: 'none' | 'session' | 'local';
  'persist-key'?: string;
  /** Launcher mode: the panel is open. */
  open?: boolean;
  'hide-metrics'?: boolean;
}

/** The element's properties: every ChatClient option, its words and the image limit. A
 *  framework that passes a fresh object on every render (a new `tools` array, a new
 *  `strings` object) resets nothing: options are read at each send. */
export interface RillChatProperties extends Partial<ChatClientOptions> {
  strings?: Partial<RillChatStrings>;
  maxImageBytes?: number;
}

/** `on<event>` handlers, as React 19, Preact and Svelte 5 take them on custom elements. */
export interface RillChatEventHandlers {
  'onrill-message'?: (event: RillChatEventMap['rill-message']) => void;
  'onrill-delta'?: (event: RillChatEventMap['rill-delta']) => void;
  'onrill-error'?: (event: RillChatEventMap['rill-error']) => void;
  'onrill-usage'?: (event: RillChatEventMap['rill-usage']) => void;
}

/** The element's own events, by name. */
export interface RillChatEvents {
  'rill-message': RillChatEventMap['rill-message'];
  'rill-delta': RillChatEventMap['rill-delta'];
  'rill-error': RillChatEventMap['rill-error'];
  'rill-usage': RillChatEventMap['rill-usage'];
}
