// Signing up, in and out, the Terms of Service, email verification and changing the password.
import {get, post} from '../api.js';
import {h, replace, form} from '../dom.js';
import {errorNotice, loading} from '../ui.js';

function afterSignIn(app) {
  const next = sessionStorage.getItem('pictura.after-sign-in');
  sessionStorage.removeItem('pictura.after-sign-in');
  app.go(next && !next.startsWith('#/signin') && !next.startsWith('#/signup') ? next : '#/overview');
}

function tooMany(e) {
  if (e.status === 429) {
    const wait = e.retryAfter ? ` Try again in ${Math.ceil(Number(e.retryAfter) / 60) || 1} minute(s).` : '';
    e.message = (e.message || 'Too many attempts.') + wait;
    e.param = null;
  }
  return e;
}

export async function signIn({main, app}) {
  const f = form('signin', [
    {field: 'email', label: 'Email', type: 'email', autocomplete: 'username', required: true},
    {field: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true},
  ], 'Sign in', async v => {
    try {
      await post('/api/session', {email: v.email.trim(), password: v.password}, {quiet401: true});
    } catch (e) {
      throw tooMany(e);
    }
    await app.refreshMe();
    afterSignIn(app);
  });
  const reason = sessionStorage.getItem('pictura.sign-in-reason');
  sessionStorage.removeItem('pictura.sign-in-reason');
  replace(main, h('div', {class: 'narrow'},
    h('div', {class: 'panel'}, h('h1', {}, 'Sign in to Pictura'),
      reason ? h('p', {class: 'notice warn', id: 'signin-reason', 'data-test': 'signin-reason'}, reason) : null, f.el),
    h('p', {class: 'muted', style: 'text-align:center'}, 'New here? ',
      h('a', {href: '#/signup', id: 'to-signup', 'data-test': 'to-signup'}, 'Create an account'))));
  f.inputs.email.focus();
}

export async function signUp({main, app}) {
  const termsLink = h('a', {href: '#/terms', target: '_blank', rel: 'noopener', id: 'terms-link',
    'data-test': 'terms-link'}, 'Terms of Service');
  const f = form('signup', [
    {field: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true},
    {field: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 12 characters; a passphrase is best.'},
    {field: 'ageConfirmed', label: 'I am 18 or older', type: 'checkbox'},
    {field: 'termsAccepted', label: h('span', {}, 'I accept the ', termsLink), type: 'checkbox'},
  ], 'Create account', async v => {
    const email = v.email.trim();
    // The server decides every rule; these two only save a round trip and say it next to the box.
    if (!v.ageConfirmed) throw Object.assign(new Error('You must be 18 or older to use Pictura.'), {param: 'ageConfirmed'});
    if (!v.termsAccepted) throw Object.assign(new Error('Please accept the Terms of Service.'), {param: 'termsAccepted'});
    try {
      await post('/api/accounts', {email, password: v.password, ageConfirmed: true, termsAccepted: true}, {quiet401: true});
    } catch (e) {
      throw tooMany(e);
    }
    await post('/api/session', {email, password: v.password}, {quiet401: true});
    await app.refreshMe();
    app.go('#/overview');
  });
  replace(main, h('div', {class: 'narrow'},
    h('div', {class: 'panel'}, h('h1', {}, 'Create your Pictura account'),
      h('p', {class: 'muted'}, 'Every new account starts with free promotional credits.'), f.el),
    h('p', {class: 'muted', style: 'text-align:center'}, 'Already have an account? ',
      h('a', {href: '#/signin', id: 'to-signin', 'data-test': 'to-signin'}, 'Sign in'))));
  f.inputs.email.focus();
}

export async function terms({main, alive}) {
  let body;
  try {
    const t = await get('/api/terms', {quiet401: true});
    body = [h('p', {class: 'muted small', id: 'terms-version', 'data-test': 'terms-version'}, 'Version ' + t.version),
      h('div', {class: 'terms-text', id: 'terms-text', 'data-test': 'terms-text'}, t.text)];
  } catch (e) {
    body = e.status === 404 ? h('p', {class: 'muted'}, 'No Terms of Service are published on this server.') : errorNotice(e);
  }
  if (!alive()) return;
  replace(main, h('div', {class: 'panel', style: 'max-width:760px;margin:0 auto'}, h('h1', {}, 'Terms of Service'), body));
}

export async function verifyEmail({main, params, app, alive}) {
  const status = h('div', {id: 'verify-status', 'data-test': 'verify-status', role: 'status'}, loading('Verifying your email address…'));
  replace(main, h('div', {class: 'narrow'}, h('div', {class: 'panel'}, h('h1', {}, 'Verify your email'), status)));
  const token = params.get('token');
  const next = app.me ? h('a', {href: '#/overview', class: 'button', id: 'verify-continue', 'data-test': 'verify-continue'}, 'Go to your overview')
    : h('a', {href: '#/signin', class: 'button', id: 'verify-continue', 'data-test': 'verify-continue'}, 'Sign in');
  if (!token) {
    replace(status, h('p', {class: 'notice error', 'data-test': 'verify-failed'}, 'This link has no token. Open the link from the email again.'), next);
    return;
  }
  try {
    await post('/api/email-verifications', {token}, {quiet401: true});
  } catch (e) {
    if (!alive()) return;
    const again = app.me ? ' Use "Send the link again" above for a fresh one.' : ' Sign in and ask for a fresh link.';
    replace(status, h('p', {class: 'notice error', id: 'verify-failed', 'data-test': 'verify-failed'},
      (e.param === 'token' ? 'This link is used, expired or unknown.' : e.message) + again), next);
    return;
  }
  if (app.me) await app.refreshMe();
  if (!alive()) return;
  replace(status, h('p', {class: 'notice ok', id: 'verify-done', 'data-test': 'verify-done'},
    'Your email address is verified. You can now create API keys.'), next);
}

export async function changePassword({main, app}) {
  const f = form('password', [
    {field: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password'},
    {field: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password',
      hint: 'At least 12 characters.'},
    {field: 'confirmPassword', label: 'New password again', type: 'password', autocomplete: 'new-password'},
  ], 'Change password', async (v, fm) => {
    if (v.newPassword !== v.confirmPassword) {
      throw Object.assign(new Error('The two new passwords differ.'), {param: 'confirmPassword'});
    }
    await post('/api/me/password', {currentPassword: v.currentPassword, newPassword: v.newPassword});
    fm.reset();
    fm.ok('Your password is changed. Every other session of your account was signed out; this one stays.');
  });
  replace(main, h('div', {class: 'narrow'}, h('div', {class: 'panel'}, h('h1', {}, 'Change password'),
    h('p', {class: 'muted small'}, 'Signed in as ' + app.me.email), f.el)));
}
