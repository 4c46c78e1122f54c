// One domain: cutover (readiness, go-live, rollback, window, audit, report), DNS (servers, propagation chart,
// records to publish), sync (mailboxes), relay (queue). Reads /api/v1 only; the chart is uPlot.
import { api, start, session, el, time, ago, duration, bytes, phaseBadge, stateBadge, fill, put, phaseSince, domainOf } from './console.js';

const domain = (new URLSearchParams(location.search).get('d') || '').toLowerCase();
const path = `/domains/${encodeURIComponent(domain)}`;
const DETAIL_EVERY_MS = 6000; // the detail probes the new servers live: not at every tick
let detail = null;
let detailAt = 0;
let sort = { key: 'state', dir: 1 };
let lastSync = null;
const $ = id => document.getElementById(id);

async function optional(p, fallback) {
  try { return await api(p); } catch (e) { if (e.status === 401) throw e; return fallback; }
}

async function refresh(force = false) {
  const [list, dns, series, sync, queue, audit, counters] = await Promise.all([
    api('/domains'), optional(`${path}/dns?limit=1`, null), optional(`${path}/dns/series?limit=1000`, null),
    optional('/mailboxes', null), optional('/queue', null), optional(`/audit?domain=${encodeURIComponent(domain)}&limit=50`, { entries: [] }),
    optional('/relay/counters', null)]);
  const summary = list.domains.find(d => d.domain === domain);
  if (!summary) {
    $('domain-name').textContent = domain;
    $('next').textContent = `${domain} is not in the migration plan.`;
    return;
  }
  if (force || !detail || Date.now() - detailAt > DETAIL_EVERY_MS || detail.phase !== summary.phase) {
    detail = await api(path);
    detailAt = Date.now();
  }
  const d = { ...detail, ...summary, readiness: detail.readiness };
  renderHeader(d, audit.entries);
  renderGlance(d, sync);
  renderCutover(d);
  renderAudit(audit.entries);
  renderDns(d, dns);
  renderChart(series, d);
  lastSync = sync;
  renderSync(sync);
  renderRelay(d, queue, counters);
}

function renderHeader(d, entries) {
  document.title = `mxcutover: ${domain}`;
  $('domain-name').textContent = domain;
  const since = phaseSince(entries, d.phase);
  $('phase').replaceChildren(phaseBadge(d.phase), since ? el('span', { class: 'muted', text: ` for ${ago(since)}` }) : '');
  $('next').textContent = d.next;
  $('report-json').href = `/api/v1${path}/report?format=json`;
  $('report-csv').href = `/api/v1${path}/report?format=csv`;
}

/** The whole domain in one line of facts: each with its word, not only a colour. */
function renderGlance(d, sync) {
  const r = d.readiness;
  const mine = sync ? sync.mailboxes.filter(m => domainOf(m.status.address) === domain) : [];
  const synced = mine.filter(m => m.status.phase === 'SYNCED').length;
  put($('glance'),
    fact(r && r.evaluated !== 'live' ? `Readiness (${r.evaluated})` : 'Readiness',
      r ? (r.ready ? stateBadge('PASS', 'ready') : stateBadge('FAIL', `failing: ${r.checks.filter(c => c.state === 'FAIL').map(c => c.name).join(', ')}`)) : '…'),
    fact('DNS', stateBadge(d.dns.verdict)),
    fact('Mailboxes synced', el('progress', { max: mine.length || 1, value: synced }), ` ${synced}/${mine.length}`),
    fact('Relay queue', d.relayQueue.known ? `${d.relayQueue.queued} queued, ${d.relayQueue.deferred} deferred` : 'relay not running'),
    fact('Catch-up window', d.window.closesAt ? ['closes ', time(d.window.closesAt)] : d.window.state.toLowerCase().replaceAll('_', ' ')));
}

