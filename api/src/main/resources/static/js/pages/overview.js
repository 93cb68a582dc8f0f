// The first page after signing in: the balance (paid, promotional, reserved, available) and the latest calls.
import {get} from '../api.js';
import {h, replace, button, empty} from '../dom.js';
import {credits} from '../format.js';
import {callsTable} from './usage.js';

/** The four balance cards; ids balance-available, balance-paid, balance-promotional, balance-reserved. */
export function balanceCards(balance, idPrefix = 'balance') {
  const card = (key, label, hint, primary) => h('div', {class: 'card' + (primary ? ' primary' : '')},
    h('div', {class: 'label'}, label),
    h('div', {class: 'value', id: `${idPrefix}-${key}`, 'data-test': `${idPrefix}-${key}`, 'data-value': balance[key]},
      credits(balance[key])),
    h('div', {class: 'hint'}, hint));
  return h('div', {class: 'grid cards'},
    card('available', 'Available', 'What calls can spend now', true),
    card('paid', 'Paid', 'Bought credits'),
    card('promotional', 'Promotional', 'Free credits, spent first'),
    card('reserved', 'Reserved', 'Held for calls in flight'));
}

export async function render({main, app, alive}) {
  const [me, page] = await Promise.all([app.refreshMe(), get('/api/usage?limit=10')]);
  if (!alive()) return;
  const refresh = button('overview-refresh', 'Refresh', () => render({main, app, alive}), 'secondary small');
  const calls = page.calls.length
    ? callsTable(page.calls, 'recent-calls')
    : empty('No calls yet', 'Create an API key and make your first call: the quick start shows how.',
      h('a', {href: '#/keys', class: 'button', id: 'overview-create-key', 'data-test': 'overview-create-key'}, 'Create a key'),
      h('a', {href: '#/quickstart', class: 'button secondary'}, 'Quick start'));
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'Overview'), refresh),
    balanceCards(me.balance),
    h('div', {class: 'row', style: 'margin:-.25rem 0 1.25rem'},
      h('a', {href: '#/buy', class: 'button', id: 'overview-buy', 'data-test': 'overview-buy'}, 'Buy credits'),
      h('a', {href: '#/ledger', class: 'button secondary'}, 'See every movement')),
    h('section', {class: 'panel'},
      h('div', {class: 'page-head', style: 'margin-bottom:.75rem'}, h('h2', {style: 'margin:0'}, 'Recent calls'),
        h('a', {href: '#/usage'}, 'All usage →')),
      calls));
}
