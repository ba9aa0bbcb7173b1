// Calendar dates (dates of birth, incorporation) as sources write them → `YYYY-MM-DD`.

const FORMS: { re: RegExp; order: 'ymd' | 'dmy' }[] = [
  // ISO date, or the date part of an ISO timestamp. The written date is taken as is: converting a
  // timestamp to another zone would move a date of birth by a day.
  { re: /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s].*)?$/, order: 'ymd' },
  { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: 'ymd' },
  { re: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
  // Hong Kong writes day first.
  { re: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/, order: 'dmy' },
];

/** Null when the text is not one of the accepted forms or not a real calendar date. */
export function normaliseDate(raw: string): string | null {
  const text = raw.trim();
  for (const { re, order } of FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [a = '', b = '', c = ''] = m.slice(1);
    const [y, mo, d] = order === 'ymd' ? [+a, +b, +c] : [+c, +b, +a];
    return isCalendarDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
  }
  return null;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
