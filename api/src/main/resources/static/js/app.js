// The dashboard's shell: who is signed in (GET /api/me), the navigation, the email banner, and hash routing
// (#/overview, #/keys, #/verify-email?token=...) to the pages in ./pages.
import {get, post, del, whenUnauthorized} from './api.js';
import {h, replace, button} from './dom.js';
import {errorNotice, loading} from './ui.js';
import * as auth from './pages/auth.js';
import * as overview from './pages/overview.js';
import * as usage from './pages/usage.js';
import * as keys from './pages/keys.js';
import * as ledger from './pages/ledger.js';
import * as billing from './pages/billing.js';
import * as quickstart from './pages/quickstart.js';
import * as outbox from './pages/outbox.js';
import * as staff from './pages/staff.js';

/**
 * access: public (signed out only), any (both), user (signed in), or a staff role.
 */
const ROUTES = {
  'signin': {render: auth.signIn, access: 'public', title: 'Sign in'},
  'signup': {render: auth.signUp, access: 'public', title: 'Create an account'},
  'terms': {render: auth.terms, access: 'any', title: 'Terms of Service'},
  'verify-email': {render: auth.verifyEmail, access: 'any', title: 'Verify your email'},
  'overview': {render: overview.render, access: 'user', title: 'Overview'},
  'usage': {render: usage.render, access: 'user', title: 'Usage'},
  'keys': {render: keys.render, access: 'user', title: 'API keys'},
  'ledger': {render: ledger.render, access: 'user', title: 'Ledger'},
  'buy': {render: billing.packs, access: 'user', title: 'Buy credits'},
  'buy/return': {render: billing.returned, access: 'user', title: 'Payment'},
  'quickstart': {render: quickstart.render, access: 'user', title: 'Quick start'},
  'outbox': {render: outbox.render, access: 'user', title: 'Outbox'},
  'password': {render: auth.changePassword, access: 'user', title: 'Change password'},
  'support': {render: staff.support, access: 'SUPPORT', title: 'Support'},
  'audit': {render: staff.audit, access: 'AUDITOR', title: 'Audit'},
  'admin': {render: staff.admin, access: 'ADMIN', title: 'Admin'},
};

const USER_NAV = [
  ['overview', 'Overview'], ['usage', 'Usage'], ['keys', 'API keys'], ['ledger', 'Ledger'],
  ['buy', 'Buy credits'], ['quickstart', 'Quick start'],
];
const STAFF_NAV = [['support', 'Support', 'SUPPORT'], ['audit', 'Audit', 'AUDITOR'], ['admin', 'Admin', 'ADMIN']];

export const app = {
  me: null,
  /** Whether GET /api/outbox exists (no SMTP configured: the embedded default). null = not asked yet. */
  outbox: null,
  hasRole(role) { return !!(this.me && (this.me.roles || []).includes(role)); },
  async refreshMe() {
    try {
      this.me = await get('/api/me', {quiet401: true});
    } catch (e) {
      if (e.status !== 401) throw e;
      this.me = null;
    }
    renderChrome();
    return this.me;
  },
  go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  async signOut() {
    try { await del('/api/session', {quiet401: true}); } catch (e) { /* signed out either way */ }
    this.me = null;
    this.outbox = null;
    renderChrome();
    this.go('#/signin');
  },
};

let generation = 0;
let leaveHandlers = [];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return {path: path.replace(/\/+$/, ''), params: new URLSearchParams(query)};
}

function allowed(access) {
  if (access === 'any') return true;
  if (access === 'public') return !app.me;
  if (access === 'user') return !!app.me;
  return app.hasRole(access);
}

async function route() {
  const current = ++generation;
  leaveHandlers.forEach(fn => { try { fn(); } catch (e) { /* already gone */ } });
  leaveHandlers = [];
  const main = document.getElementById('main');
  const {path, params} = parseHash();
  let target = ROUTES[path];
  if (!target) {
    app.go(app.me ? '#/overview' : '#/signin');
    return;
  }
  if (!allowed(target.access)) {
    if (target.access === 'public') { app.go('#/overview'); return; }
    if (!app.me) {
      sessionStorage.setItem('pictura.after-sign-in', location.hash);
      app.go('#/signin');
      return;
    }
    replace(main, h('h1', {}, target.title),
      errorNotice(new Error('This page needs the ' + target.access + ' role.')));
    return;
  }
  document.title = target.title + ' · Pictura';
  markActive(path);
  closeNav();
  replace(main, loading());
  const ctx = {
    main, params, app,
    /** False once the person went to another page: late answers are dropped. */
    alive: () => current === generation,
    onLeave: fn => leaveHandlers.push(fn),
  };
  try {
    await target.render(ctx);
  } catch (e) {
    if (ctx.alive() && e.status !== 401) replace(main, h('h1', {}, target.title), errorNotice(e));
  }
}

