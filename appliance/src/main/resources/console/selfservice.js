// The domain page's "Waiting for their users" section: mailboxes imported without a legacy password that no user
// has logged in for yet on /migrate/ (GET /api/v1/domains/{d}/mailboxes?state=AWAITING_USER).
import { api, el, put, time, ago } from '/console.js';

const domain = new URLSearchParams(location.search).get('d') || '';
const section = document.getElementById('awaiting');

async function load() {
  if (!section || !domain) return;
  try {
    const r = await api(`/domains/${encodeURIComponent(domain)}/mailboxes?state=AWAITING_USER`);
    const rows = r.mailboxes.map(m => el('tr', {},
      el('td', { text: m.address }),
      el('td', {}, time(m.importedAt), m.importedAt ? ` (${ago(m.importedAt)} ago)` : '')));
    put(section,
      el('h2', { text: 'Waiting for their users' }),
      el('p', { class: 'muted', text: r.count === 0
        ? 'No mailbox waits for its user: every one imported without a password has been started.'
        : `${r.count} mailbox(es) imported without a password: their users have not logged in yet at `
          + `${location.origin}/migrate/ with their old password. Send them that link.` }),
      r.count === 0 ? null : el('div', { class: 'table-wrap' }, el('table', { id: 'awaiting-table' },
        el('caption', { text: 'Not started yet, oldest import first' }),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Mailbox' }), el('th', { scope: 'col', text: 'Imported' }))),
        el('tbody', {}, ...rows))),
      el('p', {}, el('a', { href: `/api/v1/domains/${encodeURIComponent(domain)}/mailboxes?state=AWAITING_USER&format=csv`,
        text: 'Download as CSV' })));
  } catch (e) {
    put(section, el('h2', { text: 'Waiting for their users' }), el('p', { class: 'error', text: `not loaded: ${e.message}` }));
  }
}

load();
setInterval(load, 6000);
