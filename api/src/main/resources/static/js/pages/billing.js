// Buying credits: the packs, a Stripe Checkout Session for one (the browser goes to its hosted page: in the
// embedded default the built-in Stripe simulator), and the page Stripe returns to, which waits until the
// credits arrive (they come with Stripe's webhook, not with the redirect).
import {get, post} from '../api.js';
import {h, replace, empty} from '../dom.js';
import {credits, micros} from '../format.js';
import {balanceCards} from './overview.js';

const PENDING = 'pictura.purchase';

function money(pack) {
  const amount = (pack.priceCents / 100).toFixed(2);
  return pack.currency.toUpperCase() === 'USD' ? '$' + amount : amount + ' ' + pack.currency.toUpperCase();
}

function newIdempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'dash-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export async function packs({main, params, app, alive}) {
  const [offer, me] = await Promise.all([get('/api/billing/packs'), app.refreshMe()]);
  if (!alive()) return;
  const error = h('p', {class: 'form-error', id: 'buy-error', 'data-test': 'buy-error', role: 'alert'});
  const cards = offer.data.map(pack => {
    const buy = h('button', {type: 'button', id: 'buy-' + pack.id, 'data-test': 'buy-pack', 'data-pack': pack.id,
      on: {click: () => checkout(pack, buy, me, error)}}, 'Buy');
    const perCredit = micros(pack.credits) > 0n ? (pack.priceCents / Number(pack.credits)).toFixed(2) : null;
    return h('div', {class: 'card pack', 'data-test': 'pack', 'data-pack': pack.id},
      h('div', {class: 'credits'}, credits(pack.credits).replace(/\.00$/, '')),
      h('div', {class: 'muted small'}, 'credits'),
      h('div', {class: 'price'}, money(pack), perCredit ? h('span', {class: 'small'}, ` · ${perCredit}¢ per credit`) : null),
      buy);
  });
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'Buy credits')),
    params.get('cancelled') ? h('p', {class: 'notice warn', id: 'buy-cancelled', 'data-test': 'buy-cancelled'},
      'Checkout cancelled: nothing was charged.') : null,
    h('p', {class: 'muted'}, 'Paid credits never expire. You pay on Stripe\'s page; the credits arrive as soon as ' +
      'Stripe confirms the payment, usually within seconds.'),
    error,
    cards.length ? h('div', {class: 'grid packs'}, cards) : empty('Nothing on sale', 'No credit packs are configured.'),
    h('p', {class: 'muted small', style: 'margin-top:1rem'}, 'Your available balance: ',
      h('strong', {id: 'balance-available', 'data-test': 'balance-available'}, credits(me.balance.available))));
}

async function checkout(pack, buttonEl, me, error) {
  error.textContent = '';
  buttonEl.disabled = true;
  const label = buttonEl.textContent;
  buttonEl.textContent = 'Opening checkout…';
  try {
    const started = await post('/api/billing/checkout', {packId: pack.id}, {headers: {'Idempotency-Key': newIdempotencyKey()}});
    sessionStorage.setItem(PENDING, JSON.stringify({
      packId: pack.id, credits: pack.credits, sessionId: started.id, paidBefore: me.balance.paid, at: Date.now(),
    }));
    location.assign(started.url);
  } catch (e) {
    error.textContent = e.message;
    buttonEl.disabled = false;
    buttonEl.textContent = label;
  }
}

/**
 * #/buy/return?session_id=cs_...: waits, visibly, until the purchase is in the ledger (its reference is the
 * checkout session's id, so this holds whichever address the browser came back on), else until the paid
 * balance rises above what it was when checkout began.
 */
export async function returned({main, params, app, alive, onLeave}) {
  let pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null'); } catch (e) { pending = null; }
  const sessionId = params.get('session_id');
  if (pending && sessionId && pending.sessionId !== sessionId) pending = null;
  const first = await app.refreshMe();
  if (!alive()) return;
  const baseline = micros(pending ? pending.paidBefore : first.balance.paid);
  const state = h('div', {id: 'purchase-state', 'data-test': 'purchase-state', role: 'status', 'aria-live': 'polite'});
  const cardsSlot = h('div', {}, balanceCards(first.balance));
  replace(main, h('div', {class: 'page-head'}, h('h1', {}, 'Payment')), state, cardsSlot,
    h('p', {}, h('a', {href: '#/overview'}, 'Back to the overview'), ' · ', h('a', {href: '#/ledger'}, 'See the ledger')));

  /** The credits this purchase added, once it is booked; null while it is not. */
  const booked = async me => {
    if (sessionId) {
      const page = await get('/api/ledger?size=50');
      const line = page.lines.find(l => l.kind === 'purchase' && l.reference === sessionId);
      return line ? micros(line.amount) : null;
    }
    const added = micros(me.balance.paid) - baseline;
    return added > 0n ? added : null;
  };
  const arrived = added => {
    sessionStorage.removeItem(PENDING);
    replace(state, h('p', {class: 'notice ok', id: 'purchase-done', 'data-test': 'purchase-done'},
      `Payment confirmed: ${credits(added)} credits were added to your balance.`));
  };
  replace(state, h('p', {class: 'notice', id: 'purchase-waiting', 'data-test': 'purchase-waiting'},
    h('span', {class: 'spinner'}), ' Waiting for payment confirmation from Stripe…',
    pending ? ` (${credits(pending.credits).replace(/\.00$/, '')} credits)` : ''));
  const started = Date.now();
  const limit = pending || sessionId ? 120000 : 30000;
  let timer = null;
  onLeave(() => clearTimeout(timer));
  const poll = async me => {
    if (!alive()) return;
    let added = null;
    try {
      me = me || await app.refreshMe();
      added = await booked(me);
    } catch (e) {
      me = null;
    }
    if (!alive()) return;
    if (me) replace(cardsSlot, balanceCards(me.balance));
    if (added !== null) {
      arrived(added);
      return;
    }
    if (Date.now() - started > limit) {
      replace(state, h('p', {class: 'notice warn', id: 'purchase-timeout', 'data-test': 'purchase-timeout'},
        pending || sessionId ? 'Stripe has not confirmed the payment yet. A bank debit settles later; your credits ' +
          'appear on their own once it does. Nothing needs to be done again.'
          : 'No new payment has arrived. If you just paid, your credits appear within moments of Stripe\'s confirmation.'));
      return;
    }
    timer = setTimeout(() => poll(null), 1500);
  };
  await poll(first);
}
