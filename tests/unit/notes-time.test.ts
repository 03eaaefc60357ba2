import { describe, expect, it } from 'vitest';
import { fullTime, relativeTime } from '../../components/notes/time.ts';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('the time shown beside a comment', () => {
  it('reads "now" for a comment just written, and for one from a clock that runs fast', () => {
    expect(relativeTime(ago(5), NOW, 'en')).toBe('now');
    expect(relativeTime(ago(-600), NOW, 'en')).toBe('now');
  });

  it('counts minutes, hours, days and weeks back in plain words', () => {
    expect(relativeTime(ago(50), NOW, 'en')).toBe('1 minute ago');
    expect(relativeTime(ago(3 * 60), NOW, 'en')).toBe('3 minutes ago');
    expect(relativeTime(ago(2 * 3600 + 59), NOW, 'en')).toBe('2 hours ago');
    expect(relativeTime(ago(24 * 3600), NOW, 'en')).toBe('yesterday');
    expect(relativeTime(ago(15 * 24 * 3600), NOW, 'en')).toBe('2 weeks ago');
    expect(relativeTime(ago(400 * 24 * 3600), NOW, 'en')).toBe('last year');
  });

  it('speaks Norwegian and Swedish', () => {
    expect(relativeTime(ago(3 * 60), NOW, 'nb')).toBe('for 3 minutter siden');
    expect(relativeTime(ago(3 * 60), NOW, 'sv')).toBe('för 3 minuter sedan');
  });

  it('shows nothing for a time another client wrote malformed', () => {
    expect(relativeTime('', NOW, 'en')).toBe('');
    expect(relativeTime('yesterday-ish', NOW, 'en')).toBe('');
    expect(fullTime('not a time', 'en')).toBe('');
  });

  it('gives the exact date and time for the tooltip', () => {
    expect(fullTime('2025-03-10T12:00:00.000Z', 'en')).toContain('2025');
  });
});
