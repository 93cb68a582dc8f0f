// The outbox: with no mail server configured (the embedded default), the mails Pictura would have sent you
// are kept and shown here, newest first. With SMTP configured the server answers 404 and mail goes out.
import {get} from '../api.js';
import {h, replace, empty} from '../dom.js';
import {dateTime} from '../format.js';

/**
 * A dashboard link opened on this origin: the mail's link names the configured public address, which may be
 * another spelling of this server (127.0.0.1 against localhost) where this browser has no session.
 */
function localHref(link) {
  try {
    const url = new URL(link, location.href);
    if (url.origin !== location.origin && url.pathname === '/' && url.hash.startsWith('#/')) return url.hash;
  } catch (e) { /* not a URL: shown as it is */ }
  return link;
}

export async function render({main, alive}) {
  let mails;
  try {
    mails = await get('/api/outbox');
  } catch (e) {
    if (e.status !== 404) throw e;
    mails = null;
  }
  if (!alive()) return;
  const head = h('div', {class: 'page-head'}, h('h1', {}, 'Outbox'));
  if (mails === null) {
    replace(main, head, empty('No outbox on this server', 'Mail is delivered by email: check your inbox.'));
    return;
  }
  const intro = h('p', {class: 'muted'}, 'No mail server is configured, so the mails Pictura sends you are kept ' +
    'here instead of being emailed.');
  if (!mails.length) {
    replace(main, head, intro, empty('No mail yet', 'Mails sent to you appear here.'));
    return;
  }
  replace(main, head, intro, mails.map((m, i) => h('article', {class: 'panel', 'data-test': 'outbox-mail', 'data-mail-id': m.id},
    h('div', {class: 'page-head', style: 'margin-bottom:.4rem'}, h('h2', {style: 'margin:0'}, m.subject),
      h('span', {class: 'muted small'}, dateTime(m.sentAt))),
    h('p', {class: 'muted small'}, 'To ' + m.to),
    m.link ? h('p', {}, h('a', {href: localHref(m.link), class: 'button', id: i === 0 ? 'outbox-mail-link' : undefined,
      'data-test': 'outbox-mail-link'}, 'Open the link')) : null,
    h('details', {open: i === 0 ? true : undefined}, h('summary', {}, 'Full text'), h('pre', {class: 'mail'}, m.text)))));
}
