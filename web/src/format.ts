// Formatting for people: times, opening hours and response figures.

export const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function formatTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** 540 -> "09:00" */
export function minuteToClock(m: number): string {
  const h = Math.floor(m / 60);
  return `${String(h).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "09:30" -> 570; "24:00" -> 1440 */
export function clockToMinute(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + (m || 0);
}

export interface Window {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** "Monday 09:00-17:00, Tuesday 09:00-17:00" (page time zone), or "" when always open. */
export function formatHours(windows: readonly Window[]): string {
  return [...windows]
    .sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute)
    .map((w) => `${weekdays[w.weekday]} ${minuteToClock(w.startMinute)}-${minuteToClock(w.endMinute)}`)
    .join(', ');
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '-';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

export function formatRate(rate: number | null | undefined): string {
  return rate == null ? '-' : `${Math.round(rate * 100)} %`;
}
