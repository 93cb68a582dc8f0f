// Staff pages, each shown only to holders of its role: support (find an account; see its ledger, calls and waiting
// adjustment requests; correct it), audit (event history, balance at an instant, verification, chain, exports,
// staff trail, replays) and admin (roles).
// Every action asks for the reason the server requires; it goes into the audit trail.
import {get, post, qs} from '../api.js';
import {h, replace, button, empty, table, form} from '../dom.js';
import {credits, dateTime} from '../format.js';
import {confirmDialog, REASON, badge, statusBadge, errorNotice, loading} from '../ui.js';
import {balanceCards} from './overview.js';
import {ledgerTable} from './ledger.js';
import {callsTable} from './usage.js';

const ROLES = ['SUPPORT', 'AUDITOR', 'ADMIN'];

function fail(message, param) {
  return Object.assign(new Error(message), {param});
}

/** A datetime-local value ("2026-12-01T10:30") as an ISO instant, or undefined when empty. */
function instant(local, param) {
  if (!local) return undefined;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) throw fail('Not a date and time.', param);
  return d.toISOString();
}

/** The payload fields that are Credits: the events store them as integer micros. */
const CREDIT_FIELDS = new Set(['amount', 'promotional', 'paid', 'heldPromotional', 'heldPaid']);

/** Event payload values as people read them: Credits as amounts, typed ids as their text. */
function plain(value, field) {
  if (CREDIT_FIELDS.has(field) && Number.isInteger(value)) return credits(BigInt(value));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'micros') return credits(BigInt(String(value.micros)));
    if (keys.length === 1 && keys[0] === 'value') return String(value.value);
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const SUMMARY_FIELDS = ['amount', 'reason', 'ticket', 'requestId', 'adjustmentId', 'reservationId', 'refundId',
  'paymentId', 'grantId', 'model', 'role', 'name', 'email', 'approvedBy', 'rejectedBy'];

function eventSummary(payload) {
  if (!payload || typeof payload !== 'object') return '';
  return SUMMARY_FIELDS.filter(f => payload[f] !== undefined && payload[f] !== null)
    .map(f => `${f}: ${plain(payload[f], f)}`).join(' · ');
}

function eventsTable(events, id) {
  const rows = events.map(e => h('tr', {'data-test': 'event-row', 'data-type': e.type, 'data-global-index': e.globalIndex},
    h('td', {class: 'num'}, e.globalIndex),
    h('td', {class: 'nowrap'}, dateTime(e.at)),
    h('td', {}, h('strong', {}, e.type), h('div', {class: 'small muted mono'}, `${e.aggregate} #${e.sequence}`)),
    h('td', {}, eventSummary(e.payload),
      h('details', {}, h('summary', {class: 'small'}, 'payload and metadata'),
        h('pre', {class: 'json'}, JSON.stringify({payload: e.payload, metadata: e.metadata}, null, 2))))));
  return table([{label: '#', class: 'num'}, 'When', 'Event', 'Details'], rows, {id, 'data-test': id});
}

// ------------------------------------------------------------------------------------------------- support

export async function support(ctx) {
  const id = ctx.params.get('id');
  return id ? accountDetail(ctx, id) : supportSearch(ctx);
}

async function supportSearch({main, params, app, alive}) {
  const q = params.get('q') || '';
  const results = h('div', {id: 'support-results'});
  const f = form('support', [
    {field: 'q', label: 'Email, account id (acct_…) or key prefix (pk_…)', type: 'search', value: q, autocomplete: 'off'},
  ], 'Find', v => {
    if (!v.q.trim()) throw fail('Type an email, an account id or a key prefix.', 'q');
    app.go('#/support' + qs({q: v.q.trim()}));
  }, {inline: true});
  replace(main, h('div', {class: 'page-head'}, h('h1', {}, 'Support')),
    h('section', {class: 'panel'}, h('h2', {}, 'Find an account'), f.el), results);
  if (!q) return;
  replace(results, loading('Searching…'));
  let found;
  try {
    found = await get('/admin/accounts' + qs({q}));
  } catch (e) {
    if (!alive()) return;
    replace(results);
    f.error(e.message, e.param);
    return;
  }
  if (!alive()) return;
  if (!found.length) {
    replace(results, empty('No account found', `Nothing matches "${q}".`));
    return;
  }
  replace(results, h('section', {class: 'panel'}, h('h2', {}, found.length === 1 ? '1 account' : found.length + ' accounts'),
    table(['Email', 'Account', 'Status', 'Registered', {label: 'Available', class: 'num'}, ''],
      found.map(a => h('tr', {'data-test': 'support-result', 'data-account-id': a.id},
        h('td', {}, a.email), h('td', {}, h('span', {class: 'mono small'}, a.id)), h('td', {}, statusBadge(a.status)),
        h('td', {class: 'nowrap'}, dateTime(a.registeredAt)), h('td', {class: 'num'}, credits(a.balance.available)),
        h('td', {class: 'num'}, h('a', {href: '#/support' + qs({id: a.id}), class: 'button small',
          'data-test': 'support-open', 'data-account-id': a.id}, 'Open')))),
      {id: 'support-results-table'})));
}

