// EventBridge Scheduler expressions — `cron(m h dom mon dow year)`, `rate(n unit)`, `at(yyyy-mm-ddThh:mm:ss)` —
// checked locally (so a bad one is reported with its field and line before any AWS call), and their next run times
// computed in an IANA time zone. Pure: Intl only.
import { t } from '../l10n';

export type ParsedExpression =
  | { kind: 'cron'; fields: CronFields; text: string }
  | { kind: 'rate'; value: number; unit: 'minute' | 'hour' | 'day'; ms: number; text: string }
  | { kind: 'at'; local: { y: number; mo: number; d: number; h: number; mi: number; s: number }; text: string };

export interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  /** Days of month; `undefined` when the field is `?`. */
  dom?: DomSpec;
  months: Set<number>;
  /** Days of week 1–7 (1 = Sunday, as in EventBridge); `undefined` when `?`. */
  dow?: DowSpec;
  /** Years; `undefined` for `*`. */
  years?: Set<number>;
}

interface DomSpec {
  days: Set<number>;
  last: boolean;
  /** `L-n`: n days before the last day. */
  lastOffset?: number;
  /** `nW`: the weekday nearest to day n. */
  nearestWeekday?: number[];
  /** `LW`: the last weekday of the month. */
  lastWeekday: boolean;
}

interface DowSpec {
  days: Set<number>;
  /** `dL`: the last such weekday of the month. */
  last: number[];
  /** `d#n`: the n-th such weekday. */
  nth: { day: number; n: number }[];
}

export class ExpressionError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function num(s: string, min: number, max: number, what: string, names?: string[]): number {
  const up = s.toUpperCase();
  if (names && names.includes(up)) return names.indexOf(up) + min;
  if (!/^\d+$/.test(s)) throw new ExpressionError(names ? t('{0}: "{1}" is not a number or a name ({2})', what, s, `${names[0]}–${names[names.length - 1]}`) : t('{0}: "{1}" is not a number', what, s));
  const n = Number(s);
  if (n < min || n > max) throw new ExpressionError(t('{0}: {1} is out of range {2}', what, n, `${min}–${max}`));
  return n;
}

