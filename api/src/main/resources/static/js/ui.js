// The in-page confirmation dialog (not window.confirm: a browser test can click it, and it can ask for the
// reason a staff action needs), and small shared pieces.
import {h, form} from './dom.js';

/**
 * Opens a dialog; resolves true once `action` succeeded, false when cancelled. An error thrown by `action`
 * shows next to its field (or above the fields) and the dialog stays open.
 *
 * @param {object} o {title, text, confirmLabel, danger, fields: form fields (e.g. a reason), action(values)}
 */
export function confirmDialog(o) {
  const root = document.getElementById('dialog-root');
  return new Promise(resolve => {
    const previous = document.activeElement;
    let done = false;
    const close = result => {
      if (done) return;
      done = true;
      document.removeEventListener('keydown', onKey);
      root.replaceChildren();
      if (previous && previous.focus) previous.focus();
      resolve(result);
    };
    const onKey = e => { if (e.key === 'Escape') close(false); };
    const cancel = h('button', {type: 'button', class: 'secondary', id: 'confirm-cancel', 'data-test': 'confirm-cancel',
      on: {click: () => close(false)}}, 'Cancel');
    const f = form('confirm', o.fields || [], o.confirmLabel || 'Confirm', async values => {
      if (o.action) await o.action(values);
      close(true);
    }, {submitClass: o.danger ? 'danger' : ''});
    // The submit button goes into the button row, after Cancel.
    f.submit.id = 'confirm-ok';
    f.submit.setAttribute('data-test', 'confirm-ok');
    f.el.append(h('div', {class: 'row'}, cancel, f.submit));
    const dialog = h('div', {class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title',
      id: 'confirm-dialog', 'data-test': 'confirm-dialog'},
    h('h2', {id: 'confirm-title'}, o.title),
    o.text ? (o.text instanceof Node ? o.text : h('p', {id: 'confirm-text'}, o.text)) : null,
    f.el);
    const backdrop = h('div', {class: 'dialog-backdrop', on: {click: e => { if (e.target === backdrop) close(false); }}}, dialog);
    root.replaceChildren(backdrop);
    document.addEventListener('keydown', onKey);
    const first = dialog.querySelector('input, textarea, select') || f.submit;
    first.focus();
  });
}

/** The reason field every staff action asks for. */
export const REASON = {field: 'reason', label: 'Reason (kept in the audit trail)', type: 'textarea', rows: 2};

export function badge(text, kind) {
  return h('span', {class: 'badge' + (kind ? ' ' + kind : '')}, text);
}

export function statusBadge(status) {
  const kind = status === 'active' ? 'ok' : status === 'suspended' ? 'warn' : status === 'terminated' ? 'bad' : '';
  return badge(status, kind);
}

export function outcomeBadge(outcome) {
  const kind = outcome === 'charged' ? 'ok' : outcome === 'open' ? 'info' : outcome === 'released' ? '' : 'warn';
  return badge(outcome, kind);
}

/** Copies text with the Clipboard API; says so on the button for a moment. */
export async function copy(text, buttonEl) {
  const label = buttonEl.textContent;
  try {
    await navigator.clipboard.writeText(text);
    buttonEl.textContent = 'Copied';
  } catch (e) {
    buttonEl.textContent = 'Select and copy by hand';
  }
  setTimeout(() => { buttonEl.textContent = label; }, 1800);
}

export function loading(text) {
  return h('p', {class: 'muted', 'data-test': 'loading'}, h('span', {class: 'spinner'}), ' ', text || 'Loading…');
}

export function errorNotice(e) {
  return h('p', {class: 'notice error', role: 'alert', 'data-test': 'page-error'}, e.message || String(e));
}