function markActive(path) {
  const top = path.split('/')[0];
  document.querySelectorAll('#nav a[data-route]').forEach(a => {
    a.classList.toggle('active', a.dataset.route === top);
    if (a.dataset.route === top) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
}

function closeNav() {
  document.getElementById('nav').classList.remove('open');
  document.getElementById('nav-toggle').setAttribute('aria-expanded', 'false');
}

function navLink(route, label) {
  return h('a', {href: '#/' + route, 'data-route': route, id: 'nav-' + route, 'data-test': 'nav-' + route}, label);
}

let chromeKey = null;

/** Redraws the navigation and banner when who is signed in (or what they may see) changed, not on every poll. */
function renderChrome() {
  const key = JSON.stringify(app.me ? [app.me.id, app.me.email, app.me.roles, app.me.emailVerified] : null);
  if (key === chromeKey) return;
  chromeKey = key;
  const nav = document.getElementById('nav');
  const brand = document.getElementById('brand');
  brand.setAttribute('href', app.me ? '#/overview' : '#/signin');
  if (!app.me) {
    document.body.classList.remove('staff');
    replace(nav, h('span', {class: 'spacer'}), navLink('signin', 'Sign in'), navLink('signup', 'Create account'));
  } else {
    const staffLinks = STAFF_NAV.filter(([, , role]) => app.hasRole(role)).map(([r, l]) => navLink(r, l));
    document.body.classList.toggle('staff', staffLinks.length > 0);
    replace(nav,
      USER_NAV.map(([r, l]) => navLink(r, l)),
      staffLinks.length ? h('span', {class: 'staff-sep', 'aria-hidden': 'true'}) : null,
      staffLinks,
      h('span', {class: 'spacer'}),
      h('span', {class: 'who', id: 'nav-email', 'data-test': 'nav-email', title: app.me.email}, app.me.email),
      navLink('password', 'Password'),
      h('button', {type: 'button', class: 'linklike', id: 'sign-out', 'data-test': 'sign-out',
        on: {click: () => app.signOut()}}, 'Sign out'));
  }
  markActive(parseHash().path);
  renderBanner();
}

async function renderBanner() {
  const slot = document.getElementById('banner');
  // Only an explicit false: a server without email verification says nothing, and nobody is nagged.
  if (!app.me || app.me.emailVerified !== false) {
    slot.replaceChildren();
    return;
  }
  const status = h('span', {class: 'small', id: 'verification-status', 'data-test': 'verification-status', role: 'status'});
  const resend = button('resend-verification', 'Send the link again', async () => {
    resend.disabled = true;
    status.textContent = '';
    try {
      await post('/api/me/verification-mail');
      status.textContent = 'Sent. Check your inbox.';
    } catch (e) {
      status.textContent = e.message;
    } finally {
      resend.disabled = false;
    }
  }, 'small secondary');
  const outboxLink = h('a', {href: '#/outbox', id: 'outbox-link', 'data-test': 'outbox-link', hidden: true}, 'Open the outbox');
  slot.replaceChildren(h('div', {class: 'banner', id: 'verify-banner', 'data-test': 'verify-banner', role: 'region',
    'aria-label': 'Email verification'},
  h('div', {class: 'banner-inner'},
    h('span', {class: 'msg'}, 'Please verify your email address ', h('strong', {}, app.me.email),
      ': open the link we sent you. Until then you cannot create API keys.'),
    resend, outboxLink, status)));
  if (await outboxAvailable()) outboxLink.hidden = false;
}

/** GET /api/outbox answers only when no SMTP server is configured; 404 otherwise. Asked once per sign-in. */
export async function outboxAvailable() {
  if (app.outbox === null) {
    try {
      await get('/api/outbox', {quiet401: true});
      app.outbox = true;
    } catch (e) {
      app.outbox = e.status === 404 ? false : null;
    }
  }
  return app.outbox === true;
}

async function start() {
  document.getElementById('nav-toggle').addEventListener('click', () => {
    const nav = document.getElementById('nav');
    const open = nav.classList.toggle('open');
    document.getElementById('nav-toggle').setAttribute('aria-expanded', String(open));
  });
  whenUnauthorized(error => {
    // Staff routes want a recent sign-in: say why the sign-in page shows up.
    if (error.code === 'reauthentication_required') sessionStorage.setItem('pictura.sign-in-reason', error.message);
    if (app.me) {
      app.me = null;
      renderChrome();
    }
    const {path} = parseHash();
    if (ROUTES[path] && ROUTES[path].access !== 'public' && ROUTES[path].access !== 'any') {
      sessionStorage.setItem('pictura.after-sign-in', location.hash);
      app.go('#/signin');
    }
  });
  window.addEventListener('hashchange', route);
  try {
    await app.refreshMe();
  } catch (e) {
    renderChrome();
    replace(document.getElementById('main'), errorNotice(e));
    return;
  }
  route();
}

start();
