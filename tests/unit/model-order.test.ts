/** Fractional-index order keys (core/model/order.ts): placing and moving items. */
import { describe, expect, it } from 'vitest';
import { compareOrdered, keyAtEnd, keyBetween, planMove, type Ordered } from '../../core/model/index.ts';

/** Applies the keys `planMove` returns, and reads the ids back in order. */
function afterMove(items: Ordered[], id: string, toIndex: number): string[] {
  const keys = planMove(items, id, toIndex);
  return items
    .map((item) => ({ id: item.id, order: keys.get(item.id) ?? item.order }))
    .sort(compareOrdered)
    .map((item) => item.id);
}

const list = (...orders: string[]): Ordered[] =>
  orders.map((order, i) => ({ id: String.fromCharCode(97 + i), order }));

describe('compareOrdered', () => {
  it('sorts by key, and by id where two keys are equal, so every replica agrees', () => {
    const items = [
      { id: 'z', order: 'a1' },
      { id: 'b', order: 'a1' },
      { id: 'q', order: 'a0' },
    ];
    expect([...items].sort(compareOrdered).map((i) => i.id)).toEqual(['q', 'b', 'z']);
    expect(
      [...items]
        .reverse()
        .sort(compareOrdered)
        .map((i) => i.id),
    ).toEqual(['q', 'b', 'z']);
  });
});

describe('keyBetween and keyAtEnd', () => {
  it('give a key strictly between the neighbours', () => {
    for (let i = 0; i < 50; i++) {
      const key = keyBetween('a0', 'a1');
      expect(key > 'a0' && key < 'a1').toBe(true);
    }
    expect(keyBetween(null, 'a0') < 'a0').toBe(true);
    expect(keyBetween('a0', null) > 'a0').toBe(true);
  });

  it('spread their picks, so two devices adding at the same place rarely tie', () => {
    const keys = new Set(Array.from({ length: 200 }, () => keyBetween('a0', 'a1')));
    expect(keys.size).toBeGreaterThan(1);
  });

  it('place a new item after every sibling', () => {
    expect(keyAtEnd([])).toMatch(/^a/);
    expect(keyAtEnd(list('a3', 'a0', 'a7')) > 'a7').toBe(true);
  });

  it('place a new item after the others even when the last sibling holds an invalid key', () => {
    const siblings = list('a0', 'a5', '\uffff');
    const key = keyAtEnd(siblings);
    expect(key > 'a5').toBe(true);
  });
});

describe('planMove', () => {
  const items = list('a0', 'a1', 'a2', 'a3');

  it('moves an item to the front, the middle and the end by writing one key', () => {
    expect(planMove(items, 'd', 0).size).toBe(1);
    expect(afterMove(items, 'd', 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(afterMove(items, 'a', 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(afterMove(items, 'b', 3)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('clamps an index beyond either end', () => {
    expect(afterMove(items, 'b', 100)).toEqual(['a', 'c', 'd', 'b']);
    expect(afterMove(items, 'c', -1)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('keeps the order when an item is moved to where it is', () => {
    expect(afterMove(items, 'b', 1)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('re-keys the whole list when the neighbours tie (two devices inserted at one spot)', () => {
    const tied = list('a0', 'a1', 'a1', 'a2');
    const keys = planMove(tied, 'd', 2);
    expect(keys.size).toBe(4);
    expect(afterMove(tied, 'd', 2)).toEqual(['a', 'b', 'd', 'c']);
    expect(new Set(keys.values()).size).toBe(4);
  });

  it.each([
    ['an empty key', ''],
    ['the "sort last" marker', '\uffff'],
    ['a key that is not fractional-index', 'zzzz'],
    ['a key with spaces', 'a 0'],
  ])('puts the item in the right place next to %s, with valid keys', (_what, bad) => {
    const broken = list('a0', bad, 'a2');
    const order = [...broken].sort(compareOrdered).map((i) => i.id);
    const moved = afterMove(broken, 'c', 1);
    const expected = order.filter((id) => id !== 'c');
    expected.splice(1, 0, 'c');
    expect(moved).toEqual(expected);
    for (const key of planMove(broken, 'c', 1).values()) expect(() => keyBetween(key, null)).not.toThrow();
  });

  it('moves the only item without complaint', () => {
    expect(afterMove(list('a0'), 'a', 5)).toEqual(['a']);
  });
});
