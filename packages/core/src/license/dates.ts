/**
 * License dates are calendar dates in China Standard Time (UTC+8, no daylight saving since 1991): a license
 * valid "until 2024-01-08" is valid through that whole day in Beijing, whatever the verifier's zone.
 * Nothing here reads the clock.
 */

export const CHINA_OFFSET = '+08:00';
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = DATE.exec(text);
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Date-times already parsed, by their exact text: licenses of one day repeat the same validFrom and
 * validUntil, and each is read several times per verification. Bounded; a pure function's memo.
 */
const parsedDateTimes = new Map<string, number>();
const MAX_PARSED_DATE_TIMES = 4096;

/** Parses an RFC 3339 date-time with a zone (`Z` or `±hh:mm`); anything else is undefined. */
export function parseDateTime(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const known = parsedDateTimes.get(text);
  if (known !== undefined) return Number.isNaN(known) ? undefined : new Date(known);
  const time = parseDateTimeText(text);
  if (parsedDateTimes.size >= MAX_PARSED_DATE_TIMES) parsedDateTimes.clear();
  parsedDateTimes.set(text, time);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function parseDateTimeText(text: string): number {
  const m = DATE_TIME.exec(text);
  if (m === null || !isRealDay(Number(m[1]), Number(m[2]), Number(m[3]))) return NaN;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return NaN;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return NaN;
  return Date.parse(text);
}

/** The calendar date in China of an instant. */
/** China calendar dates by day number: formatting a Date is costly, and a verifier meets few distinct days. */
const chinaDates = new Map<number, string>();
const MAX_CHINA_DATES = 4096;
const DAY_MS = 24 * 60 * 60 * 1000;

export function chinaDateOf(instant: Date): string {
  const shifted = instant.getTime() + CHINA_OFFSET_MS;
  const day = Math.floor(shifted / DAY_MS);
  let date = chinaDates.get(day);
  if (date === undefined) {
    date = new Date(shifted).toISOString().slice(0, 10);
    if (chinaDates.size >= MAX_CHINA_DATES) chinaDates.clear();
    chinaDates.set(day, date);
  }
  return date;
}

/** A Date, a `YYYY-MM-DD` date or a date-time with zone, as a China calendar date; undefined if none. */
export function toChinaDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : chinaDateOf(value);
  if (isCalendarDate(value)) return value;
  const instant = parseDateTime(value);
  return instant === undefined ? undefined : chinaDateOf(instant);
}

export function startOfChinaDay(date: string): string {
  return `${date}T00:00:00${CHINA_OFFSET}`;
}

/** The last second of the day: the expiring date itself is still a day of validity. */
export function endOfChinaDay(date: string): string {
  return `${date}T23:59:59${CHINA_OFFSET}`;
}

/**
 * The same day of the month `months` later; when that month is too short, its last day. This is how
 * 民法典 第二百零二条 counts periods in years and months, and it matches the real 特种作业 license in
 * STANDARDS-CN §6 (2021-01-08 to 2024-01-08).
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

function isRealDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