async function accountDetail(ctx, id) {
  const {main, app, alive} = ctx;
  const account = await get('/admin/accounts/' + encodeURIComponent(id));
  if (!alive()) return;
  const path = '/admin/accounts/' + encodeURIComponent(account.id);
  const reload = () => accountDetail(ctx, id);
  const statusAction = (action, label, danger, text) => button('support-' + action, label, async () => {
    const done = await confirmDialog({title: `${label} ${account.email}?`, text, confirmLabel: label, danger,
      fields: [REASON], action: v => post(`${path}/${action}`, {reason: v.reason})});
    if (done) reload();
  }, danger ? 'danger-outline' : 'secondary');
  const actions = h('div', {class: 'row'},
    account.status === 'active' ? statusAction('suspend', 'Suspend', false,
      'Its keys stop working and its sessions cannot act until it is reinstated.') : null,
    account.status === 'suspended' ? statusAction('reinstate', 'Reinstate', false, 'The account works again.') : null,
    account.status !== 'terminated' ? statusAction('terminate', 'Terminate', true,
      'Final: the credits are forfeited, every key and session stops at once, and the wallet stays closed for good.') : null);

  const adjust = form('adjust', [
    {field: 'amount', label: 'Amount', placeholder: 'e.g. 10 or -2.5', inputmode: 'decimal', short: true},
    {field: 'ticket', label: 'Support ticket', placeholder: 'e.g. T-1234', short: true},
    {field: 'reason', label: 'Reason', placeholder: 'Why the balance changes'},
  ], 'Adjust credits', async (v, f) => {
    const outcome = await post(path + '/adjustments', {amount: v.amount.trim(), reason: v.reason, ticket: v.ticket});
    f.reset();
    if (outcome.applied) {
      f.ok(`Adjusted by ${credits(outcome.amount)} credits (${outcome.id}).`);
      setTimeout(reload, 1200);
    } else {
      f.ok(`Request ${outcome.id} for ${credits(outcome.amount)} credits waits for a second staff member's approval ` +
        '(listed under Waiting adjustment requests).');
      pendingRequests(pendingSlot, path, app.me && app.me.id, reload, alive);
    }
  }, {inline: true});

  const refund = form('refund', [
    {field: 'reservationId', label: 'Charge (reservation id)', placeholder: 'res_…'},
    {field: 'amount', label: 'Credits', inputmode: 'decimal', short: true},
    {field: 'reason', label: 'Reason'},
  ], 'Refund', async (v, f) => {
    const done = await post(path + '/refunds', {reservationId: v.reservationId.trim(), amount: v.amount.trim(), reason: v.reason});
    f.reset();
    f.ok(`Refunded (${done.id}).`);
    setTimeout(reload, 1200);
  }, {inline: true});

  const keyRows = account.keys.map(k => h('tr', {'data-test': 'support-key-row', 'data-key-id': k.id},
    h('td', {}, k.name), h('td', {}, h('span', {class: 'mono'}, k.prefix + '…')),
    h('td', {class: 'nowrap'}, dateTime(k.createdAt)), h('td', {class: 'nowrap'}, k.lastUsedAt ? dateTime(k.lastUsedAt) : 'never'),
    h('td', {}, k.active ? badge('active', 'ok') : badge('revoked', 'bad')),
    h('td', {class: 'num'}, k.active ? h('button', {type: 'button', class: 'danger-outline small', 'data-test': 'support-key-revoke',
      'data-key-id': k.id, on: {click: async () => {
        const done = await confirmDialog({title: `Revoke key "${k.name}"?`, text: `${k.prefix}… stops working at once.`,
          confirmLabel: 'Revoke key', danger: true, fields: [REASON],
          action: v => post('/admin/keys/' + encodeURIComponent(k.id) + '/revoke', {reason: v.reason})});
        if (done) reload();
      }}}, 'Revoke') : null)));

  const pendingSlot = h('div', {id: 'support-pending'});
  const ledgerSlot = h('div', {id: 'support-ledger'});
  const callsSlot = h('div', {id: 'support-calls'});
  replace(main,
    h('p', {}, h('a', {href: '#/support', id: 'support-back', 'data-test': 'support-back'}, '← Find another account')),
    h('div', {class: 'page-head'}, h('h1', {id: 'support-email', 'data-test': 'support-email'}, account.email), actions),
    h('div', {class: 'panel'}, h('dl', {class: 'facts'},
      h('dt', {}, 'Account'), h('dd', {class: 'mono', id: 'support-account-id', 'data-test': 'support-account-id'}, account.id),
      h('dt', {}, 'Status'), h('dd', {id: 'support-status', 'data-test': 'support-status'}, statusBadge(account.status)),
      h('dt', {}, 'Roles'), h('dd', {}, account.roles.length ? account.roles.map(r => badge(r, 'info')) : h('span', {class: 'muted'}, 'customer')),
      h('dt', {}, 'Registered'), h('dd', {}, dateTime(account.registeredAt)))),
    balanceCards(account.balance, 'support-balance'),
    h('section', {class: 'panel'}, h('h2', {}, 'Adjust credits'),
      h('p', {class: 'muted small'}, 'In credits; a negative amount takes credits away. A correction is a new ledger entry; a large one waits ' +
        'for a second staff member\'s approval.'),
      adjust.el),
    h('section', {class: 'panel'}, h('h2', {}, 'Waiting adjustment requests'),
      h('p', {class: 'muted small'}, 'Approve or reject a request another staff member made (you cannot decide your own).'),
      pendingSlot),
    h('section', {class: 'panel'}, h('h2', {}, 'Refund a charge'), refund.el),
    h('section', {class: 'panel'}, h('h2', {}, 'API keys'),
      keyRows.length ? table(['Name', 'Prefix', 'Created', 'Last used', 'Status', ''], keyRows, {id: 'support-keys'})
        : empty('No keys', 'This account has not created any API key.')),
    h('section', {class: 'panel'}, h('h2', {}, 'Ledger, newest first'), ledgerSlot),
    h('section', {class: 'panel'}, h('h2', {}, 'Calls, newest first'), callsSlot),
    app.hasRole('AUDITOR') ? h('p', {class: 'small'}, h('a', {href: '#/audit' + qs({tab: 'history', account: account.id}),
      id: 'support-audit-history', 'data-test': 'support-audit-history'}, 'The account\'s full event history on the Audit page →')) : null);
  await Promise.all([pendingRequests(pendingSlot, path, app.me && app.me.id, reload, alive),
    supportLedger(ledgerSlot, path, null, 1, alive), supportCalls(callsSlot, path, null, alive)]);
}

