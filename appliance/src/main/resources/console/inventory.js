// Domain page, section "Inventory": what the domain's mailboxes hold on legacy and how long their copy should
// take (GET/POST /api/v1/domains/{d}/inventory). Builds its own section inside <section id="inventory">.
import { api, session, el, time, bytes, stateBadge, fill, put } from './console.js';

const domain = (new URLSearchParams(location.search).get('d') || '').toLowerCase();
const path = `/domains/${encodeURIComponent(domain)}/inventory`;
const EVERY_MS = 3000;
const $ = id => document.getElementById(id);
let last = null;

function skeleton() {
  const box = $('inventory');
  if (!box || $('inventory-run')) return;
  box.append(
    el('h2', { text: 'Inventory and estimate' }),
    el('p', { class: 'muted', text: 'What every mailbox holds on legacy, read-only, before anything is copied, '
      + 'and how long the history copy should take.' }),
    el('p', { id: 'inventory-actions', hidden: true },
      el('button', { id: 'inventory-start', type: 'button', class: 'primary', text: 'Take inventory' }), ' ',
      el('span', { id: 'inventory-result', role: 'status' })),
    el('div', { id: 'inventory-run', class: 'facts' }),
    el('div', { id: 'inventory-totals', class: 'facts' }),
    el('div', { id: 'inventory-estimate', class: 'facts' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'inventory-mailboxes' },
      el('caption', {}, 'Per mailbox (', el('a', { id: 'inventory-csv', href: `/api/v1${path}?format=csv` , text: 'CSV' }), ')'),
      el('thead', {}, el('tr', {}, ...['Address', 'Outcome', 'Folders', 'Messages', 'Bytes', 'Refused folders',
        'Renamed folders', 'Over APPENDLIMIT', 'Problem'].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody'))));
  $('inventory-start').addEventListener('click', startInventory);
}

async function startInventory() {
  const out = $('inventory-result');
  out.textContent = 'Starting…';
  try {
    const v = await api(path, { method: 'POST' });
    out.textContent = `Inventory ${v.run ? v.run.state : 'started'}.`;
  } catch (e) {
    out.textContent = `Inventory refused (${e.status}): ${e.message}${e.details.length ? ' — ' + e.details.join('; ') : ''}`;
  }
  await refresh().catch(() => {});
}

const RUN_STATE = { running: 'SYNCING', done: 'PASS', failed: 'FAIL', interrupted: 'WARN' };

function fact(label, ...value) { return el('div', {}, el('b', { text: label }), ...value); }

async function refresh() {
  if (!session.user || !$('inventory')) return;
  skeleton();
  const v = await api(path);
  const text = JSON.stringify(v);
  $('inventory-actions').hidden = session.role !== 'admin';
  if (text === last) return;
  last = text;
  renderRun(v.run);
  renderReport(v.report, v.copy);
}

function renderRun(run) {
  const box = $('inventory-run');
  box.dataset.state = run ? run.state : 'none';
  if (!run) { put(box, fact('Inventory', 'none taken yet')); return; }
  $('inventory-start').disabled = run.state === 'running';
  // The answer to the click said "running"; once the run ended the facts below say how it went.
  if (run.state !== 'running') $('inventory-result').textContent = '';
  put(box,
    fact('Inventory', stateBadge(RUN_STATE[run.state] || 'UNKNOWN', run.state)),
    fact('Mailboxes done', el('progress', { id: 'inventory-progress', max: run.mailboxesTotal || 1, value: run.mailboxesDone }),
      el('span', { class: 'inventory-done', text: ` ${run.mailboxesDone}/${run.mailboxesTotal}` })),
    fact('Requested', time(run.startedAt), ` by ${run.requestedBy}`),
    fact('Finished', run.finishedAt ? time(run.finishedAt) : 'not yet'),
    run.error ? fact('Error', el('span', { class: 'error', text: run.error })) : null);
}

function renderReport(report, copy) {
  const rows = report ? report.mailboxes : [];
  const t = report ? report.domains.find(d => d.domain === domain) || report.domains[0] : null;
  put($('inventory-totals'), t ? [
    fact('Mailboxes', `${t.mailboxes} (${t.listed} listed)`),
    fact('Failed logins', el('span', { class: t.loginsFailed ? 'error' : '', text: `${t.loginsFailed}` }),
      t.failed ? ` (+${t.failed} failed otherwise)` : ''),
    fact('Folders', `${t.folders}`),
    fact('Messages', `${t.messages}`, ` (${bytes(t.bytes)})`),
    fact('Folders refused / renamed / merged', `${t.foldersRefused} / ${t.foldersRenamed} / ${t.foldersMerged}`),
    fact('Over APPENDLIMIT', report.appendLimit === null ? `${t.messagesOverAppendLimit} (the new server announces no limit)`
      : `${t.messagesOverAppendLimit} (limit ${bytes(report.appendLimit)})`),
    fact('Largest message', bytes(t.largestMessage))] : []);
  renderEstimate(report, copy);
  fill($('inventory-mailboxes').tBodies[0], rows, m => {
    const refused = m.folders.filter(f => f.fate === 'REFUSED');
    const renamed = m.folders.filter(f => f.fate === 'RENAMED' || f.fate === 'MERGED');
    return el('tr', { 'data-mailbox': m.address, 'data-outcome': m.outcome },
      el('th', { scope: 'row', text: m.address }),
      el('td', {}, stateBadge(m.outcome === 'LISTED' ? 'PASS' : 'FAIL', m.outcome === 'LOGIN_FAILED' ? 'login failed' : m.outcome.toLowerCase())),
      el('td', { class: 'num', text: m.folders.length }),
      el('td', { class: 'num', text: m.messages }),
      el('td', { class: 'num', text: bytes(m.bytes) }),
      el('td', { class: 'refused' }, ...refused.map(f => el('div', { class: 'error', text: `${f.legacyFolder}: ${f.reason}` }))),
      el('td', { class: 'renamed' }, ...renamed.map(f => el('div', { text: `${f.legacyFolder} → ${f.newFolder}` }))),
      el('td', { class: 'num over-limit', text: m.messagesOverAppendLimit }),
      el('td', { text: [m.problem, m.newServerProblem].filter(Boolean).join('; ') }));
  }, report ? 'No mailbox of this domain is imported.' : 'No inventory yet: an admin takes one with the button above.');
}

const SOURCE = { MEASURED: 'measured on this appliance', SAMPLE: 'timed sample copy', DEFAULT: 'documented default' };

function renderEstimate(report, copy) {
  const box = $('inventory-estimate');
  if (!report) { put(box); return; }
  const e = report.estimate;
  const items = [
    fact('Estimated history copy', el('span', { id: 'inventory-estimate-text', text: e.text }),
      ` for ${e.messages} messages (${bytes(e.bytes)}) in ${e.mailboxes} mailboxes, ${e.parallelism} at a time`,
      e.mailboxesNotListed ? ` (${e.mailboxesNotListed} not listed, not counted)` : ''),
    fact('Basis', el('span', { id: 'inventory-basis' }, `${SOURCE[e.rate.source] || e.rate.source}: ${e.rate.messagesPerSecond} msg/s, `
      + `${bytes(e.rate.bytesPerSecond)}/s — ${e.rate.basis}`)),
    fact('Tolerance', `${e.tolerance.low}× to ${e.tolerance.high}× of the estimate`)];
  if (copy) {
    items.push(fact('Actual copy', el('span', { id: 'inventory-actual', 'data-state': copy.state },
      copy.state === 'done'
        ? [`${copy.actual} (${copy.ratio}× the estimate) `, stateBadge(copy.withinTolerance ? 'PASS' : 'WARN', copy.withinTolerance ? 'within tolerance' : 'outside tolerance')]
        : copy.state === 'running' ? `running: ${copy.mailboxesCopied} of ${copy.mailboxes} mailboxes copied since ` : 'not started',
      copy.state === 'running' ? time(copy.startedAt) : '')));
  }
  put(box, items);
}

setInterval(() => { refresh().catch(() => {}); }, EVERY_MS);
// The first draw as soon as the page has its session (console.js logs in first).
const first = setInterval(() => { if (session.user) { clearInterval(first); refresh().catch(() => {}); } }, 200);
