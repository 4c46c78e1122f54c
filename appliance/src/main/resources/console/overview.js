// The overview: one row per domain of the plan, from /status, /domains, /mailboxes, /queue and /audit;
// readiness from /domains/{d} (it probes the new servers live, so every 15 s only).
import { api, start, el, time, ago, duration, bytes, phaseBadge, stateBadge, fill, phaseSince, domainOf } from './console.js';

const READINESS_EVERY_MS = 15000;
const readiness = new Map(); // domain -> { at, view }

async function optional(path, fallback) {
  try { return await api(path); } catch (e) { if (e.status === 401) throw e; return fallback; }
}

async function refresh() {
  const [status, list, sync, queue, audit] = await Promise.all([
    api('/status'), api('/domains'), optional('/mailboxes', null), optional('/queue', null), optional('/audit?limit=500', { entries: [] })]);
  const now = Date.now();
  await Promise.all(list.domains.map(async d => {
    const r = readiness.get(d.domain);
    if (d.phase !== 'RELAYING' || !r || now - r.at > READINESS_EVERY_MS) {
      try { readiness.set(d.domain, { at: now, view: await api(`/domains/${encodeURIComponent(d.domain)}`) }); } catch (e) { if (e.status === 401) throw e; }
    }
  }));
  const single = list.domains.length === 1;
  document.getElementById('summary').textContent = `${list.domains.length} domain(s); appliance ${status.version}, up ${duration(status.uptimeSeconds)}.`
    + (sync ? ` Sync: ${sync.mailboxesSynced} of ${sync.mailboxesTotal} mailboxes synced, ${sync.mailboxesFailed} failed.` : ' Sync not running.');
  const labels = [...document.querySelectorAll('#domains thead th')].map(th => th.textContent);
  fill(document.querySelector('#domains tbody'), list.domains, d => {
    const tr = row(d, status, sync, queue, audit.entries, single);
    [...tr.cells].forEach((td, i) => td.setAttribute('data-label', labels[i])); // the phone layout's headings
    return tr;
  }, 'The plan has no domain.');
}

function row(d, status, sync, queue, auditEntries, single) {
  const entries = auditEntries.filter(e => e.domain === d.domain);
  const since = phaseSince(entries, d.phase) || (d.phase === 'RELAYING' ? status.startedAt : null);
  const mailboxes = sync ? sync.mailboxes.filter(m => domainOf(m.status.address) === d.domain) : [];
  const synced = mailboxes.filter(m => m.status.phase === 'SYNCED').length;
  const failed = mailboxes.filter(m => m.status.phase === 'FAILED').length;
  const messages = mailboxes.reduce((n, m) => n + m.folders.reduce((k, f) => k + f.done, 0), 0);
  const size = mailboxes.reduce((n, m) => n + m.folders.reduce((k, f) => k + f.doneBytes, 0), 0);
  const q = queue ? queue.filter(m => m.recipients.some(r => domainOf(r) === d.domain)) : null;
  const oldest = q && q.length ? q.map(m => m.arrival).sort()[0] : null;
  const r = readiness.get(d.domain);
  const checks = r && r.view.readiness ? r.view.readiness : null;
  const failing = checks ? checks.checks.filter(c => c.state === 'FAIL').map(c => c.name) : [];
  const w = d.window;
  return el('tr', { 'data-domain': d.domain },
    el('td', {}, el('a', { href: `/domain.html?d=${encodeURIComponent(d.domain)}`, text: d.domain })),
    el('td', {}, phaseBadge(d.phase), el('br'), el('span', { class: 'muted', title: since ? `since ${since}` : '', text: since ? `for ${ago(since)}` : '' })),
    el('td', { class: 'mailboxes' }, mailboxes.length
      ? [el('progress', { max: mailboxes.length, value: synced, 'aria-label': `${synced} of ${mailboxes.length} mailboxes synced` }),
        ` ${synced}/${mailboxes.length}`, failed ? [el('br'), stateBadge('FAILED', `${failed} failed`)] : null]
      : el('span', { class: 'muted', text: sync ? 'no mailbox imported' : 'sync not running' })),
    el('td', { class: 'num' }, `${messages} messages`, el('br'), bytes(size)),
    el('td', {}, sync ? [`${sync.messagesPerSecond.toFixed(1)} msg/s`, el('br'),
      sync.eta === null ? el('span', { class: 'muted', title: sync.etaReason, text: 'ETA unknown' }) : `ETA ${duration(sync.eta)}`,
      single ? null : el('span', { class: 'muted', text: ' (all domains)' })] : ''),
    el('td', {}, stateBadge(d.dns.verdict), el('br'), el('span', { class: 'muted', text: d.dns.mxSwitchSeenAt ? 'switched ' : '' }),
      d.dns.mxSwitchSeenAt ? time(d.dns.mxSwitchSeenAt) : null),
    el('td', {}, q === null ? el('span', { class: 'muted', text: 'relay not running' })
      : [`${q.length} queued`, el('br'), oldest ? el('span', { class: 'muted', text: `oldest ${ago(oldest)}` }) : null]),
    el('td', {}, checks ? (checks.ready ? stateBadge('PASS', 'Ready') : stateBadge('FAIL', `Not ready: ${failing.join(', ')}`))
      : el('span', { class: 'muted', text: 'checking…' }),
      checks && checks.evaluated !== 'live' ? el('span', { class: 'muted', text: ` (${checks.evaluated})` }) : null),
    el('td', {}, w.closesAt ? ['closes ', time(w.closesAt), el('br')] : null, el('span', { class: 'muted', text: w.reason })));
}

start(refresh);