/** The account's ledger in keyset pages, as the holder's own Ledger page shows it (GET …/ledger). */
async function supportLedger(slot, path, before, pageNo, alive) {
  replace(slot, loading());
  const page = await get(path + '/ledger' + qs({before, size: 25})).catch(e => e);
  if (!alive()) return;
  if (page instanceof Error) {
    replace(slot, errorNotice(page));
    return;
  }
  if (!page.lines.length && before === null) {
    replace(slot, empty('No movements yet', ''));
    return;
  }
  const older = page.next !== null && page.next !== undefined
    ? button('support-ledger-older', 'Older', () => supportLedger(slot, path, page.next, pageNo + 1, alive), 'secondary')
    : h('span', {class: 'muted small', id: 'support-ledger-end', 'data-test': 'support-ledger-end'}, 'That is the first movement.');
  const newest = before !== null
    ? button('support-ledger-newest', 'Newest', () => supportLedger(slot, path, null, 1, alive), 'secondary') : h('span');
  replace(slot, ledgerTable(page.lines, 'support-ledger-table'),
    h('div', {class: 'pager'}, newest, h('span', {class: 'muted small'}, 'Page ' + pageNo), older));
}

/** The account's calls in keyset pages, as the holder's own Usage page lists them (GET …/usage). */
async function supportCalls(slot, path, after, alive) {
  replace(slot, loading());
  const page = await get(path + '/usage' + qs({limit: 25, after})).catch(e => e);
  if (!alive()) return;
  if (page instanceof Error) {
    replace(slot, errorNotice(page));
    return;
  }
  if (!page.calls.length && !after) {
    replace(slot, empty('No calls yet', 'This account has not called the API.'));
    return;
  }
  const older = page.next ? button('support-calls-older', 'Older', () => supportCalls(slot, path, page.next, alive), 'secondary')
    : h('span', {class: 'muted small', id: 'support-calls-end', 'data-test': 'support-calls-end'}, 'That is every call.');
  const newest = after ? button('support-calls-newest', 'Newest', () => supportCalls(slot, path, null, alive), 'secondary')
    : h('span');
  replace(slot, callsTable(page.calls, 'support-calls-table'), h('div', {class: 'pager'}, newest, older));
}

