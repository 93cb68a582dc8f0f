// Usage: totals per day and per model over a chosen period (GET /api/usage/totals, UTC days), the CSV export of
// the same period, and every call newest first (GET /api/usage, keyset pages).
import {get, qs} from '../api.js';
import {h, replace, button, empty, table, form} from '../dom.js';
import {credits, micros, toNumber, dateTime, dayLabel, ms, count, isoDay} from '../format.js';
import {outcomeBadge} from '../ui.js';
import {columnChart, barChart, COLORS} from '../chart.js';

/** A table of calls; rows are data-test="call-row" with data-request-id. */
export function callsTable(calls, id) {
  const rows = calls.map(c => h('tr', {'data-test': 'call-row', 'data-request-id': c.requestId || ''},
    h('td', {class: 'nowrap'}, dateTime(c.startedAt)),
    h('td', {}, c.model),
    h('td', {}, outcomeBadge(c.outcome)),
    h('td', {class: 'num', 'data-test': 'call-cost'}, c.cost === null ? '—' : credits(c.cost)),
    h('td', {class: 'num'}, c.images ? count(c.images) + ' img'
      : (c.inputTokens === null && c.outputTokens === null ? '—' : `${count(c.inputTokens)} / ${count(c.outputTokens)}`)),
    h('td', {class: 'num'}, ms(c.latencyMs)),
    h('td', {}, h('span', {class: 'mono small'}, c.requestId || '—'))));
  return table(['Started', 'Model', 'Outcome', {label: 'Cost', class: 'num'}, {label: 'Tokens in / out', class: 'num'},
    {label: 'Latency', class: 'num'}, 'Request id'], rows, {id, 'data-test': id});
}

const DAY = 86400000;

function period(params) {
  const today = new Date();
  let to = params.get('to') || isoDay(today);
  let from = params.get('from') || isoDay(new Date(Date.parse(to + 'T00:00:00Z') - 29 * DAY));
  return {from, to};
}

/** [from, to] inclusive UTC days -> the API's [from, to) instants. */
function instants(p) {
  const end = new Date(Date.parse(p.to + 'T00:00:00Z') + DAY);
  return {from: p.from + 'T00:00:00Z', to: Number.isNaN(end.getTime()) ? p.to : end.toISOString().replace('.000Z', 'Z')};
}

function daysBetween(from, to) {
  const out = [];
  const end = Date.parse(to + 'T00:00:00Z');
  for (let t = Date.parse(from + 'T00:00:00Z'); t <= end && out.length < 400; t += DAY) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export async function render({main, params, app, alive, onLeave}) {
  const p = period(params);
  const metric = params.get('metric') === 'calls' ? 'calls' : 'cost';
  const go = (changes) => {
    const next = new URLSearchParams({from: p.from, to: p.to, metric, ...changes});
    app.go('#/usage?' + next.toString());
  };
  const periodForm = form('usage', [
    {field: 'from', label: 'From (UTC day)', type: 'date', value: p.from, short: true},
    {field: 'to', label: 'To (inclusive)', type: 'date', value: p.to, short: true},
  ], 'Show', v => {
    if (!v.from) throw Object.assign(new Error('Choose a first day.'), {param: 'from'});
    if (!v.to) throw Object.assign(new Error('Choose a last day.'), {param: 'to'});
    if (v.from > v.to) throw Object.assign(new Error('The period must end after it starts.'), {param: 'to'});
    go({from: v.from, to: v.to});
  }, {inline: true});
  periodForm.submit.classList.add('secondary');
  const quick = h('div', {class: 'segmented', style: 'margin-left:auto', role: 'group', 'aria-label': 'Quick periods'},
    [7, 30, 90].map(d => button(`usage-last-${d}`, `${d} days`, () => {
      const to = isoDay(new Date());
      go({from: isoDay(new Date(Date.parse(to + 'T00:00:00Z') - (d - 1) * DAY)), to});
    })));
  const metricToggle = h('div', {class: 'segmented', role: 'group', 'aria-label': 'Metric'},
    button('usage-metric-cost', 'Credits', () => go({metric: 'cost'}), metric === 'cost' ? 'on' : ''),
    button('usage-metric-calls', 'Calls', () => go({metric: 'calls'}), metric === 'calls' ? 'on' : ''));
  periodForm.el.querySelector('form').append(quick);
  const range = instants(p);
  const exportLink = h('a', {class: 'button secondary', id: 'usage-export', 'data-test': 'usage-export',
    href: '/api/usage/export' + qs(range), download: 'pictura-usage.csv'}, 'Export CSV');

  const chartsSlot = h('div', {id: 'usage-charts'});
  const callsSlot = h('div', {id: 'usage-calls'});
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'Usage'), h('div', {class: 'row'}, metricToggle, exportLink)),
    h('section', {class: 'panel'}, periodForm.el),
    chartsSlot,
    h('section', {class: 'panel'}, h('h2', {}, 'Calls, newest first'), callsSlot));

  // Totals and the first page of calls, side by side.
  const totalsPromise = get('/api/usage/totals' + qs(range)).catch(e => e);
  await loadCalls(callsSlot, null, alive);
  const totals = await totalsPromise;
  if (!alive()) return;
  if (totals instanceof Error) {
    periodForm.error(totals.message, totals.param);
    replace(chartsSlot);
    return;
  }
  drawTotals(chartsSlot, totals, p, metric, onLeave);
}

