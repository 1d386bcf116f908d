import { openRillPage } from './probe.mjs';
const { p, close } = await openRillPage();
const cdp = await p.context().newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await p.evaluate(async () => { const el = document.getElementById('chat'); el.endpoint = '/v1/chat/completions?words=8000'; await el.send('go'); });
const { profile } = await cdp.send('Profiler.stop');
// self time per function
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, t] of counts) {
  const n = byId.get(id); const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + t);
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [n, t] of top) console.log((t / 1000).toFixed(1).padStart(8), 'ms', n);
await close();
