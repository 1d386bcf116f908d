// The math converter against a real one: every formula of the corpus converted by ours
// (examples/mathml.rs, the same code as the element's module) and by Temml (npm, pinned,
// dev-only), both reduced to the same skeleton, must agree. The skeleton keeps what a reader
// sees: the structure (fractions, roots, scripts, limits, tables and their cells) and the
// characters in order; it drops what converters legitimately choose differently (mrow
// grouping, attributes, spacing elements, mi/mo/mn choice, limits as scripts or under/over).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import temml from 'temml';
import { root } from './helpers.mjs';

export const FORMULAS = [
  // fractions, binomials, roots
  String.raw`\frac{a}{b}`, String.raw`\frac12`, String.raw`\dfrac{x+1}{x-1}`, String.raw`\tfrac{1}{2}`,
  String.raw`\frac{\frac{a}{b}}{c}`, String.raw`\binom{n}{k}`, String.raw`\sqrt{x}`, String.raw`\sqrt[3]{x+y}`,
  String.raw`\sqrt{\frac{a}{b}}`, String.raw`{a \over b}`,
  // scripts
  String.raw`x^2`, String.raw`x_i`, String.raw`x_i^2`, String.raw`x^{2n}_{i,j}`, String.raw`e^{i\pi} + 1 = 0`,
  String.raw`a_{n+1} = a_n + a_{n-1}`, String.raw`f'(x)`, String.raw`f''(x)`, String.raw`x^{y^z}`, String.raw`{}^{14}C`,
  // big operators, integrals, limits
  String.raw`\sum_{i=1}^{n} i`, String.raw`\prod_{k=1}^n k`, String.raw`\int_0^1 f(x)\,dx`, String.raw`\iint_D f`,
  String.raw`\oint_C \vec{F} \cdot d\vec{r}`, String.raw`\lim_{x \to 0} \frac{\sin x}{x} = 1`, String.raw`\max_{i} a_i`,
  String.raw`\bigcup_{i \in I} A_i`, String.raw`\sum\limits_{i} x_i`, String.raw`\int\limits_a^b f`,
  // functions
  String.raw`\sin x + \cos y`, String.raw`\log_2 n`, String.raw`\ln(1+x)`, String.raw`\exp(-x^2)`, String.raw`\det A`,
  String.raw`\operatorname{rank}(A)`,
  // Greek, letter-like, operators and relations
  String.raw`\alpha + \beta = \gamma`, String.raw`\Gamma(n) = (n-1)!`, String.raw`\Delta x \approx \epsilon`,
  String.raw`\varphi \ne \phi`, String.raw`\lambda \in \Lambda`, String.raw`\infty`, String.raw`\partial_t u = \nabla^2 u`,
  String.raw`a \le b \ge c`, String.raw`x \equiv y`, String.raw`A \subseteq B \cup C`,
  String.raw`p \implies q`, String.raw`x \mapsto x^2`, String.raw`a \times b \cdot c \div d`, String.raw`\pm 1`,
  String.raw`\forall x \exists y`, String.raw`\neg p \lor q`, String.raw`1, 2, \ldots, n`, String.raw`a_1 + \cdots + a_n`,
  String.raw`\hbar \omega`, String.raw`\emptyset \subset A`, String.raw`a \not\in B`, String.raw`x \to \infty`,
  // fonts
  String.raw`\mathbb{R}^n`, String.raw`\mathbb{N} \subset \mathbb{Z}`, String.raw`\mathcal{O}(n \log n)`,
  String.raw`\mathbf{v} = \mathbf{A}\mathbf{x}`, String.raw`\mathrm{d}x`, String.raw`\mathfrak{g}`, String.raw`\mathsf{T}`,
  // text
  String.raw`\text{if } x > 0`, String.raw`x \text{ and } y`, String.raw`\text{area} = \pi r^2`,
  // accents
  String.raw`\hat{x}`, String.raw`\bar{x}`, String.raw`\vec{v}`, String.raw`\dot{x} = \ddot{y}`, String.raw`\tilde{n}`,
  String.raw`\widehat{AB}`, String.raw`\overbrace{a+b}`, String.raw`\underbrace{x+y}`,
  // fences
  String.raw`\left( \frac{a}{b} \right)`, String.raw`\left[ x \right]`, String.raw`\left\{ x \mid x > 0 \right\}`,
  String.raw`\left| x \right|`, String.raw`\langle u, v \rangle`, String.raw`\lfloor x \rfloor`, String.raw`\left. \frac{df}{dx} \right|_{x=0}`,
  String.raw`\big( x \big)`,
  // environments
  String.raw`\begin{matrix} a & b \\ c & d \end{matrix}`, String.raw`\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}`,
  String.raw`\begin{bmatrix} a \\ b \end{bmatrix}`, String.raw`\begin{vmatrix} a & b \\ c & d \end{vmatrix}`,
  String.raw`|x| = \begin{cases} x & x \ge 0 \\ -x & x < 0 \end{cases}`,
  String.raw`\begin{aligned} a &= b + c \\ d &= e \end{aligned}`,
  String.raw`\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}`,
  // what chat answers write
  String.raw`E = mc^2`, String.raw`x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}`, String.raw`\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}`,
  String.raw`P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}`, String.raw`\nabla \times \mathbf{E} = -\frac{\partial \mathbf{B}}{\partial t}`,
  String.raw`O(n^2)`, String.raw`\sigma = \sqrt{\frac{1}{N}\sum_{i=1}^N (x_i - \mu)^2}`, String.raw`a^2 + b^2 = c^2`,
  String.raw`\int_{-\infty}^{\infty} e^{-x^2} dx = \sqrt{\pi}`, String.raw`\det(A - \lambda I) = 0`,
  String.raw`\boxed{x = 42}`, String.raw`a + {\color{red} b} + \textcolor{blue}{c}`,
];