function drawTotals(slot, totals, p, metric, onLeave) {
  if (!totals.length) {
    replace(slot, h('section', {class: 'panel'}, empty('No usage in this period',
      `Nothing was called between ${p.from} and ${p.to} (UTC).`)));
    return;
  }
  const days = daysBetween(p.from, p.to);
  const value = t => metric === 'calls' ? t.calls : toNumber(t.cost);
  const format = metric === 'calls' ? n => Math.round(n).toLocaleString() : n => n.toLocaleString(undefined, {maximumFractionDigits: 6});
  // Per model: exact sums (BigInt micros) for the text, numbers only for the drawing.
  const byModel = new Map();
  let totalCost = 0n, totalCalls = 0, tokensIn = 0, tokensOut = 0, images = 0;
  for (const t of totals) {
    const m = byModel.get(t.model) || {calls: 0, cost: 0n};
    m.calls += t.calls;
    m.cost += micros(t.cost);
    byModel.set(t.model, m);
    totalCost += micros(t.cost);
    totalCalls += t.calls;
    tokensIn += t.inputTokens;
    tokensOut += t.outputTokens;
    images += t.images;
  }
  const models = [...byModel.entries()].sort((a, b) => (metric === 'calls' ? b[1].calls - a[1].calls
    : (b[1].cost > a[1].cost ? 1 : b[1].cost < a[1].cost ? -1 : 0)));
  const shown = models.slice(0, COLORS.length - 1).map(([name]) => name);
  const color = name => shown.includes(name) ? COLORS[shown.indexOf(name)] : COLORS[COLORS.length - 1];
  const seriesNames = models.length > shown.length ? [...shown, 'other models'] : shown;
  const series = seriesNames.map(name => ({name, color: name === 'other models' ? COLORS[COLORS.length - 1] : color(name),
    values: days.map(() => 0)}));
  for (const t of totals) {
    const i = days.indexOf(t.day);
    if (i < 0) continue;
    const s = series.find(se => se.name === (shown.includes(t.model) ? t.model : 'other models'));
    s.values[i] += value(t);
  }
  const perDay = h('div');
  const perModel = h('div');
  const summary = (label, text, id) => h('div', {class: 'card'}, h('div', {class: 'label'}, label),
    h('div', {class: 'value', id, 'data-test': id}, text));
  replace(slot,
    h('div', {class: 'grid cards'},
      summary('Credits spent', credits(totalCost), 'usage-total-cost'),
      summary('Calls', count(totalCalls), 'usage-total-calls'),
      summary('Tokens in / out', `${count(tokensIn)} / ${count(tokensOut)}`, 'usage-total-tokens'),
      summary('Images', count(images), 'usage-total-images')),
    h('section', {class: 'panel'}, h('h2', {}, (metric === 'calls' ? 'Calls' : 'Credits') + ' per day (UTC)'), perDay),
    h('section', {class: 'panel'}, h('h2', {}, (metric === 'calls' ? 'Calls' : 'Credits') + ' per model'), perModel));
  const items = models.map(([name, m]) => ({label: name, color: color(name),
    value: metric === 'calls' ? m.calls : toNumber(m.cost), text: metric === 'calls' ? count(m.calls) : credits(m.cost)}));
  // Drawn at the panel's width in pixels, and again when the window changes size.
  const draw = () => {
    replace(perDay, columnChart({id: 'chart-per-day', title: 'per day', width: perDay.clientWidth,
      labels: days.map(dayLabel), series, format, legend: true}));
    replace(perModel, barChart({id: 'chart-per-model', title: 'per model', width: perModel.clientWidth, items}));
  };
  draw();
  let pending = null;
  const onResize = () => { clearTimeout(pending); pending = setTimeout(draw, 150); };
  window.addEventListener('resize', onResize);
  onLeave(() => window.removeEventListener('resize', onResize));
}

async function loadCalls(slot, after, alive) {
  const page = await get('/api/usage' + qs({limit: 25, after}));
  if (!alive()) return;
  if (!page.calls.length && !after) {
    replace(slot, empty('No calls yet', 'Calls made with your API keys appear here within moments.'));
    return;
  }
  const older = page.next ? button('usage-older', 'Older', async () => {
    older.disabled = true;
    await loadCalls(slot, page.next, alive);
  }, 'secondary') : h('span', {class: 'muted small'}, 'That is every call.');
  const newest = after ? button('usage-newest', 'Newest', () => loadCalls(slot, null, alive), 'secondary') : h('span');
  replace(slot, callsTable(page.calls, 'usage-calls-table'), h('div', {class: 'pager'}, newest, older));
}
