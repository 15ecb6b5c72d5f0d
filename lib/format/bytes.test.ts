import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it('reads like a person writes sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(64 * 1024)).toBe('64 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(12_345_678)).toBe('12 MB');
    expect(formatBytes(5_500_000)).toBe('5.2 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB');
  });
});
