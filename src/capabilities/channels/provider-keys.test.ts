import { describe, expect, it } from 'vitest';
import { MAX_PROVIDER_KEY_LENGTH, toStorableKey } from './provider-keys.ts';
import { isStorableText } from '../../platform/db/storable-text.ts';

describe('a provider key made storable', () => {
  it('keeps-a-key-of-up-to-512-characters-as-it-is', () => {
    const key = 'k'.repeat(MAX_PROVIDER_KEY_LENGTH);
    expect(toStorableKey(key)).toBe(key);
    expect(toStorableKey('SM1f0e8ae6')).toBe('SM1f0e8ae6');
  });

  it('shortens-a-longer-key-the-same-way-each-time-and-keeps-two-alike-at-the-start-apart', () => {
    const start = 'a'.repeat(600);
    const one = toStorableKey(`${start}1`);
    expect(one).toBe(toStorableKey(`${start}1`));
    expect(one).not.toBe(toStorableKey(`${start}2`));
    expect(one.length).toBeLessThanOrEqual(MAX_PROVIDER_KEY_LENGTH);
    expect(one.startsWith('a'.repeat(400))).toBe(true);
  });

  it('never-leaves-half-of-a-surrogate-pair-where-it-cuts', () => {
    // 399 characters, then emoji: the cut at 400 falls between an emoji's two halves.
    const key = `${'b'.repeat(399)}${'😀'.repeat(200)}`;
    const stored = toStorableKey(key);
    expect(isStorableText(stored)).toBe(true);
    expect(stored.startsWith('b'.repeat(399) + '…')).toBe(true);
  });
});
