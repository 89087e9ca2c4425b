import { dayIn } from './format.js';

/** The calendar periods the overview shows, as `YYYY-MM-DD` days in the chosen zone. */
export interface Periods {
  today: string;
  /** Monday of this week (ISO weeks). */
  weekStart: string;
  monthStart: string;
  /** Days left in the month after today. */
  daysLeftInMonth: number;
}

export function periodsAt(now: Date, zone: string): Periods {
  const today = dayIn(now, zone);
  const t = Date.parse(`${today}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  const weekStart = new Date(t - weekday * 86_400_000).toISOString().slice(0, 10);
  const [year, month] = today.split('-').map(Number) as [number, number];
  const monthDays = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { today, weekStart, monthStart: `${today.slice(0, 7)}-01`, daysLeftInMonth: monthDays - Number(today.slice(8, 10)) };
}
