import { ScheduleExpressionError } from './schedule-expression-error.ts';

/** One field of an EventBridge cron expression: its name, its values, their names. */
interface Field {
  name: string;
  min: number;
  max: number;
  /** Names of the values from `min` on (JAN = 1, SUN = 1). */
  names?: readonly string[];
}

const minutes: Field = { name: 'minutes', min: 0, max: 59 };
const hours: Field = { name: 'hours', min: 0, max: 23 };
const dayOfMonth: Field = { name: 'day-of-month', min: 1, max: 31 };
const month: Field = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const dayOfWeek: Field = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
// EventBridge's documented range of years.
const year: Field = { name: 'year', min: 1970, max: 2199 };

/**
 * The croner pattern for the six fields of an EventBridge cron expression
 * (`minutes hours day-of-month month day-of-week year`), checked against EventBridge's
 * documented syntax. The pattern has croner's seven parts (a seconds field, always 0, comes
 * first) and is meant for croner with `alternativeWeekdays` (day-of-week 1 = Sunday …
 * 7 = Saturday, as EventBridge counts) and `domAndDow` (EventBridge has one of the two day
 * fields `?`, so both must match). Names become numbers and `a/n` becomes `a-max/n`, which
 * croner asks for; `?` becomes `*`; `L` alone in day-of-week is Saturday, the last day of the
 * week.
 * @param expression the whole expression, for the error
 * @param body what is inside `cron(…)`
 * @throws ScheduleExpressionError naming the field and what is wrong
 */
export function cronerPattern(expression: string, body: string): string {
  const fail = (problem: string): never => {
    throw new ScheduleExpressionError(expression, problem);
  };
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    fail(
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), ` +
        `this one ${parts.length}`,
    );
  }
  const [min, hour, dom, mon, dow, yr] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    fail('one of day-of-month and day-of-week must be ?, and only one');
  }
  return [
    '0',
    list(min, minutes, fail),
    list(hour, hours, fail),
    dom === '?' ? '*' : dayOfMonthField(dom, fail),
    list(mon, month, fail),
    dow === '?' ? '*' : dayOfWeekField(dow, fail),
    list(yr, year, fail),
  ].join(' ');
}

type Fail = (problem: string) => never;

/** Day-of-month: `L` (the last day), `nW` (the weekday nearest the nth), or a list. */
function dayOfMonthField(text: string, fail: Fail): string {
  const upper = text.toUpperCase();
  if (upper === 'L') return 'L';
  if (upper === 'LW') fail('day-of-month: LW is not in EventBridge’s cron syntax');
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) return `${value(weekday[1] ?? '', dayOfMonth, fail)}W`;
  if (/[LW]/.test(upper)) {
    fail(`day-of-month: ${text}: L and W stand alone (L, 15W), not in a list or range`);
  }
  return list(text, dayOfMonth, fail);
}

/**
 * Day-of-week: `L` (Saturday), `nL` (the last such day of the month), `n#k` (the kth such
 * day), or a list.
 */
function dayOfWeekField(text: string, fail: Fail): string {
  const upper = text.toUpperCase();
  if (upper === 'L') return '7';
  const last = /^([A-Z]+|\d+)L$/.exec(upper);
  if (last) return `${value(last[1] ?? '', dayOfWeek, fail)}L`;
  const nth = /^([A-Z]+|\d+)#(\d+)$/.exec(upper);
  if (nth) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) fail(`day-of-week: ${text}: the week of the month (after #) is 1 to 5`);
    return `${value(nth[1] ?? '', dayOfWeek, fail)}#${k}`;
  }
  if (upper.includes('#')) {
    fail(`day-of-week: ${text}: # takes one day and stands alone (2#1, not a list)`);
  }
  if (upper.includes('L')) fail(`day-of-week: ${text}: L stands alone (L, 6L), not in a list`);
  if (upper.includes('/')) fail(`day-of-week: ${text}: EventBridge takes no / here`);
  return list(text, dayOfWeek, fail);
}

/** A comma-separated list of `*`, `*\/n`, `a`, `a-b`, `a/n` and `a-b/n`. */
function list(text: string, field: Field, fail: Fail): string {
  return text
    .split(',')
    .map((item) => listItem(item, field, fail))
    .join(',');
}

function listItem(item: string, field: Field, fail: Fail): string {
  const match = /^([^/-]+)(?:-([^/]+))?(?:\/(.+))?$/.exec(item);
  if (!match) return fail(`${field.name}: ${item || '(empty)'} is not a value, range or step`);
  const [, start = '', end, step] = match;
  const every = step === undefined ? '' : `/${stepOf(step, item, field, fail)}`;
  if (start === '*') {
    if (end !== undefined) fail(`${field.name}: ${item}: * takes no range`);
    return `*${every}`;
  }
  if (start === '?') return fail(`${field.name}: ? stands alone, in day-of-month or day-of-week`);
  const from = value(start, field, fail);
  if (end === undefined) return step === undefined ? `${from}` : `${from}-${field.max}${every}`;
  const to = value(end, field, fail);
  if (to < from) fail(`${field.name}: ${item}: a range goes from low to high`);
  return `${from}-${to}${every}`;
}

function stepOf(step: string, item: string, field: Field, fail: Fail): number {
  const n = /^\d+$/.test(step) ? Number(step) : Number.NaN;
  if (!(n >= 1 && n <= field.max)) {
    fail(`${field.name}: ${item}: the step after / is a whole number from 1 to ${field.max}`);
  }
  return n;
}

/** A number or, in month and day-of-week, a name; within the field's range. */
function value(text: string, field: Field, fail: Fail): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return field.min + named;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(n)) return fail(`${field.name}: ${text} is not a ${valueKind(field)}`);
  if (n < field.min || n > field.max) {
    const hint = field === dayOfWeek && n === 0 ? ' (EventBridge counts 1 = SUN … 7 = SAT)' : '';
    fail(`${field.name}: ${n} is not from ${field.min} to ${field.max}${hint}`);
  }
  return n;
}

function valueKind(field: Field): string {
  const [first, second] = field.names ?? [];
  return first ? `number or a name such as ${first} or ${second}` : 'number';
}
