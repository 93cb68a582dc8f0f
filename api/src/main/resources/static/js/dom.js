// Building the page: elements from plain data, never from HTML strings (nothing a server or user wrote can
// become markup), and forms that show the API's errors next to the field its `param` names.

/**
 * h('button', {id: 'x', class: 'secondary', on: {click: fn}}, 'Text', child...)
 * Attributes: class, text, on (event listeners), dataset-like `data-*`, boolean attributes as true/false.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'on') {
        for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
      } else if (name === 'class') {
        el.className = value;
      } else if (name === 'text') {
        el.textContent = value;
      } else if (name === 'value') {
        el.value = value;
      } else if (name === 'checked') {
        el.checked = !!value;
      } else if (value === true) {
        el.setAttribute(name, '');
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An element built in the SVG namespace (charts). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A button with stable id and data-test hooks. */
export function button(id, label, onClick, cls) {
  return h('button', {type: 'button', id, 'data-test': id, class: cls, on: onClick ? {click: onClick} : undefined}, label);
}

export function empty(title, text, ...actions) {
  return h('div', {class: 'empty'}, h('strong', {}, title), text ? h('p', {}, text) : null,
    actions.length ? h('div', {class: 'row', style: 'justify-content:center'}, actions) : null);
}

export function table(headers, rows, attrs) {
  return h('div', {class: 'table-wrap'}, h('table', attrs || {},
    h('thead', {}, h('tr', {}, headers.map(hd => typeof hd === 'string'
      ? h('th', {}, hd) : h('th', {class: hd.class}, hd.label)))),
    h('tbody', {}, rows)));
}

/**
 * A form whose inputs have the ids `${name}-${field}`, whose errors show in `${name}-${field}-error` (the
 * field the API's error param names) or in `${name}-error`, and whose submit button is `${name}-submit`.
 *
 * fields: [{field, label, type, value, autocomplete, hint, required, options:[[value,label]], checkLabel}]
 * onSubmit(values) may throw an ApiError; it is shown where it belongs.
 */
export function form(name, fields, submitLabel, onSubmit, opts = {}) {
  const inputs = {};
  const errors = {};
  const formError = h('p', {class: 'form-error', id: `${name}-error`, 'data-test': `${name}-error`, role: 'alert'});
  const formOk = h('p', {class: 'form-ok', id: `${name}-success`, 'data-test': `${name}-success`, role: 'status'});
  const submit = h('button', {type: 'submit', id: `${name}-submit`, 'data-test': `${name}-submit`,
    class: opts.submitClass}, submitLabel);
  const rows = fields.map(f => {
    const id = `${name}-${f.field}`;
    const error = h('p', {class: 'field-error', id: `${id}-error`, 'data-test': `${id}-error`});
    errors[f.field] = error;
    let input;
    if (f.type === 'checkbox') {
      input = h('input', {type: 'checkbox', id, name: f.field, 'data-test': id, checked: f.value,
        'aria-describedby': `${id}-error`});
      inputs[f.field] = input;
      return h('div', {class: 'field'}, h('label', {class: 'check', for: id}, input, h('span', {}, f.label)), error);
    }
    if (f.type === 'select') {
      input = h('select', {id, name: f.field, 'data-test': id, 'aria-describedby': `${id}-error`},
        f.options.map(([value, label]) => h('option', {value}, label)));
      if (f.value !== undefined) input.value = f.value;
    } else if (f.type === 'textarea') {
      input = h('textarea', {id, name: f.field, 'data-test': id, rows: f.rows || 3, placeholder: f.placeholder,
        'aria-describedby': `${id}-error`});
      if (f.value !== undefined) input.value = f.value;
    } else {
      input = h('input', {type: f.type || 'text', id, name: f.field, 'data-test': id, value: f.value,
        autocomplete: f.autocomplete, placeholder: f.placeholder, required: f.required, inputmode: f.inputmode,
        step: f.step, 'aria-describedby': `${id}-error`});
    }
    inputs[f.field] = input;
    return h('div', {class: 'field' + (f.short ? ' short' : '')}, h('label', {for: id}, f.label), input,
      f.hint ? h('p', {class: 'small muted', style: 'margin:.25rem 0 0'}, f.hint) : null, error);
  });
  const el = h('form', {id: `${name}-form`, class: opts.inline ? 'inline-form' : '', novalidate: true},
    opts.inline ? null : formError, opts.inline ? null : formOk, rows, submit);
  const wrap = opts.inline ? h('div', {}, formError, formOk, el) : el;

  const api = {
    el: wrap, inputs, submit,
    clear() {
      formError.textContent = '';
      formOk.textContent = '';
      for (const [field, e] of Object.entries(errors)) {
        e.textContent = '';
        inputs[field].classList.remove('invalid');
        inputs[field].removeAttribute('aria-invalid');
      }
    },
    /** Shows an error next to its field when the field is on this form, else above the form. */
    error(message, param) {
      const target = param && errors[param] ? param : opts.aliases && opts.aliases[param];
      if (target && errors[target]) {
        errors[target].textContent = message;
        inputs[target].classList.add('invalid');
        inputs[target].setAttribute('aria-invalid', 'true');
        inputs[target].focus();
      } else {
        formError.textContent = message;
      }
    },
    ok(message) { formOk.textContent = message; },
    values() {
      const out = {};
      for (const [field, input] of Object.entries(inputs)) {
        out[field] = input.type === 'checkbox' ? input.checked : input.value;
      }
      return out;
    },
    reset() { el.reset(); },
  };
  el.addEventListener('submit', async event => {
    event.preventDefault();
    api.clear();
    submit.disabled = true;
    try {
      await onSubmit(api.values(), api);
    } catch (e) {
      api.error(e.message || String(e), e.param);
    } finally {
      submit.disabled = false;
    }
  });
  return api;
}
