// The self-service page (/migrate/): a user logs in with the old mailbox's address and password, which starts
// the copy, then sees the copy's progress. Talks only to /api/v1/self-service (appliance.selfservice).
const HEADERS = { 'X-Requested-With': 'mxcutover-selfservice', Accept: 'application/json' };
let csrf = null;
let timer = null;

const $ = id => document.getElementById(id);

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function show(view) {
  $('login-section').hidden = true;
  $('progress-section').hidden = false;
  $('logout').hidden = false;
  $('progress-title').textContent = `Your mailbox ${view.address}`;
  $('progress-state').textContent = `${view.state}: ${view.explanation}`;
  $('progress-state').dataset.state = view.state;
  const total = view.messagesTotal === null || view.messagesTotal === undefined ? 'not counted yet' : view.messagesTotal;
  $('progress-total').textContent = `Messages copied: ${view.messagesCopied} of ${total}`;
  const rows = view.folders.map(f => {
    const tr = document.createElement('tr');
    tr.append(cell(f.name), cell(String(f.copied)),
      cell(f.total === null || f.total === undefined ? 'not counted yet' : String(f.total)));
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('The copy has not listed your folders yet.');
    td.colSpan = 3;
    tr.append(td);
    rows.push(tr);
  }
  $('folders').querySelector('tbody').replaceChildren(...rows);
}

function showLogin(message) {
  $('login-section').hidden = false;
  $('progress-section').hidden = true;
  $('logout').hidden = true;
  $('login-error').textContent = message || '';
  if (timer) { clearInterval(timer); timer = null; }
}

async function refresh() {
  const r = await fetch('/api/v1/self-service/progress', { headers: HEADERS, credentials: 'same-origin' });
  if (r.status === 200) {
    const body = await r.json();
    csrf = body.csrfToken;
    show(body.view);
    return true;
  }
  return false;
}

function follow() {
  if (!timer) {
    timer = setInterval(() => refresh().then(ok => { if (!ok) showLogin('Your session ended: log in again.'); }),
      5000);
  }
}

$('login').addEventListener('submit', async e => {
  e.preventDefault();
  const form = new FormData(e.target);
  $('login-error').textContent = '';
  const r = await fetch('/api/v1/self-service/login', {
    method: 'POST', credentials: 'same-origin',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ address: form.get('address'), password: form.get('password') }),
  });
  const body = await r.json().catch(() => ({}));
  e.target.querySelector('input[name=password]').value = '';
  if (r.status === 200) {
    csrf = body.csrfToken;
    show(body.view);
    follow();
  } else {
    showLogin(body.message || `The login failed (${r.status}).`);
  }
});

$('logout').addEventListener('click', async () => {
  await fetch('/api/v1/self-service/session', {
    method: 'DELETE', credentials: 'same-origin', headers: { ...HEADERS, 'X-CSRF-Token': csrf || '' },
  });
  csrf = null;
  showLogin('');
});

refresh().then(ok => { if (ok) follow(); });
