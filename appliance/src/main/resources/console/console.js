// mxcutover console: what every page shares. The pages are plain clients of /api/v1, logged in with the
// session cookie (POST /api/v1/session); every change sends the session's CSRF token.
const API = '/api/v1';
const INTERVAL_MS = 3000;
const STALE_AFTER_MS = 3 * INTERVAL_MS + 2000;

export const session = { user: null, role: null, csrf: null };
let lastOk = null;
let failing = null;

export class ApiError extends Error {
  constructor(status, message, details) { super(message); this.status = status; this.details = details || []; }
}

/** Calls the API; a 401 shows the login form. Returns the parsed JSON (or text for non-JSON answers). */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-Requested-With': 'mxcutover-console', 'Accept': 'application/json' };
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(API + path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json().catch(() => null) : await r.text();
  if (r.status === 401 && path !== '/session') showLogin('Your session ended: log in again.');
  if (!r.ok) {
    const msg = data && data.message ? data.message : `HTTP ${r.status}`;
    throw new ApiError(r.status, msg, data && data.details);
  }
  return data;
}

function $(id) { return document.getElementById(id); }

function showLogin(message) {
  session.user = null;
  $('content').hidden = true;
  $('login-section').hidden = false;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-error').textContent = message || '';
}

function showContent() {
  $('login-section').hidden = true;
  $('content').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = `${session.user} (${session.role})`;
}

/** Logs in (or finds the session), then calls refresh every few seconds; marks the page stale when it fails. */
export async function start(refresh) {
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    try {
      const s = await api('/session', { method: 'POST', body: { name: f.name.value, password: f.password.value } });
      Object.assign(session, { user: s.name, role: s.role, csrf: s.csrfToken });
      f.password.value = '';
      showContent();
      await tick(refresh);
    } catch (err) {
      $('login-error').textContent = err.status === 401 ? 'Wrong user name or password.' : err.message;
    }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('/session', { method: 'DELETE' }); } catch (e) { /* logged out either way */ }
    session.csrf = null;
    showLogin('Logged out.');
  });
  try {
    const s = await api('/session');
    Object.assign(session, { user: s.name, role: s.role, csrf: s.csrfToken });
    showContent();
  } catch (err) {
    showLogin(err.status === 401 ? '' : err.message);
  }
  if (session.user) await tick(refresh);
  setInterval(() => { if (session.user) tick(refresh); }, INTERVAL_MS);
  setInterval(showStaleness, 1000);
}

async function tick(refresh) {
  try {
    await refresh();
    lastOk = Date.now();
    failing = null;
  } catch (err) {
    if (err.status !== 401) failing = err.message || String(err);
  }
  showStaleness();
}

function showStaleness() {
  const banner = $('stale');
  const stale = session.user && (failing || (lastOk && Date.now() - lastOk > STALE_AFTER_MS));
  banner.hidden = !stale;
  if (stale) {
    const age = lastOk ? Math.round((Date.now() - lastOk) / 1000) : null;
    banner.textContent = `This page is stale: last update ${age === null ? 'never' : age + ' s ago'}`
      + (failing ? ` (${failing})` : '') + '. It retries by itself.';
  }
}

// ---------------------------------------------------------------------------------------------
// formatting: times in the browser's zone with UTC on hover; colour always with a word

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function time(iso) {
  if (!iso) return el('span', { class: 'muted', text: '—' });
  const d = new Date(iso);
  return el('time', { datetime: iso, title: d.toISOString().replace('.000Z', 'Z') + ' (UTC)',
    text: d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  return duration((now - new Date(iso).getTime()) / 1000);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.round(s / 86400)} days`;
}

/** ISO-8601 duration (PT1M30S) or seconds -> seconds. */
export function seconds(d) {
  if (typeof d === 'number') return d;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(d || '');
  return m ? (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0)) : null;
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const u = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0; let v = n;
  while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${u[i]}`;
}

const PHASE_CLASS = { RELAYING: 'info', CATCHING_UP: 'warn', COMPLETED: 'ok' };
export function phaseBadge(phase) { return el('span', { class: `badge ${PHASE_CLASS[phase] || ''}`, 'data-phase': phase, text: phase }); }

const STATE_CLASS = { PASS: 'ok', WARN: 'warn', FAIL: 'bad', SWITCHED: 'ok', PROPAGATING: 'warn', NOT_SWITCHED: 'info',
  UNEXPECTED: 'bad', UNKNOWN: 'bad', SYNCED: 'ok', SYNCING: 'info', PENDING: 'info', INCOMPLETE: 'warn', FAILED: 'bad',
  NEW: 'ok', OLD: 'info', OTHER: 'bad', ABSENT: 'bad', LAME: 'bad' };
export function stateBadge(state, text) {
  const t = text || state;
  return el('span', { class: `badge ${STATE_CLASS[state] || ''}${t.length > 24 ? ' long' : ''}`, text: t });
}

/** replaceChildren without the nulls of optional parts. */
export function put(parent, ...children) { parent.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false)); }

export function fill(tbody, rows, columns, empty) {
  tbody.replaceChildren(...(rows.length ? rows.map(columns) : [el('tr', {}, el('td', { colspan: 20, class: 'muted', text: empty }))]));
}

/** The newest phase change of the domain in the audit log (when it entered its phase). */
export function phaseSince(entries, phase) {
  const e = (entries || []).find(x => x.action === 'phase' && x.toPhase === phase);
  return e ? e.at : null;
}

export function domainOf(address) { return address.slice(address.lastIndexOf('@') + 1).toLowerCase(); }