function renderCutover(d) {
  const r = d.readiness;
  put($('readiness-verdict'),r ? (r.ready ? stateBadge('PASS', 'Ready to go live') : stateBadge('FAIL', `Not ready: ${r.checks.filter(c => c.state === 'FAIL').map(c => c.name).join(', ')}`)) : '',
    r ? el('span', { class: 'muted', text: ` (checks ${r.evaluated})` }) : '');
  fill($('checks').tBodies[0], r ? r.checks : [], c => el('tr', { 'data-check': c.name },
    el('th', { scope: 'row', text: c.name }), el('td', {}, stateBadge(c.state)), el('td', { text: c.reason })), 'No checks.');
  const w = d.window;
  put($('window'),
    fact('Catch-up window', stateBadge(w.state === 'CLOSED' ? 'PASS' : 'WARN', w.state)),
    fact('Closes', w.closesAt ? time(w.closesAt) : 'not known yet'),
    fact('Why', w.reason),
    fact('Length / quiet period', `${w.length} / ${w.quietPeriod}`),
    d.cutover ? fact('Cut over', time(d.cutover.at), ` by ${d.cutover.by}${d.cutover.forced ? ' (forced)' : ''}: ${d.cutover.reason || ''}`) : null,
    d.cutover ? fact('Final sync pass', `${d.cutover.finalPassState}, ${d.cutover.additionalMessages} additional messages`) : null);
  const admin = session.role === 'admin';
  $('actions').hidden = !admin;
  $('role-note').textContent = admin ? '' : `You are logged in as ${session.user} (operator): you can watch; an admin acts.`;
  if (!admin) return;
  const relaying = d.phase === 'RELAYING';
  const catching = d.phase === 'CATCHING_UP';
  $('golive-form').hidden = !relaying;
  $('verify').hidden = !relaying;
  $('rollback-form').hidden = !catching;
  $('extend-form').hidden = !catching;
  $('close-form').hidden = !catching;
  const ready = r && r.ready;
  $('force-box').hidden = !!ready;
  updateGoLive(ready);
}

function updateGoLive(ready = detail && detail.readiness && detail.readiness.ready) {
  const forced = $('golive-force').value.trim() === 'force' && $('golive-reason').value.trim() !== '';
  $('golive').disabled = !(ready || forced);
  $('golive').textContent = ready ? 'Go live' : 'Go live (force)';
}

function fact(label, ...value) { return el('div', {}, el('b', { text: label }), ...value); }

function renderAudit(entries) {
  fill($('audit-log').tBodies[0], entries, e => el('tr', { 'data-action': e.action },
    el('td', {}, time(e.at)), el('td', { text: e.actor }), el('td', { text: e.action }),
    el('td', { text: e.fromPhase || e.toPhase ? `${e.fromPhase || ''} → ${e.toPhase || ''}` : '' }),
    el('td', { text: e.reason || '' })), 'Nothing recorded for this domain yet.');
}

async function act(label, p, body) {
  const out = $('action-result');
  out.textContent = `${label}…`;
  try {
    const r = await api(p, { method: 'POST', body });
    out.textContent = `${label}: ${r && r.message ? r.message : 'done'}`;
  } catch (e) {
    out.textContent = `${label} refused (${e.status}): ${e.message}${e.details.length ? ' — ' + e.details.join('; ') : ''}`;
  }
  await refresh(true).catch(() => {});
}

