// Domain page, section "Batches": the domain's waves (GET /api/v1/domains/{d}/batches) with their counts,
// progress, rate, ETA and errors, the admin's start/pause/resume/complete (POST .../batches/{b}/{command},
// with the session's CSRF token through api()), and each batch's report as JSON and CSV.
import { api, session, el, time, duration, seconds, bytes, stateBadge, fill, put } from './console.js';

const domain = (new URLSearchParams(location.search).get('d') || '').toLowerCase();
const path = `/domains/${encodeURIComponent(domain)}/batches`;
const EVERY_MS = 3000;
const $ = id => document.getElementById(id);
let last = null;

// Which commands a state offers (the API refuses the others with 409 and says why).
const COMMANDS = { NEW: ['start'], STARTED: ['pause', 'complete'], PAUSED: ['resume', 'complete'], COMPLETED: ['complete'] };
const LABEL = { start: 'Start', pause: 'Pause', resume: 'Resume', complete: 'Complete' };
// On a completed batch "complete" runs the final pass again (BatchState): the button says so.
const label = (cmd, state) => (cmd === 'complete' && state === 'COMPLETED' ? 'Run final pass again' : LABEL[cmd]);
const BADGE = { NEW: 'PENDING', STARTED: 'SYNCING', PAUSED: 'WARN', COMPLETED: 'PASS' };

function skeleton() {
  const box = $('batches');
  if (!box || $('batch-list')) return;
  box.append(
    el('h2', { text: 'Batches' }),
    el('p', { class: 'muted', text: 'Mailboxes in a batch are copied only while it is started; complete runs a final '
      + 'pass over them and reports the additional messages per mailbox.' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'batch-list' },
      el('caption', { text: 'Batches of this domain' }),
      el('thead', {}, el('tr', {}, ...['Batch', 'State', 'Mailboxes copied/total', 'Messages copied', 'Progress',
        'Rate and ETA', 'Final pass', 'Errors', 'Report', 'Actions'].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody'))),
    el('p', { id: 'batch-result', role: 'status' }));
}

async function command(batch, cmd) {
  const out = $('batch-result');
  out.textContent = `${LABEL[cmd]} ${batch}…`;
  try {
    const r = await api(`${path}/${encodeURIComponent(batch)}/${cmd}`, { method: 'POST', body: { reason: `${cmd} from the console` } });
    out.textContent = r && r.message ? r.message : `${LABEL[cmd]} ${batch}: done`;
  } catch (e) {
    out.textContent = `${LABEL[cmd]} ${batch} refused (${e.status}): ${e.message}`;
  }
  last = null;
  await refresh().catch(() => {});
}

async function refresh() {
  if (!session.user || !$('batches')) return;
  skeleton();
  const list = await api(path);
  const text = JSON.stringify(list) + session.role;
  if (text === last) return;
  last = text;
  const admin = session.role === 'admin';
  fill($('batch-list').tBodies[0], list, b => {
    const eta = b.eta === null || b.eta === undefined ? null : seconds(b.eta);
    const report = `/api/v1${path}/${encodeURIComponent(b.name)}`;
    return el('tr', { 'data-batch': b.name, 'data-state': b.state },
      el('th', { scope: 'row', text: b.name }),
      el('td', { class: 'state' }, stateBadge(BADGE[b.state] || 'UNKNOWN', b.state)),
      el('td', { class: 'num' }, el('div', { class: 'mailboxes', text: `${b.mailboxesHistoryCopied}/${b.mailboxesTotal}` }),
        el('div', { class: b.mailboxesFailed ? 'error' : 'muted', text: `${b.mailboxesFailed} failed` }),
        el('div', { class: 'muted', text: `${b.mailboxesWaiting} waiting` })),
      el('td', { class: 'num messages' }, el('div', { text: `${b.messagesCopied} (${bytes(b.bytesCopied)})` }),
        el('div', { class: 'muted', text: `${b.messagesRemaining} left` })),
      el('td', { class: 'progress' }, b.progress === null || b.progress === undefined
        ? [el('progress', { 'aria-label': 'total unknown' }), ' total unknown']
        : [el('progress', { max: 100, value: b.progress }), ` ${Math.floor(b.progress)}%`]),
      el('td', { class: 'eta' }, el('div', { text: `${b.messagesPerSecond.toFixed(1)} msg/s, ${bytes(b.bytesPerSecond)}/s` }),
        el('div', { text: `ETA ${eta === null ? 'unknown' : duration(eta)}` }), el('div', { class: 'muted', text: b.etaReason })),
      el('td', { class: 'final-pass' }, b.finalPassState === 'none' ? '—'
        : b.finalPassState === 'running' ? 'running' : [el('div', { text: `${b.additionalMessages} additional messages` }), time(b.finalPassAt)]),
      el('td', { class: 'errors' }, ...b.errors.map(e => el('div', { class: 'error', text: e }))),
      el('td', {}, el('a', { class: 'report-json', href: report, text: 'JSON' }), ' · ',
        el('a', { class: 'report-csv', href: `${report}/report.csv`, text: 'CSV' })),
      el('td', { class: 'batch-actions' }, ...(admin ? (COMMANDS[b.state] || []).map(c =>
        el('button', { type: 'button', 'data-command': c, 'data-batch': b.name, text: label(c, b.state) })) : [])));
  }, 'No batch: put mailboxes into one with a batch column in the mailbox CSV, or POST /api/v1/domains/'
    + `${domain}/batches/{batch}/mailboxes.`);
}

// One listener for every button, so redrawing the rows never loses one.
document.addEventListener('click', e => {
  const b = e.target.closest && e.target.closest('#batch-list button[data-command]');
  if (b) { b.disabled = true; command(b.dataset.batch, b.dataset.command); }
});

setInterval(() => { refresh().catch(() => {}); }, EVERY_MS);
const first = setInterval(() => { if (session.user) { clearInterval(first); refresh().catch(() => {}); } }, 200);