/** A small XML reader: MathML from either converter is well-formed markup. */
function parse(xml) {
  const rootNode = { tag: '#root', children: [] };
  const stack = [rootNode];
  const re = /<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(re)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      top.children.push({ text: m[5].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') });
    } else if (m[1]) {
      stack.pop();
    } else {
      const el = { tag: m[2], children: [], attrs: Object.fromEntries([...m[3].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])) };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  return rootNode;
}

const LEAVES = new Set(['mi', 'mn', 'mo', 'mtext', 'ms']);
const DROP = new Set(['annotation', 'mspace']);
const RENAME = { munder: 'msub', mover: 'msup', munderover: 'msubsup' };
// Characters that mean the same to a reader.
// (″ is two primes, ∣ the divides bar that \mid names; Temml writes them as ′′ and |.)
const SAME = { 'ˆ': '^', '\u2061': '', '\u00a0': ' ', '‾': '¯', '\u0332': '_', '\u2212': '-', '″': '′′', '‴': '′′′', '∣': '|' };
const normText = (t) => [...t].map((c) => SAME[c] ?? c).join('').replace(/\s+/g, '');

/** The skeleton: a string of leaf text and `tag(arg|arg…)` for structure. */
function skeleton(node) {
  const seq = (children) => children.map(skeleton).join('');
  if (node.text !== undefined) return normText(node.text);
  if (DROP.has(node.tag)) return '';
  if (node.tag === 'semantics') return skeleton(node.children[0]);
  if (LEAVES.has(node.tag)) return normText(node.children.map((c) => c.text ?? '').join(''));
  if (node.tag === 'merror') return `error(${seq(node.children)})`;
  if (node.attrs?.class === 'boxed' || /border/.test(node.attrs?.style ?? '')) return `box(${seq(node.children)})`;
  const tag = RENAME[node.tag] ?? node.tag;
  if (['#root', 'math', 'mrow', 'mstyle', 'mpadded', 'mphantom'].includes(tag)) return seq(node.children);
  // Temml draws \overline and \boxed with menclose; ours, a bar over the base and a framed
  // mrow (a class: MathML Core has no menclose). The same to a reader.
  if (node.tag === 'menclose') {
    return node.attrs?.notation === 'box' ? `box(${seq(node.children)})` : `msup(${seq(node.children)}|¯)`;
  }
  return `${tag}(${node.children.map(skeleton).join('|')})`;
}

function ours(formulas) {
  const exe = path.join(root, 'target/debug/examples/mathml');
  const build = spawnSync('cargo', ['build', '-q', '--example', 'mathml'], { cwd: root, stdio: 'inherit' });
  assert.equal(build.status, 0, 'cargo build --example mathml');
  const run = spawnSync(exe, { input: `${formulas.join('\n')}\n`, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').slice(0, formulas.length);
}

test(`our MathML has the structure and characters Temml gives, for ${FORMULAS.length} formulas`, () => {
  assert.ok(FORMULAS.length >= 100, `${FORMULAS.length}`);
  const mine = ours(FORMULAS);
  const diffs = [];
  for (const [i, tex] of FORMULAS.entries()) {
    assert.ok(!mine[i].startsWith('!'), `ours refused ${tex}: ${mine[i]}`);
    const a = skeleton(parse(mine[i]));
    const b = skeleton(parse(temml.renderToString(tex, { throwOnError: true })));
    if (a !== b) diffs.push(`${tex}\n    ours:  ${a}\n    temml: ${b}`);
  }
  assert.deepEqual(diffs, [], `${diffs.length} of ${FORMULAS.length} differ:\n${diffs.join('\n')}`);
});

test('the skeleton can fail: a wrong structure or a wrong character is caught', () => {
  const t = (tex) => skeleton(parse(temml.renderToString(tex)));
  assert.notEqual(t(String.raw`\frac{a}{b}`), t(String.raw`\frac{b}{a}`));
  assert.notEqual(t('x^2'), t('x_2'));
  assert.notEqual(t(String.raw`\alpha`), t(String.raw`\beta`));
  assert.notEqual(t(String.raw`\sqrt{x}`), t(String.raw`\sqrt[3]{x}`));
});