/** Requests waiting for a second staff member (GET …/adjustments?state=pending), each decided with a reason. */
async function pendingRequests(slot, path, myId, reload, alive) {
  const waiting = await get(path + '/adjustments' + qs({state: 'pending'})).catch(e => e);
  if (!alive()) return;
  if (waiting instanceof Error) {
    replace(slot, errorNotice(waiting));
    return;
  }
  if (!waiting.length) {
    replace(slot, h('p', {class: 'muted', id: 'pending-none', 'data-test': 'pending-none'}, 'None waiting.'));
    return;
  }
  const decideButton = (r, decision) => h('button', {type: 'button', class: decision === 'approve' ? 'small' : 'small danger-outline',
    'data-test': 'pending-' + decision, 'data-request-id': r.id, on: {click: async () => {
      const done = await confirmDialog({title: (decision === 'approve' ? 'Approve' : 'Reject') + ' this adjustment?',
        text: `${credits(r.amount)} credits: ${r.reason} (ticket ${r.ticket}), requested by ${r.requestedBy}`,
        confirmLabel: decision === 'approve' ? 'Approve' : 'Reject', danger: decision === 'reject', fields: [REASON],
        action: v => post(`${path}/adjustments/${encodeURIComponent(r.id)}/${decision}`, {reason: v.reason})});
      if (done) setTimeout(reload, 800);
    }}}, decision === 'approve' ? 'Approve' : 'Reject');
  const own = r => myId && r.requestedBy === 'staff:' + myId;
  replace(slot, table(['Requested', 'Request', {label: 'Amount', class: 'num'}, 'Reason', 'Ticket', 'By', ''],
    waiting.map(r => h('tr', {'data-test': 'pending-row', 'data-request-id': r.id},
      h('td', {class: 'nowrap'}, dateTime(r.requestedAt)), h('td', {class: 'mono small'}, r.id),
      h('td', {class: 'num'}, credits(r.amount)), h('td', {}, r.reason), h('td', {}, r.ticket),
      h('td', {class: 'small'}, own(r) ? 'you' : r.requestedBy),
      // The requester may still reject (withdraw) their own request; only approving it is refused.
      h('td', {class: 'num'}, h('div', {class: 'row end'}, own(r) ? null : decideButton(r, 'approve'), decideButton(r, 'reject'))))),
  {id: 'pending-table', 'data-test': 'pending-table'}));
}

// --------------------------------------------------------------------------------------------------- audit

const AUDIT_TABS = [['history', 'Event history'], ['balance', 'Balance at an instant'], ['verify', 'Verification'],
  ['staff', 'Staff actions'], ['replays', 'Replays'], ['export', 'Export']];

