// Two small SVG charts drawn by hand: stacked columns over days, and horizontal bars per item.
import {h, svg} from './dom.js';

export const COLORS = ['#2f5bea', '#17a2b8', '#f0a030', '#8e5bd6', '#e0567a', '#4caf6d', '#8a94a8'];

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

/** Axis numbers: three significant digits, whatever the scale (0.0002 as well as 12,000). */
export function tickFormat(n) {
  return n === 0 ? '0' : n.toLocaleString(undefined, {maximumSignificantDigits: 3});
}

/**
 * Stacked columns, drawn at the pixel width given (text stays readable at any size).
 * @param {object} o {id, width, labels: [x labels], series: [{name, color, values: [number per label]}], format(n)}
 */
export function columnChart(o) {
  const W = Math.max(280, Math.floor(o.width || 820)), H = 240, left = 62, right = 10, top = 12, bottom = 34;
  const plotW = W - left - right, plotH = H - top - bottom;
  const n = o.labels.length;
  const totals = o.labels.map((_, i) => o.series.reduce((s, se) => s + (se.values[i] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const root = svg('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': o.title || 'chart'});
  for (let g = 0; g <= 4; g++) {
    const y = top + plotH - (plotH * g) / 4;
    root.append(svg('line', {x1: left, x2: W - right, y1: y, y2: y, class: g === 0 ? 'axis' : 'gridline'}));
    root.append(svg('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick'}, (o.tickFormat || tickFormat)((max * g) / 4)));
  }
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(2, Math.min(38, slot * 0.7));
  const every = Math.max(1, Math.ceil(n / Math.floor(plotW / 56)));
  o.labels.forEach((label, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let base = top + plotH;
    o.series.forEach(se => {
      const v = se.values[i] || 0;
      if (v <= 0) return;
      const hgt = (v / max) * plotH;
      base -= hgt;
      root.append(svg('rect', {x, y: base, width: barW, height: Math.max(0.5, hgt), fill: se.color, class: 'bar', rx: 1.5},
        svg('title', {}, `${label} · ${se.name}: ${o.format(v)}`)));
    });
    if (i % every === 0) {
      root.append(svg('text', {x: left + slot * i + slot / 2, y: H - bottom + 16, 'text-anchor': 'middle', class: 'tick'}, label));
    }
  });
  const legend = o.series.length > 1 || o.legend
    ? h('div', {class: 'legend'}, o.series.map(se => h('span', {style: `--swatch:${se.color}`}, se.name)))
    : null;
  return h('div', {class: 'chart', id: o.id, 'data-test': o.id}, root, legend);
}

/**
 * Horizontal bars, largest first.
 * @param {object} o {id, items: [{label, value (number), text}], color}
 */
export function barChart(o) {
  const W = Math.max(280, Math.floor(o.width || 820)), rowH = 30;
  const labelW = Math.min(220, Math.floor(W * 0.36)), valueW = 90;
  const H = Math.max(1, o.items.length) * rowH + 6;
  const max = Math.max(0, ...o.items.map(i => i.value)) || 1;
  const root = svg('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': o.title || 'chart'});
  o.items.forEach((item, i) => {
    const y = 3 + i * rowH;
    const w = ((W - labelW - valueW) * item.value) / max;
    root.append(svg('text', {x: labelW - 10, y: y + 19, 'text-anchor': 'end', class: 'bar-label'}, item.label));
    root.append(svg('rect', {x: labelW, y: y + 5, width: Math.max(1, w), height: rowH - 10, rx: 3,
      fill: item.color || o.color || COLORS[0], class: 'bar'}, svg('title', {}, `${item.label}: ${item.text}`)));
    root.append(svg('text', {x: labelW + Math.max(1, w) + 8, y: y + 19, class: 'tick'}, item.text));
  });
  return h('div', {class: 'chart', id: o.id, 'data-test': o.id}, root);
}
