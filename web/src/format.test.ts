import { describe, expect, it } from 'vitest';
import { clockToMinute, formatDuration, formatHours, formatRate, minuteToClock } from './format';

describe('opening hours', () => {
  it('round-trips a clock time', () => {
    expect(minuteToClock(570)).toBe('09:30');
    expect(clockToMinute('09:30')).toBe(570);
    expect(clockToMinute(minuteToClock(1440))).toBe(1440);
  });
  it('lists windows by weekday', () => {
    expect(formatHours([
      { weekday: 2, startMinute: 540, endMinute: 1020 },
      { weekday: 1, startMinute: 540, endMinute: 720 },
    ])).toBe('Monday 09:00-12:00, Tuesday 09:00-17:00');
  });
});

describe('responsiveness figures', () => {
  it('formats rates and durations, with a dash when there is no figure', () => {
    expect(formatRate(0.9)).toBe('90 %');
    expect(formatRate(null)).toBe('-');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(240)).toBe('4 min');
    expect(formatDuration(null)).toBe('-');
  });
});