export async function audit(ctx) {
  const {main, params, app} = ctx;
  const tab = AUDIT_TABS.some(([t]) => t === params.get('tab')) ? params.get('tab') : 'history';
  const body = h('div', {id: 'audit-body'});
  replace(main, h('div', {class: 'page-head'}, h('h1', {}, 'Audit')),
    h('div', {class: 'tabs', role: 'tablist'}, AUDIT_TABS.map(([t, label]) => h('button', {type: 'button', role: 'tab',
      id: 'audit-tab-' + t, 'data-test': 'audit-tab-' + t, class: t === tab ? 'on' : '', 'aria-selected': String(t === tab),
      on: {click: () => app.go('#/audit' + qs({tab: t, account: params.get('account')}))}}, label))),
    body);
  const render = {history: auditHistory, balance: auditBalance, verify: auditVerify, staff: auditStaff,
    replays: auditReplays, export: auditExport}[tab];
  await render({...ctx, main: body});
}

async function auditHistory({main, params, app, alive}) {
  const results = h('div', {id: 'audit-history'});
  const f = form('history', [
    {field: 'account', label: 'Account id', placeholder: 'acct_…', value: params.get('account') || ''},
    {field: 'type', label: 'Event type', placeholder: 'optional, e.g. CreditsAdjusted', value: params.get('type') || '', short: true},
    {field: 'from', label: 'From', type: 'datetime-local', value: params.get('from') || '', short: true},
    {field: 'to', label: 'Before', type: 'datetime-local', value: params.get('to') || '', short: true},
  ], 'Show history', v => {
    if (!v.account.trim()) throw fail('The account id (acct_…).', 'account');
    instant(v.from, 'from');
    instant(v.to, 'to');
    app.go('#/audit' + qs({tab: 'history', account: v.account.trim(), type: v.type.trim(), from: v.from, to: v.to}));
  }, {inline: true});
  replace(main, h('section', {class: 'panel'}, f.el), results);
  const account = params.get('account');
  if (!account) return;
  replace(results, loading());
  let events;
  try {
    events = await get('/audit/accounts/' + encodeURIComponent(account) + '/events' + qs({
      type: params.get('type'), from: instant(params.get('from'), 'from'), to: instant(params.get('to'), 'to')}));
  } catch (e) {
    if (!alive()) return;
    replace(results);
    f.error(e.message, e.status === 404 ? 'account' : e.param);
    return;
  }
  if (!alive()) return;
  replace(results, h('section', {class: 'panel'},
    h('div', {class: 'page-head', style: 'margin-bottom:.5rem'}, h('h2', {style: 'margin:0'}, events.length + ' events, oldest first'),
      h('div', {class: 'row'},
        h('a', {class: 'button secondary small', href: '/audit/export' + qs({account, format: 'jsonl'}), download: ''}, 'Export JSONL'),
        h('a', {class: 'button secondary small', href: '/audit/export' + qs({account, format: 'csv'}), download: ''}, 'Export CSV'))),
    events.length ? eventsTable(events, 'audit-events') : empty('No events match', 'Try without the type or the period.')));
}

async function auditBalance({main, params, alive}) {
  const result = h('div', {id: 'audit-balance'});
  const f = form('balance-at', [
    {field: 'account', label: 'Account id', placeholder: 'acct_…', value: params.get('account') || ''},
    {field: 'at', label: 'At (local time; empty: now)', type: 'datetime-local', short: true},
  ], 'Fold the events', async v => {
    if (!v.account.trim()) throw fail('The account id (acct_…).', 'account');
    let balance;
    try {
      balance = await get('/audit/accounts/' + encodeURIComponent(v.account.trim()) + '/balance' + qs({at: instant(v.at, 'at')}));
    } catch (e) {
      if (e.status === 404) e.param = 'account';
      throw e;
    }
    if (!alive()) return;
    replace(result, h('p', {class: 'muted'}, `As of ${dateTime(balance.asOf)}, from ${balance.events} wallet events:`),
      balanceCards(balance, 'audit-balance'));
  }, {inline: true});
  replace(main, h('section', {class: 'panel'}, h('p', {class: 'muted small'}, 'The balance the account had at an instant, ' +
    'computed from its wallet\'s events alone (never from a read model).'), f.el), result);
}