/** `*`, `a`, `a-b`, `a/b`, `a-b/c`, `* /c`, comma lists. */
function parseList(field: string, min: number, max: number, what: string, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    if (!part) throw new ExpressionError(t('{0}: empty item in "{1}"', what, field));
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new ExpressionError(t('{0}: "{1}" has more than one "/"', what, part));
    const step = stepText === undefined ? 1 : num(stepText, 1, max, `${what} increment`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = num(a, min, max, what, names);
      hi = num(b, min, max, what, names);
      if (hi < lo) throw new ExpressionError(t('{0}: range "{1}" goes backwards', what, range));
    } else {
      lo = num(range, min, max, what, names);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseDom(field: string): DomSpec | undefined {
  if (field === '?') return undefined;
  const spec: DomSpec = { days: new Set(), last: false, lastWeekday: false };
  for (const part of field.split(',')) {
    const up = part.toUpperCase();
    if (up === 'L') spec.last = true;
    else if (up === 'LW') spec.lastWeekday = true;
    else if (/^L-\d+$/.test(up)) spec.lastOffset = num(up.slice(2), 0, 30, 'day-of-month');
    else if (/^\d+W$/.test(up)) (spec.nearestWeekday ??= []).push(num(up.slice(0, -1), 1, 31, 'day-of-month'));
    else for (const d of parseList(part, 1, 31, 'day-of-month')) spec.days.add(d);
  }
  return spec;
}

function parseDow(field: string): DowSpec | undefined {
  if (field === '?') return undefined;
  const spec: DowSpec = { days: new Set(), last: [], nth: [] };
  for (const part of field.split(',')) {
    const up = part.toUpperCase();
    if (up === 'L') spec.last.push(7);
    else if (/^[A-Z0-9]+L$/.test(up)) spec.last.push(num(up.slice(0, -1), 1, 7, 'day-of-week', DAYS));
    else if (up.includes('#')) {
      const [d, n] = up.split('#');
      spec.nth.push({ day: num(d, 1, 7, 'day-of-week', DAYS), n: num(n, 1, 5, 'day-of-week "#" occurrence') });
    } else for (const d of parseList(part, 1, 7, 'day-of-week', DAYS)) spec.days.add(d);
  }
  return spec;
}

function parseCron(body: string, text: string): ParsedExpression {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new ExpressionError(t('a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got {0}: "{1}"', parts.length, text));
  }
  const [mi, h, dom, mon, dow, yr] = parts;
  if ((dom === '?') === (dow === '?')) {
    throw new ExpressionError(t('exactly one of day-of-month and day-of-week must be "?" (e.g. cron(0 6 * * ? *) or cron(0 6 ? * MON-FRI *))'));
  }
  for (const [f, what] of [[mi, 'minutes'], [h, 'hours'], [mon, 'month'], [yr, 'year']] as const) {
    if (f === '?') throw new ExpressionError(t('{0}: "?" is only allowed in day-of-month or day-of-week', what));
    if (/[LW#]/i.test(f.replace(/[A-Z]{3}/gi, ''))) throw new ExpressionError(t('{0}: "L", "W" and "#" are only allowed in day-of-month or day-of-week', what));
  }
  return {
    kind: 'cron',
    text,
    fields: {
      minutes: parseList(mi, 0, 59, 'minutes'),
      hours: parseList(h, 0, 23, 'hours'),
      dom: parseDom(dom),
      months: parseList(mon, 1, 12, 'month', MONTHS),
      dow: parseDow(dow),
      years: yr === '*' ? undefined : parseList(yr, 1970, 2199, 'year'),
    },
  };
}

const RATE_UNITS: Record<string, { unit: 'minute' | 'hour' | 'day'; ms: number; plural: boolean }> = {
  minute: { unit: 'minute', ms: 60_000, plural: false },
  minutes: { unit: 'minute', ms: 60_000, plural: true },
  hour: { unit: 'hour', ms: 3_600_000, plural: false },
  hours: { unit: 'hour', ms: 3_600_000, plural: true },
  day: { unit: 'day', ms: 86_400_000, plural: false },
  days: { unit: 'day', ms: 86_400_000, plural: true },
};

/** Parses and checks an EventBridge Scheduler expression; throws ExpressionError with what is wrong. */
export function parseScheduleExpression(text: string): ParsedExpression {
  const m = /^(cron|rate|at)\((.*)\)$/.exec(text.trim());
  if (!m) throw new ExpressionError(t('"{0}" is not a schedule expression: use cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)', text));
  const [, kind, body] = m;
  if (kind === 'cron') return parseCron(body, text);
  if (kind === 'rate') {
    const r = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
    if (!r) throw new ExpressionError(t('a rate expression is rate(value unit), e.g. rate(1 day) or rate(12 hours): "{0}"', text));
    const value = Number(r[1]);
    const u = RATE_UNITS[r[2]];
    if (!u) throw new ExpressionError(t('rate unit "{0}" is not one of minute(s), hour(s), day(s)', r[2]));
    if (value < 1) throw new ExpressionError(t('a rate must be at least 1'));
    if (value === 1 && u.plural) throw new ExpressionError(t('a rate of 1 takes a singular unit: {0}', `rate(1 ${u.unit})`));
    if (value > 1 && !u.plural) throw new ExpressionError(t('a rate above 1 takes a plural unit: {0}', `rate(${value} ${u.unit}s)`));
    return { kind: 'rate', value, unit: u.unit, ms: value * u.ms, text };
  }
  const a = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!a) throw new ExpressionError(t('an at expression is at(yyyy-mm-ddThh:mm:ss), without a time zone offset: "{0}"', text));
  const [y, mo, d, h, mi, s] = a.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) throw new ExpressionError(t('"{0}" is not a valid date and time', body));
  return { kind: 'at', text, local: { y, mo, d, h, mi, s } };
}

/** The error message for an expression, or undefined when it is valid. */
export function checkScheduleExpression(text: string): string | undefined {
  try {
    parseScheduleExpression(text);
    return undefined;
  } catch (e) {
    if (e instanceof ExpressionError) return e.message;
    throw e;
  }
}

const IANA = /^(?:UTC|[A-Za-z][A-Za-z_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2})$/;

/** The error message for a time zone that is not an IANA name the runtime knows, or undefined. */
export function checkTimeZone(tz: string): string | undefined {
  if (!IANA.test(tz)) return t('"{0}" is not an IANA time zone name like "Europe/Berlin", "America/New_York" or "UTC"', tz);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return undefined;
  } catch {
    return t('"{0}" is not a known time zone: use an IANA time zone name like "Europe/Berlin", "America/New_York" or "UTC"', tz);
  }
}

/** ISO 8601 date-time with a zone (Z or ±hh:mm), as EventBridge's StartDate/EndDate take. */
export function checkDateTime(s: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) || Number.isNaN(Date.parse(s))) {
    return t('"{0}" is not a date-time like 2027-01-31T06:00:00Z (ISO 8601 with Z or an offset)', s);
  }
  return undefined;
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, for a civil date (no time zone involved). */
function weekday(y: number, mo: number, d: number): number {
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneParts(ms: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(ms))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { y: p.year, mo: p.month, d: p.day, h: p.hour % 24, mi: p.minute, s: p.second };
}

