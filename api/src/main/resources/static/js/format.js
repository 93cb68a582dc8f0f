// Credits arrive as exact decimal strings ("12.500000"); sums are done in integer micros (BigInt), never in
// floating point. Numbers are only used to draw (chart heights).

const SCALE = 6;
const MICROS = 10n ** BigInt(SCALE);

export function micros(text) {
  if (text === null || text === undefined || text === '') return 0n;
  const s = String(text).trim();
  const negative = s.startsWith('-');
  const [whole, fraction = ''] = (negative || s.startsWith('+') ? s.slice(1) : s).split('.');
  const value = BigInt(whole || '0') * MICROS + BigInt((fraction + '000000').slice(0, SCALE) || '0');
  return negative ? -value : value;
}

/** "12.500000" -> "12.50"; at least two decimals, no trailing zeros beyond. */
export function credits(value) {
  const m = typeof value === 'bigint' ? value : micros(value);
  const negative = m < 0n;
  const abs = negative ? -m : m;
  const whole = (abs / MICROS).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = (abs % MICROS).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return (negative ? '-' : '') + whole + '.' + fraction;
}

/** With an explicit sign, for ledger movements. */
export function signed(value) {
  const m = typeof value === 'bigint' ? value : micros(value);
  return (m > 0n ? '+' : '') + credits(m);
}

export function toNumber(value) {
  return Number(typeof value === 'bigint' ? value : micros(value)) / 1e6;
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});
}

export function dateOnly(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, {year: 'numeric', month: 'short', day: 'numeric'});
}

/** "2026-12-01" as a UTC day label "Dec 1". */
export function dayLabel(day) {
  const d = new Date(day + 'T00:00:00Z');
  return d.toLocaleDateString(undefined, {month: 'short', day: 'numeric', timeZone: 'UTC'});
}

export function ms(value) {
  if (value === null || value === undefined) return '—';
  return value >= 1000 ? (value / 1000).toFixed(value >= 10000 ? 0 : 1) + ' s' : value + ' ms';
}

export function count(n) {
  return Number(n || 0).toLocaleString();
}

/** The UTC date (YYYY-MM-DD) of a Date. */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}