async function auditVerify({main, alive}) {
  const balances = h('div', {id: 'audit-verification'});
  const chain = h('div', {id: 'audit-chain'});
  const heads = h('div', {id: 'audit-heads'});
  const run = (slot, fn) => async () => {
    replace(slot, loading('Checking…'));
    try { await fn(); } catch (e) { if (alive()) replace(slot, errorNotice(e)); }
  };
  const verifyBalances = button('audit-verify', 'Verify balances', run(balances, async () => {
    const v = await get('/audit/verification');
    if (!alive()) return;
    replace(balances, h('p', {class: v.differences.length ? 'notice error' : 'notice ok', 'data-test': 'audit-verification-result'},
      `${v.wallets} wallets and ${v.events} events checked: ` +
      (v.differences.length ? `${v.differences.length} differ from the balance read model.` : 'every balance matches its events.')),
    v.differences.length ? table(['Wallet', 'From events (promo / paid / reserved)', 'Read model'], v.differences.map(d =>
      h('tr', {}, h('td', {class: 'mono small'}, d.walletId),
        h('td', {}, `${credits(d.fromEvents.promotional)} / ${credits(d.fromEvents.paid)} / ${credits(d.fromEvents.reserved)}`),
        h('td', {}, `${credits(d.readModel.promotional)} / ${credits(d.readModel.paid)} / ${credits(d.readModel.reserved)}`)))) : null);
  }));
  const verifyChain = button('audit-chain-verify', 'Verify the hash chain', run(chain, async () => {
    const v = await get('/audit/chain/verification');
    if (!alive()) return;
    replace(chain, h('p', {class: v.broken.length ? 'notice error' : 'notice ok', 'data-test': 'audit-chain-result'},
      `${v.aggregates} aggregates and ${v.events} events checked: ` +
      (v.broken.length ? `${v.broken.length} no longer match their link.` : 'every event matches its link.')),
    v.broken.length ? table(['Aggregate', {label: 'Sequence', class: 'num'}, 'Event', 'Problem'], v.broken.map(b =>
      h('tr', {}, h('td', {class: 'mono small'}, b.aggregate), h('td', {class: 'num'}, b.sequence),
        h('td', {class: 'mono small'}, b.eventId), h('td', {}, b.problem)))) : null);
  }));
  const showHeads = button('audit-chain-heads', 'Show chain heads', run(heads, async () => {
    const v = await get('/audit/chain/heads');
    if (!alive()) return;
    replace(heads, h('p', {}, 'Digest over every head (keep it elsewhere, compare it later): '),
      h('code', {class: 'secret', id: 'audit-heads-digest', 'data-test': 'audit-heads-digest'}, v.digest),
      h('details', {}, h('summary', {}, v.heads.length + ' aggregates'),
        table(['Aggregate', {label: 'Sequence', class: 'num'}, 'Link'], v.heads.map(hd => h('tr', {},
          h('td', {class: 'mono small'}, hd.aggregate), h('td', {class: 'num'}, hd.sequence), h('td', {class: 'mono small'}, hd.link))))));
  }));
  replace(main,
    h('section', {class: 'panel'}, h('h2', {}, 'Balances against their events'), h('p', {class: 'muted small'},
      'Every wallet recomputed from its events and compared with the balance shown to its owner.'), verifyBalances, balances),
    h('section', {class: 'panel'}, h('h2', {}, 'Tamper evidence'), h('p', {class: 'muted small'},
      'Every stored event checked against its hash-chain link.'), h('div', {class: 'row'}, verifyChain, showHeads), chain, heads));
}

async function auditStaff({main, params, app, alive}) {
  const results = h('div', {id: 'audit-staff'});
  const f = form('staff-actions', [
    {field: 'staff', label: 'Staff member', placeholder: 'optional, e.g. staff:acct_…', value: params.get('staff') || ''},
    {field: 'limit', label: 'At most', type: 'number', value: params.get('limit') || '100', short: true},
  ], 'Show', v => app.go('#/audit' + qs({tab: 'staff', staff: v.staff.trim(), limit: v.limit})), {inline: true});
  replace(main, h('section', {class: 'panel'}, f.el), results);
  let rows;
  try {
    rows = await get('/audit/staff-actions' + qs({staff: params.get('staff'), limit: params.get('limit')}));
  } catch (e) {
    if (alive()) f.error(e.message, e.param);
    return;
  }
  if (!alive()) return;
  replace(results, rows.length ? table(['When', 'Staff', 'Action', 'Aggregate', 'Reason'], rows.map(r => h('tr', {'data-test': 'staff-action-row'},
    h('td', {class: 'nowrap'}, dateTime(r.at)), h('td', {class: 'small'}, r.staff), h('td', {}, r.action),
    h('td', {class: 'mono small'}, r.aggregate), h('td', {}, r.reason))), {id: 'staff-actions-table'})
    : empty('No staff actions', 'Nothing was done by staff yet.'));
}

