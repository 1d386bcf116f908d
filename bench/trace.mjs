// Probe: a Chromium trace of one 8,000-word burst into <rill-chat>, summed by event name
// (`cd bench && node trace.mjs`). Shows where the time after the last byte goes.
import { openRillPage } from './probe.mjs';
const { p, close } = await openRillPage();
const cdp = await p.context().newCDPSession(p);
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink,v8', transferMode: 'ReportEvents' });
const t = await p.evaluate(async () => { const el = document.getElementById('chat'); el.endpoint = '/v1/chat/completions?words=8000'; const t0 = performance.now(); await el.send('go'); return performance.now() - t0; });
await cdp.send('Tracing.end');
await done;
const main = events.filter((e) => e.ph === 'X' && e.dur);
const sum = new Map();
for (const e of main) sum.set(e.name, (sum.get(e.name) ?? 0) + e.dur / 1000);
console.log('total', t.toFixed(0));
for (const [n, d] of [...sum].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(d.toFixed(1).padStart(8), n);
const counts = new Map(); for (const e of main) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
console.log('Layout', counts.get('Layout'), 'UpdateLayoutTree', counts.get('UpdateLayoutTree'), 'Paint', counts.get('Paint'));
await close();