function offsetMs(ms: number, tz: string): number {
  const z = zoneParts(ms, tz);
  return Date.UTC(z.y, z.mo - 1, z.d, z.h, z.mi, z.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone, or undefined when that wall time does not exist there (skipped by a
 * daylight-saving jump — EventBridge then skips the run). Of two instants (the repeated hour), the first.
 */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, tz: string, s = 0): number | undefined {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const candidates = new Set<number>();
  for (const probe of [guess - 86_400_000, guess, guess + 86_400_000]) candidates.add(guess - offsetMs(probe, tz));
  const hits = [...candidates].filter((c) => {
    const z = zoneParts(c, tz);
    return z.y === y && z.mo === mo && z.d === d && z.h === h && z.mi === mi;
  });
  return hits.length ? Math.min(...hits) : undefined;
}

function domMatches(spec: DomSpec, y: number, mo: number, d: number): boolean {
  const dim = daysInMonth(y, mo);
  if (spec.days.has(d)) return true;
  if (spec.last && d === dim) return true;
  if (spec.lastOffset !== undefined && d === Math.max(1, dim - spec.lastOffset)) return true;
  const isWeekday = (x: number) => {
    const w = weekday(y, mo, x);
    return w >= 2 && w <= 6;
  };
  if (spec.lastWeekday) {
    let x = dim;
    while (!isWeekday(x)) x--;
    if (d === x) return true;
  }
  for (const n of spec.nearestWeekday ?? []) {
    const target = Math.min(n, dim);
    let x = target;
    const w = weekday(y, mo, target);
    if (w === 7) x = target === 1 ? target + 2 : target - 1; // Saturday → Friday (or Monday if that leaves the month)
    else if (w === 1) x = target === dim ? target - 2 : target + 1; // Sunday → Monday (or Friday)
    if (d === x) return true;
  }
  return false;
}

function dowMatches(spec: DowSpec, y: number, mo: number, d: number): boolean {
  const w = weekday(y, mo, d);
  if (spec.days.has(w)) return true;
  if (spec.last.includes(w) && d + 7 > daysInMonth(y, mo)) return true;
  return spec.nth.some((x) => x.day === w && Math.ceil(d / 7) === x.n);
}

/**
 * The next `count` run times strictly after `after`, for a parsed expression in a time zone (default UTC).
 * `anchor` is when a rate schedule started (its StartDate, else when it was created): runs are anchor + k·period.
 * Bounded by `start`/`end` (the schedule's StartDate/EndDate). Searches at most ~5 years ahead.
 */
export function nextRuns(expr: ParsedExpression, opts: { after: Date; count?: number; timeZone?: string; anchor?: Date; start?: Date; end?: Date }): Date[] {
  const tz = opts.timeZone || 'UTC';
  const count = opts.count ?? 1;
  const from = Math.max(opts.after.getTime(), opts.start ? opts.start.getTime() - 1 : -Infinity);
  const end = opts.end?.getTime() ?? Infinity;
  const out: Date[] = [];
  if (expr.kind === 'at') {
    const l = expr.local;
    const t = zonedToUtc(l.y, l.mo, l.d, l.h, l.mi, tz, l.s);
    if (t !== undefined && t > from && t <= end) out.push(new Date(t));
    return out;
  }
  if (expr.kind === 'rate') {
    const anchor = (opts.anchor ?? opts.start ?? opts.after).getTime();
    let k = Math.max(0, Math.floor((from - anchor) / expr.ms) + 1);
    if (anchor > from) k = 0;
    while (out.length < count) {
      const t = anchor + k * expr.ms;
      if (t > end) break;
      out.push(new Date(t));
      k++;
    }
    return out;
  }
  const f = expr.fields;
  const hours = [...f.hours].sort((a, b) => a - b);
  const minutes = [...f.minutes].sort((a, b) => a - b);
  const startLocal = zoneParts(from, tz);
  let y = startLocal.y;
  let mo = startLocal.mo;
  let d = startLocal.d;
  for (let day = 0; day < 366 * 5 && out.length < count; day++) {
    if ((!f.years || f.years.has(y)) && f.months.has(mo) && (f.dom ? domMatches(f.dom, y, mo, d) : f.dow ? dowMatches(f.dow, y, mo, d) : true)) {
      for (const h of hours) {
        for (const mi of minutes) {
          const t = zonedToUtc(y, mo, d, h, mi, tz);
          if (t === undefined || t <= from) continue;
          if (t > end) return out;
          out.push(new Date(t));
          if (out.length >= count) return out;
        }
      }
    }
    d++;
    if (d > daysInMonth(y, mo)) {
      d = 1;
      mo++;
      if (mo > 12) {
        mo = 1;
        y++;
        if (f.years && ![...f.years].some((x) => x >= y)) break;
      }
    }
  }
  return out;
}

/** The next run after `after`, or undefined (a past `at`, an end date passed). */
export function nextRun(expression: string, opts: { after: Date; timeZone?: string; anchor?: Date; start?: Date; end?: Date }): Date | undefined {
  return nextRuns(parseScheduleExpression(expression), { ...opts, count: 1 })[0];
}