function progressRow(p, onStart) {
  const bar = h('div', {style: `width:${Math.min(100, p.percent)}%`});
  const row = h('tr', {'data-test': 'replay-row', 'data-processor': p.processor},
    h('td', {}, h('strong', {}, p.processor)),
    h('td', {'data-test': 'replay-state'}, badge(p.state, p.state === 'running' ? 'info' : p.state === 'done' ? 'ok' : '')),
    h('td', {style: 'min-width:12rem'}, h('div', {class: 'progress', id: 'replay-progress-' + p.processor,
      'data-test': 'replay-progress', role: 'progressbar', 'aria-valuenow': p.percent, 'aria-valuemin': 0, 'aria-valuemax': 100}, bar),
    h('div', {class: 'small muted'}, `${p.percent}% · ${p.position.toLocaleString()} of ${p.head.toLocaleString()} events` +
      (p.state === 'running' ? ` · ${p.eventsPerSecond}/s` + (p.expectedFinish ? ` · done ~${dateTime(p.expectedFinish)}` : '') : ''))),
    h('td', {class: 'small'}, p.startedBy ? `${dateTime(p.startedAt)} by ${p.startedBy}: ${p.reason}` : ''),
    h('td', {class: 'num'}, h('button', {type: 'button', class: 'small secondary', 'data-test': 'replay-start',
      'data-processor': p.processor, disabled: p.state === 'running', on: {click: onStart}}, 'Replay…')));
  return row;
}

async function auditReplays({main, alive, onLeave}) {
  const all = await get('/audit/replays');
  if (!alive()) return;
  const tbody = h('tbody');
  const timers = new Map();
  onLeave(() => timers.forEach(t => clearTimeout(t)));
  const rows = new Map();
  const put = p => {
    const row = progressRow(p, () => start(p.processor));
    if (rows.has(p.processor)) rows.get(p.processor).replaceWith(row);
    else tbody.append(row);
    rows.set(p.processor, row);
  };
  const follow = name => {
    const tick = async () => {
      if (!alive()) return;
      let p;
      try { p = await get('/audit/replays/' + encodeURIComponent(name)); } catch (e) { return; }
      if (!alive()) return;
      put(p);
      if (p.state === 'running') timers.set(name, setTimeout(tick, 1000));
    };
    timers.set(name, setTimeout(tick, 500));
  };
  const start = async name => {
    let started = null;
    const done = await confirmDialog({title: `Replay ${name}?`,
      text: 'The read model is emptied and rebuilt from the first event; what it shows is incomplete until the replay is done.',
      confirmLabel: 'Start replay', fields: [REASON],
      action: async v => { started = await post('/audit/replays/' + encodeURIComponent(name), {reason: v.reason}); }});
    if (done && started) {
      put(started);
      follow(name);
    }
  };
  all.forEach(put);
  all.filter(p => p.state === 'running').forEach(p => follow(p.processor));
  replace(main, h('section', {class: 'panel'}, h('p', {class: 'muted small'}, 'Rebuild a read model from the events. ' +
    'Other nodes\' copies of it must be stopped first (else the server answers 409).'),
  all.length ? h('div', {class: 'table-wrap'}, h('table', {id: 'replays-table'},
    h('thead', {}, h('tr', {}, ['Read model', 'State', 'Progress', 'Last replay', ''].map(t => h('th', {}, t)))), tbody))
    : empty('Nothing to replay', 'No read model can be replayed on this node.')));
}

