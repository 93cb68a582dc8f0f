// API keys: create one (its secret is shown once, with a Copy button), list them, revoke one after confirming.
import {get, post, del} from '../api.js';
import {h, replace, button, empty, table, form} from '../dom.js';
import {dateTime} from '../format.js';
import {confirmDialog, copy, badge} from '../ui.js';

export async function render(ctx) {
  const {main, alive} = ctx;
  const secretSlot = h('div', {id: 'key-secret-slot'});
  const listSlot = h('div', {id: 'keys-list'});
  const create = form('key', [
    {field: 'name', label: 'Name', placeholder: 'e.g. production server', autocomplete: 'off'},
  ], 'Create key', async (v, f) => {
    let issued;
    try {
      issued = await post('/api/keys', {name: v.name});
    } catch (e) {
      if (e.code === 'email_not_verified') {
        e.message = 'Verify your email address first (see the banner above), then create the key.';
        e.param = null;
      }
      throw e;
    }
    f.reset();
    showSecret(secretSlot, issued);
    await list(listSlot, alive);
  }, {inline: true, aliases: {limits: 'name'}});
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'API keys')),
    secretSlot,
    h('section', {class: 'panel'}, h('h2', {}, 'Create a key'),
      h('p', {class: 'muted small'}, 'Programs send the key as "Authorization: Bearer <key>" to /v1. ' +
        'Give each program its own key, so you can revoke one without stopping the others.'),
      create.el),
    h('section', {class: 'panel'}, h('h2', {}, 'Your keys'), listSlot));
  await list(listSlot, alive);
}

function showSecret(slot, issued) {
  const copyButton = button('key-copy', 'Copy', () => copy(issued.key, copyButton));
  replace(slot, h('div', {class: 'secret-box', id: 'key-created', 'data-test': 'key-created', role: 'status'},
    h('h2', {}, `Key "${issued.name}" created`),
    h('p', {}, 'Copy the secret now: it is shown this once and never again (Pictura keeps only a hash).'),
    h('code', {class: 'secret', id: 'key-secret', 'data-test': 'key-secret'}, issued.key),
    h('div', {class: 'row'}, copyButton,
      h('a', {href: '#/quickstart', class: 'button secondary'}, 'Use it: quick start'),
      button('key-secret-done', 'I have saved it', () => replace(slot), 'secondary'))));
  slot.scrollIntoView({block: 'nearest'});
}

async function list(slot, alive) {
  const keys = await get('/api/keys');
  if (!alive()) return;
  if (!keys.length) {
    replace(slot, empty('No keys yet', 'Create your first key above to call the API.'));
    return;
  }
  const rows = keys.map(k => h('tr', {'data-test': 'key-row', 'data-key-id': k.id, 'data-prefix': k.prefix,
    'data-active': String(k.active)},
  h('td', {}, k.name),
  h('td', {}, h('span', {class: 'mono'}, k.prefix + '…')),
  h('td', {class: 'nowrap'}, dateTime(k.createdAt)),
  h('td', {class: 'nowrap'}, k.lastUsedAt ? dateTime(k.lastUsedAt) : h('span', {class: 'muted'}, 'never')),
  h('td', {class: 'nowrap', 'data-test': 'key-status'}, k.active ? badge('active', 'ok')
    : badge(k.revokedAt ? 'revoked ' + dateTime(k.revokedAt) : 'inactive', 'bad')),
  h('td', {class: 'num'}, k.active ? h('button', {type: 'button', class: 'danger-outline small',
    id: 'key-revoke-' + k.id, 'data-test': 'key-revoke', 'data-key-id': k.id,
    on: {click: () => revoke(k, slot, alive)}}, 'Revoke') : null)));
  replace(slot, table(['Name', 'Prefix', 'Created', 'Last used', 'Status', ''], rows, {id: 'keys-table', 'data-test': 'keys-table'}));
}

async function revoke(key, slot, alive) {
  const done = await confirmDialog({
    title: 'Revoke this key?',
    text: `"${key.name}" (${key.prefix}…) stops working at once; programs using it get 401. This cannot be undone.`,
    confirmLabel: 'Revoke key', danger: true,
    action: () => del('/api/keys/' + encodeURIComponent(key.id)),
  });
  if (done) await list(slot, alive);
}