function wireActions() {
  $('golive-force').addEventListener('input', () => updateGoLive());
  $('golive-reason').addEventListener('input', () => updateGoLive());
  $('golive-form').addEventListener('submit', e => {
    e.preventDefault();
    const force = $('golive-force').value.trim() === 'force';
    act('Go live', `${path}/cutover`, { reason: $('golive-reason').value.trim() || 'go-live from the console', force });
  });
  $('verify').addEventListener('click', () => act('Verify', `${path}/verify`));
  $('rollback-form').addEventListener('submit', e => {
    e.preventDefault();
    act('Rollback', `${path}/rollback`, { reason: $('rollback-reason').value.trim() || 'rollback from the console' });
  });
  $('extend-form').addEventListener('submit', e => {
    e.preventDefault();
    act('Extend window', `${path}/window`, { extend: $('extend-by').value.trim(), reason: $('extend-reason').value.trim() || 'extended from the console' });
  });
  $('close-form').addEventListener('submit', e => {
    e.preventDefault();
    act('Close window', `${path}/window`, { close: true, force: true, reason: $('close-reason').value.trim() || 'closed from the console' });
  });
  $('copy-plan').addEventListener('click', async () => {
    try { await navigator.clipboard.writeText($('dns-plan').textContent); $('copy-plan').textContent = 'Copied'; }
    catch (e) { const s = getSelection(); s.selectAllChildren($('dns-plan')); $('copy-plan').textContent = 'Selected: press Ctrl+C'; }
  });
  $('state-filter').addEventListener('change', () => renderSync(lastSync));
  document.querySelectorAll('#mailboxes th button').forEach(b => b.addEventListener('click', () => {
    sort = { key: b.dataset.sort, dir: sort.key === b.dataset.sort ? -sort.dir : 1 };
    renderSync(lastSync);
  }));
}

// ---------------------------------------------------------------------------------------------- DNS

function renderDns(d, dns) {
  const rep = dns && dns.report;
  put($('dns-facts'),
    fact('Verdict', stateBadge(d.dns.verdict), ' ', d.dns.detail),
    fact('MX switch seen', time(d.dns.mxSwitchSeenAt)),
    fact('Expected end of propagation', rep && rep.expectedEnd ? [time(rep.expectedEnd), ` (${(rep.expectedEndBasis || '').toLowerCase().replaceAll('_', ' ')}${rep.expectedEndTtl !== null ? `, TTL ${rep.expectedEndTtl} s` : ''})`] : 'not known yet'),
    fact('All resolvers on the new MX', time(d.dns.resolversConvergedAt)),
    fact('Largest old TTL seen', d.dns.largestOldTtl),
    rep ? fact('SPF', stateBadge(rep.spf.status === 'OK' ? 'PASS' : 'WARN', rep.spf.status), ` ${rep.spf.record || ''}`,
      rep.spf.missing.length ? ` — missing ${rep.spf.missing.join(', ')}` : '', rep.spf.stillPresent.length ? ` — still present ${rep.spf.stillPresent.join(', ')}` : '') : null,
    rep ? fact('Last poll', time(rep.polledAt)) : fact('Last poll', 'none yet'));
  const servers = rep ? rep.servers : [];
  fill($('dns-servers').tBodies[0], servers, s => el('tr', { 'data-role': s.role },
    el('td', { text: s.role === 'AUTHORITATIVE' ? 'authoritative' : 'resolver' }), el('td', { text: s.server }),
    el('td', { text: s.mx.answers.length ? s.mx.answers.join(', ') : s.mx.outcome }),
    el('td', { class: 'num', text: s.mx.ttl === null ? '' : `${s.mx.ttl} s` }),
    el('td', {}, stateBadge(s.view, s.view === 'NEW' ? 'yes (new)' : `no (${s.view.toLowerCase()})`))), 'No poll yet.');
  $('dns-plan').textContent = dns && dns.plan ? dns.plan : 'This domain is not watched (no new.mx in the plan).';
  renderDnsChecks(dns && dns.checks);
}

// Badge state (colour) and words per check status: the words carry the result, the colour only repeats it.
const DNSSEC_RESULT = { SECURE: ['PASS', 'secure (validates)'], INSECURE: ['NOT_SWITCHED', 'not signed'],
  BOGUS: ['FAIL', 'bogus (validation fails)'], UNKNOWN: ['UNKNOWN', 'unknown (not checked)'] };