async function auditExport({main, params}) {
  const links = h('div', {class: 'row'});
  const account = h('input', {type: 'text', id: 'export-account', 'data-test': 'export-account', placeholder: 'acct_… (empty: the whole ledger)',
    value: params.get('account') || ''});
  const draw = () => {
    const a = account.value.trim() || undefined;
    replace(links,
      h('a', {class: 'button', id: 'audit-export-jsonl', 'data-test': 'audit-export-jsonl', download: '',
        href: '/audit/export' + qs({account: a, format: 'jsonl'})}, 'Download JSON lines'),
      h('a', {class: 'button secondary', id: 'audit-export-csv', 'data-test': 'audit-export-csv', download: '',
        href: '/audit/export' + qs({account: a, format: 'csv'})}, 'Download CSV'));
  };
  account.addEventListener('input', draw);
  draw();
  replace(main, h('section', {class: 'panel'}, h('h2', {}, 'Export the stored history'),
    h('p', {class: 'muted small'}, 'Every event with its hash-chain link, streamed. Check it offline with ',
      h('code', {}, 'java -jar pictura.jar verify'), '.'),
    h('div', {class: 'field'}, h('label', {for: 'export-account'}, 'Account (optional)'), account), links));
}

// --------------------------------------------------------------------------------------------------- admin

export async function admin(ctx) {
  const {main, params, app, alive} = ctx;
  const canSearch = app.hasRole('SUPPORT');
  const q = params.get('q') || '';
  const result = h('div', {id: 'admin-result'});
  const f = form('admin', [
    {field: 'q', label: canSearch ? 'Email or account id' : 'Account id (acct_…)', type: 'search', value: q, autocomplete: 'off'},
  ], 'Find', v => {
    if (!v.q.trim()) throw fail('Whose roles?', 'q');
    app.go('#/admin' + qs({q: v.q.trim()}));
  }, {inline: true});
  replace(main, h('div', {class: 'page-head'}, h('h1', {}, 'Admin: staff roles')),
    h('section', {class: 'panel'}, h('p', {class: 'muted small'}, 'SUPPORT corrects accounts, AUDITOR reads the whole ' +
      'history and runs replays, ADMIN grants and revokes these roles. Every change is an event with its reason.'), f.el),
    result);
  if (!q) return;
  let accounts;
  if (canSearch) {
    try {
      accounts = await get('/admin/accounts' + qs({q}));
    } catch (e) {
      if (alive()) f.error(e.message, e.param);
      return;
    }
  } else {
    accounts = [{id: q, email: q, roles: null}];
  }
  if (!alive()) return;
  if (!accounts.length) {
    replace(result, empty('No account found', `Nothing matches "${q}".`));
    return;
  }
  replace(result, accounts.map(a => rolesPanel(a, () => admin(ctx))));
}

function rolesPanel(account, reload) {
  const change = (role, action) => async () => {
    const done = await confirmDialog({title: `${action === 'grant' ? 'Grant' : 'Revoke'} ${role} ${action === 'grant' ? 'to' : 'from'} ${account.email}?`,
      confirmLabel: action === 'grant' ? 'Grant' : 'Revoke', danger: action === 'revoke', fields: [REASON],
      action: v => post(`/admin/accounts/${encodeURIComponent(account.id)}/roles/${role}/${action}`, {reason: v.reason})});
    if (done) reload();
  };
  const rows = ROLES.map(role => {
    const has = account.roles ? account.roles.includes(role) : null;
    return h('tr', {'data-test': 'role-row', 'data-role': role},
      h('td', {}, h('strong', {}, role)),
      h('td', {'data-test': 'role-held'}, has === null ? h('span', {class: 'muted'}, 'unknown') : has ? badge('held', 'ok') : badge('not held')),
      h('td', {class: 'num'}, h('div', {class: 'row end'},
        has !== true ? button(`role-grant-${role}`, 'Grant…', change(role, 'grant'), 'small') : null,
        has !== false ? button(`role-revoke-${role}`, 'Revoke…', change(role, 'revoke'), 'small danger-outline') : null)));
  });
  return h('section', {class: 'panel', 'data-test': 'admin-account', 'data-account-id': account.id},
    h('h2', {}, account.email), h('p', {class: 'mono small muted'}, account.id),
    table(['Role', 'Held', ''], rows, {id: 'roles-table'}));
}
