// The desk's keyboard map: which key does what where, and when no shortcut may fire.
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, isLeaveFieldKey, isTypingTarget, pickNextContact, shortcutFor, shortcutsFor, type KeyPress } from '../../web/console/src/keyboard/keymap.ts';

const onContact = { isOnContact: true, worksQueue: true };
const onQueue = { isOnContact: false, worksQueue: true };
const body = { tagName: 'BODY' } as unknown as EventTarget;
const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, target: body, ...extra });
const element = (tagName: string, more: object = {}) => ({ tagName, ...more }) as unknown as EventTarget;

describe('the keyboard map', () => {
  it('gives every desk action its key on a contact', () => {
    expect(shortcutFor(press('n'), onContact)).toBe('nextContact');
    expect(shortcutFor(press('r'), onContact)).toBe('reply');
    expect(shortcutFor(press('a'), onContact)).toBe('assign');
    expect(shortcutFor(press('g'), onContact)).toBe('grade');
    expect(shortcutFor(press('t'), onContact)).toBe('thrive');
    expect(shortcutFor(press('c'), onContact)).toBe('close');
    expect(shortcutFor(press('q'), onContact)).toBe('queue');
    expect(shortcutFor(press('?'), onContact)).toBe('help');
  });

  it('uses each key once, and lists every action in the help', () => {
    const keys = SHORTCUTS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(shortcutsFor({ worksQueue: true, canReadContacts: true }).map((s) => s.action).sort()).toEqual(
      ['assign', 'close', 'grade', 'help', 'nextContact', 'queue', 'reply', 'thrive'],
    );
  });

  it('takes Caps Lock in its stride', () => {
    expect(shortcutFor(press('N'), onQueue)).toBe('nextContact');
  });

  it('fires-no-shortcut-while-typing in a text box, a text area, a list or editable text', () => {
    for (const target of [element('INPUT', { type: 'text' }), element('INPUT', { type: 'search' }), element('TEXTAREA'), element('SELECT'), element('DIV', { isContentEditable: true })]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(shortcutFor(press('c', { target }), onContact)).toBeNull();
      expect(shortcutFor(press('?', { target }), onContact)).toBeNull();
    }
  });

  it('works from a button, a link or a radio (a letter does nothing else there)', () => {
    for (const target of [element('BUTTON'), element('A'), element('INPUT', { type: 'radio' }), element('INPUT', { type: 'checkbox' })]) {
      expect(isTypingTarget(target)).toBe(false);
      expect(shortcutFor(press('r', { target }), onContact)).toBe('reply');
    }
  });

  it('leaves the browser and screen reader keys alone, and held-down keys', () => {
    expect(shortcutFor(press('r', { ctrlKey: true }), onContact)).toBeNull();
    expect(shortcutFor(press('c', { metaKey: true }), onContact)).toBeNull();
    expect(shortcutFor(press('n', { altKey: true }), onContact)).toBeNull();
    expect(shortcutFor(press('n', { repeat: true }), onContact)).toBeNull();
    expect(shortcutFor(press('n', { defaultPrevented: true }), onContact)).toBeNull();
  });

  it('keeps contact keys to a contact and desk keys to people who work the queue', () => {
    expect(shortcutFor(press('c'), onQueue)).toBeNull();
    expect(shortcutFor(press('r'), onQueue)).toBeNull();
    const admin = { isOnContact: false, worksQueue: false };
    expect(shortcutFor(press('n'), admin)).toBeNull();
    expect(shortcutFor(press('?'), admin)).toBe('help');
    expect(shortcutsFor({ worksQueue: false, canReadContacts: false }).map((s) => s.action)).toEqual(['help']);
  });

  it('lets Escape leave a field, and only a field', () => {
    expect(isLeaveFieldKey(press('Escape', { target: element('TEXTAREA') }))).toBe(true);
    expect(isLeaveFieldKey(press('Escape', { target: element('SELECT') }))).toBe(true);
    expect(isLeaveFieldKey(press('Escape', { target: element('BUTTON') }))).toBe(false);
    expect(isLeaveFieldKey(press('Escape', { target: element('TEXTAREA'), ctrlKey: true }))).toBe(false);
    expect(isLeaveFieldKey(press('x', { target: element('TEXTAREA') }))).toBe(false);
  });

  it('ignores keys it does not know', () => {
    expect(shortcutFor(press('x'), onContact)).toBeNull();
    expect(shortcutFor(press('Enter'), onContact)).toBeNull();
  });
});

describe('the next contact', () => {
  const c = (id: string, assignedToMe = false, isAssigned = assignedToMe) => ({ id, assignedToMe, isAssigned });

  it('opens the person’s own work first, in the queue’s order', () => {
    expect(pickNextContact([c('w1'), c('m1', true), c('m2', true)], null)).toEqual({ id: 'm1', take: false });
  });

  it('skips the contact on screen', () => {
    expect(pickNextContact([c('m1', true), c('m2', true)], 'm1')).toEqual({ id: 'm2', take: false });
  });

  it('takes the most urgent waiting one when the person holds nothing else, never someone else’s', () => {
    expect(pickNextContact([c('theirs', false, true), c('w1'), c('w2')], null)).toEqual({ id: 'w1', take: true });
  });

  it('says there is nothing when nothing is left', () => {
    expect(pickNextContact([c('theirs', false, true), c('m1', true)], 'm1')).toBeNull();
    expect(pickNextContact([], null)).toBeNull();
  });
});