const MX_TARGET_RESULT = { OK: ['PASS', 'ready (greets 220)'], NO_ADDRESS: ['FAIL', 'no address'],
  NOT_LISTENING: ['FAIL', 'not listening'], BAD_GREETING: ['FAIL', 'refuses mail'], UNKNOWN: ['UNKNOWN', 'unknown (not checked)'] };

function checkBadge(results, status) {
  const [state, text] = results[status] || ['UNKNOWN', String(status).toLowerCase()];
  return stateBadge(state, text);
}

function renderDnsChecks(checks) {
  $('dns-checked-at').replaceChildren(...(checks && checks.checkedAt ? ['(checked ', time(checks.checkedAt), ')'] : ['(not checked yet)']));
  const rows = checks ? [{ check: 'DNSSEC', subject: 'MX of the domain', badge: checkBadge(DNSSEC_RESULT, checks.dnssec.status),
    status: checks.dnssec.status, detail: checks.dnssec.detail }]
    .concat(checks.mxTargets.map(t => ({ check: 'New MX host', subject: t.addresses.length ? `${t.host} (${t.addresses.join(', ')})` : t.host,
      badge: checkBadge(MX_TARGET_RESULT, t.status), status: t.status, detail: t.detail }))) : [];
  fill($('dns-checks').tBodies[0], rows, r => el('tr', { 'data-check': r.check === 'DNSSEC' ? 'dnssec' : 'mx-target', 'data-status': r.status },
    el('td', { text: r.check }), el('td', { text: r.subject }), el('td', {}, r.badge), el('td', { text: r.detail })),
  'This domain is not watched: no DNSSEC or MX-target checks.');
}

let chart = null;
let marks = [];

function renderChart(series, d) {
  const box = $('chart');
  const points = series ? series.points : [];
  const xs = points.map(p => new Date(p.at).getTime() / 1000);
  const pct = (k, n) => (n ? Math.round(1000 * k / n) / 10 : null);
  const data = [xs, points.map(p => pct(p.authoritativeOnNew, p.authoritative)), points.map(p => pct(p.resolversOnNew, p.resolvers))];
  const last = points[points.length - 1];
  box.dataset.points = points.length;
  box.dataset.authoritative = last ? data[1][data[1].length - 1] : '';
  box.dataset.resolvers = last ? data[2][data[2].length - 1] : '';
  marks = [
    { cls: 'switch', label: 'MX switch', at: series && series.switchTime, color: '#0969da' },
    { cls: 'end', label: 'expected end of propagation', at: series && series.expectedEnd, color: '#9a6700' },
    { cls: 'close', label: 'catch-up window closes', at: d.window.closesAt, color: '#cf222e' }];
  $('chart-marks').replaceChildren(...marks.map(m => el('li', { class: m.cls }, `${m.label}: `, m.at ? time(m.at) : 'not yet')),
    el('li', { class: 'now' }, last ? `now: ${pct(last.authoritativeOnNew, last.authoritative) ?? '–'}% of authoritative servers, ${pct(last.resolversOnNew, last.resolvers) ?? '–'}% of resolvers on the new MX` : 'no poll yet'));
  if (typeof uPlot === 'undefined') { box.textContent = 'The chart library did not load; the numbers are below.'; return; }
  try {
    if (!chart) {
      chart = new uPlot({
        width: Math.max(300, box.clientWidth || 800), height: 260,
        scales: { x: { time: true, range: (u, min, max) => xRange(min, max) }, y: { range: [0, 100] } },
        axes: [{}, { label: '% on the new MX', values: (u, v) => v.map(x => `${x}%`) }],
        // Stepped: a share holds from one poll until the next, it does not slide between them.
        series: [{}, { label: 'authoritative servers', stroke: '#0969da', width: 2, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }) },
          { label: 'resolvers', stroke: '#1a7f37', width: 3, dash: [6, 3], spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }) }],
        hooks: { draw: [drawMarks] },
      }, data, box);
      new ResizeObserver(() => chart.setSize({ width: Math.max(300, box.clientWidth), height: 260 })).observe(box);
    } else {
      chart.setData(data);
    }
  } catch (e) {
    box.textContent = `The chart could not be drawn (${e.message}); the numbers are below.`;
  }
}

