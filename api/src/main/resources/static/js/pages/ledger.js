// The ledger: every credit movement with the balance after it, newest first, in keyset pages (Older follows the
// answer's `next`).
import {get, qs} from '../api.js';
import {h, replace, button, empty, table} from '../dom.js';
import {credits, signed, micros, dateTime} from '../format.js';
import {badge} from '../ui.js';

const KIND = {grant: 'info', purchase: 'ok', charge: '', reservation: '', release: '', adjustment: 'warn',
  refund: 'ok', reversal: 'bad', forfeit: 'bad'};

/** Ledger lines as a table (also used by the staff pages). */
export function ledgerTable(lines, id) {
  const rows = lines.map(l => {
    const amount = micros(l.amount);
    return h('tr', {'data-test': 'ledger-row', 'data-sequence': l.sequence, 'data-kind': l.kind},
      h('td', {class: 'nowrap'}, dateTime(l.at)),
      h('td', {}, badge(l.kind, KIND[l.kind])),
      h('td', {}, l.description || ''),
      h('td', {class: 'num ' + (amount > 0n ? 'pos' : amount < 0n ? 'neg' : '')}, signed(amount)),
      h('td', {class: 'num'}, credits(l.availableAfter)),
      h('td', {class: 'num'}, credits(l.paidAfter)),
      h('td', {class: 'num'}, credits(l.promotionalAfter)),
      h('td', {class: 'num'}, credits(l.reservedAfter)),
      h('td', {}, h('span', {class: 'mono small'}, l.reference || '')));
  });
  return table(['When', 'Kind', 'Description', {label: 'Amount', class: 'num'}, {label: 'Available', class: 'num'},
    {label: 'Paid', class: 'num'}, {label: 'Promo', class: 'num'}, {label: 'Reserved', class: 'num'}, 'Reference'],
  rows, {id, 'data-test': id});
}

export async function render({main, alive}) {
  const slot = h('div', {id: 'ledger'});
  replace(main, h('div', {class: 'page-head'}, h('h1', {}, 'Ledger')),
    h('p', {class: 'muted'}, 'Every movement of your credits, with the balance after it. Entries are never ' +
      'edited: a correction is a new entry.'),
    h('section', {class: 'panel'}, slot));
  await load(slot, null, 1, alive);
}

async function load(slot, before, pageNo, alive) {
  const page = await get('/api/ledger' + qs({before, size: 50}));
  if (!alive()) return;
  if (!page.lines.length && before === null) {
    replace(slot, empty('No movements yet', 'Your free credits and every purchase and charge will show here.'));
    return;
  }
  const older = page.next !== null && page.next !== undefined
    ? button('ledger-older', 'Older', () => load(slot, page.next, pageNo + 1, alive), 'secondary')
    : h('span', {class: 'muted small', id: 'ledger-end', 'data-test': 'ledger-end'}, 'That is the first movement.');
  const newest = before !== null ? button('ledger-newest', 'Newest', () => load(slot, null, 1, alive), 'secondary')
    : h('span');
  replace(slot, ledgerTable(page.lines, 'ledger-table'),
    h('div', {class: 'pager'}, newest, h('span', {class: 'muted small'}, 'Page ' + pageNo), older));
}