/** The x range: the polls, stretched to show the switch and the expected end (and the window's close when near). */
function xRange(min, max) {
  const ts = marks.filter(m => m.at).map(m => new Date(m.at).getTime() / 1000);
  let lo = min ?? Date.now() / 1000 - 60;
  let hi = max ?? Date.now() / 1000;
  for (const t of ts) {
    if (t < lo) lo = t;
    if (t > hi && t - hi < 4 * Math.max(60, hi - lo)) hi = t; // a close 48 h away would flatten the chart
  }
  return [lo, hi === lo ? lo + 60 : hi + (hi - lo) * 0.03];
}

function drawMarks(u) {
  const ctx = u.ctx;
  for (const m of marks) {
    if (!m.at) continue;
    const x = Math.round(u.valToPos(new Date(m.at).getTime() / 1000, 'x', true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.save();
    ctx.strokeStyle = m.color; ctx.fillStyle = m.color; ctx.lineWidth = 2; ctx.setLineDash(m.cls === 'switch' ? [] : [4, 4]);
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
    ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    const w = ctx.measureText(m.label).width;
    const left = x + 4 + w > u.bbox.left + u.bbox.width ? x - 4 - w : x + 4; // keep the label inside the plot
    ctx.fillText(m.label, left, u.bbox.top + 14 * devicePixelRatio * (1 + marks.indexOf(m)));
    ctx.restore();
  }
}

// --------------------------------------------------------------------------------------------- Sync

const STATE_ORDER = { FAILED: 0, INCOMPLETE: 1, SYNCING: 2, PENDING: 3, SYNCED: 4 };

function renderSync(sync) {
  if (!sync) { $('sync-facts').textContent = 'The sync is not running.'; fill($('mailboxes').tBodies[0], [], null, 'No data.'); return; }
  const mine = sync.mailboxes.filter(m => domainOf(m.status.address) === domain).map(m => ({
    address: m.status.address, state: m.status.phase, reason: m.status.reason,
    folders: m.folders.length, messages: m.folders.reduce((n, f) => n + f.done, 0), total: m.messagesTotal ?? null,
    bytes: m.folders.reduce((n, f) => n + f.doneBytes, 0), last: m.status.finishedAt, failures: m.failures }));
  const copied = mine.reduce((n, m) => n + m.messages, 0);
  const allMine = mine.length === sync.mailboxesTotal;
  const total = allMine ? copied + sync.messagesRemaining : null;
  put($('sync-facts'),
    fact('Mailboxes synced', el('progress', { max: mine.length || 1, value: mine.filter(m => m.state === 'SYNCED').length }),
      ` ${mine.filter(m => m.state === 'SYNCED').length} of ${mine.length}`),
    fact('Messages copied', total !== null ? `${copied} of ${total}` : `${copied}`, ` (${bytes(mine.reduce((n, m) => n + m.bytes, 0))})`),
    fact(allMine ? 'Rate' : 'Rate (all domains)', `${sync.messagesPerSecond.toFixed(1)} msg/s, ${bytes(sync.bytesPerSecond)}/s`),
    fact(allMine ? 'ETA' : 'ETA (all domains)', sync.eta === null ? 'unknown' : duration(sync.eta), el('span', { class: 'muted', text: ` — ${sync.etaReason}` })));
  const filter = $('state-filter').value;
  const rows = mine.filter(m => !filter || m.state === filter).sort((a, b) => {
    const k = sort.key;
    const va = k === 'state' ? STATE_ORDER[a.state] : a[k] ?? '';
    const vb = k === 'state' ? STATE_ORDER[b.state] : b[k] ?? '';
    return (va < vb ? -1 : va > vb ? 1 : a.address.localeCompare(b.address)) * sort.dir;
  });
  document.querySelectorAll('#mailboxes th button').forEach(b => {
    if (b.dataset.sort === sort.key) b.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending'); else b.removeAttribute('aria-sort');
  });
  fill($('mailboxes').tBodies[0], rows, m => el('tr', { 'data-mailbox': m.address },
    el('th', { scope: 'row', text: m.address }), el('td', {}, stateBadge(m.state)), el('td', { class: 'num', text: m.folders }),
    el('td', { class: 'num messages', text: m.total === null ? `${m.messages}` : `${m.messages}/${m.total}` }),
    el('td', { class: 'num', text: bytes(m.bytes) }), el('td', {}, time(m.last)),
    el('td', { class: 'progress' }, mailboxProgress(m)),
    el('td', {}, m.reason ? el('div', { text: m.reason }) : null,
      ...m.failures.map(f => el('div', { class: 'error', text: `${f.sourceFolder} UID ${f.sourceUid}: ${f.reason} (${f.attempts}×)` })))),
    filter ? `No mailbox is ${filter.toLowerCase()}.` : 'No mailbox of this domain is imported.');
}

// A mailbox's bar: copied of the messages its legacy source held when last listed (messagesTotal). SYNCED is
// 100 %; before that the bar stops at 99 % (the listing can be older than the last messages copied), and a
// mailbox never listed has no total: an indeterminate bar, "total unknown", never 0.
function mailboxProgress(m) {
  if (m.state === 'SYNCED') return [el('progress', { max: 100, value: 100, 'aria-label': 'history copied' }), ' 100%'];
  const doing = m.state === 'PENDING' ? 'waiting' : 'copying';
  if (m.total === null) return [el('progress', { 'aria-label': `${doing}, total unknown` }), ` ${doing}, total unknown`];
  const pct = m.total === 0 ? 0 : Math.min(99, Math.floor(100 * Math.min(m.messages, m.total) / m.total));
  return [el('progress', { max: Math.max(m.total, 1), value: Math.min(m.messages, m.total), 'aria-label': `${m.messages} of ${m.total} copied` }),
    ` ${pct}%`];
}

// -------------------------------------------------------------------------------------------- Relay

function renderRelay(d, queue, counters) {
  const q = d.relayQueue;
  const mine = queue ? queue.filter(m => m.recipients.some(r => domainOf(r) === domain)) : [];
  const deferred = mine.filter(m => m.state === 'deferred');
  const oldest = mine.length ? mine.map(m => m.arrival).sort()[0] : null;
  put($('relay-facts'),
    fact('Queued', q.known ? `${mine.length}` : 'relay not running'),
    fact('Oldest', oldest ? [`${ago(oldest)} (`, time(oldest), ')'] : '—'),
    fact('Deferred', `${deferred.length}`, deferred.length ? el('div', { class: 'error', text: `last error: ${deferred[0].lastReply}` }) : ''),
    fact('Held or failing toward new', `${q.heldOrFailingTowardNew}`),
    fact('Delivers to', d.phase === 'RELAYING' ? 'legacy' : 'new'),
    counters ? fact('Since start, all domains', `${counters.accepted ?? 0} accepted, ${counters.delivered ?? 0} delivered, `
      + `${counters.bounced ?? 0} bounced, ${Object.values(counters.rejected || {}).reduce((a, b) => a + b, 0)} rejected`) : null);
  fill($('queue').tBodies[0], mine, m => el('tr', {}, el('td', { text: m.id }), el('td', { text: m.recipients.join(', ') }),
    el('td', {}, stateBadge(m.state === 'deferred' ? 'WARN' : 'PENDING', m.state)), el('td', {}, time(m.arrival)),
    el('td', { class: 'num', text: m.attempts }), el('td', { text: m.lastReply })), 'Nothing queued for this domain.');
}

wireActions();
start(refresh);
