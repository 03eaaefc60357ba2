/**
 * Every message the goal board asks for exists (tests/unit/locales.test.ts then checks that
 * nb and sv have the same keys as en). Keys built at run time (a status, a module id) are
 * listed from the schema's own enums, so a new status without a message fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOAL_STATUSES, MODULE_IDS, SUBGOAL_STATUSES } from '../../core/model/index.ts';
import { PROGRESS_KEYS } from '../../components/goals/logic.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'components/goals');
const messages = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(ROOT, `locales/${lang}/goals.json`), 'utf8'));

function literalKeys(): string[] {
  const keys = new Set<string>();
  for (const file of readdirSync(DIR).filter((f) => /\.tsx?$/.test(f))) {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    for (const match of text.matchAll(/'goals\.([\w.-]+)'/g)) keys.add(match[1]!);
  }
  return [...keys].sort();
}

function builtKeys(): string[] {
  const nouns = ['goal', 'subGoal', 'step'];
  return [
    ...GOAL_STATUSES.map((s) => `status.${s}`),
    ...SUBGOAL_STATUSES.map((s) => `subStatus.${s}`),
    ...MODULE_IDS.map((m) => `module.${m}`),
    ...nouns.map((n) => `drag.${n}`),
    ...nouns.flatMap((n) => [`move.${n}.up`, `move.${n}.down`]),
    ...Object.values(PROGRESS_KEYS).flatMap((k) => [
      k.slice('goals.'.length),
      `${k.slice('goals.'.length)}Lower`,
    ]),
  ];
}

describe('the goal board’s messages', () => {
  it('include every key the components name', () => {
    const en = messages('en');
    expect(literalKeys().length).toBeGreaterThan(40);
    // A key counted with t.plural exists as its plural family (`stepsDone.one`, `.other`).
    const exists = (key: string) => key in en || `${key}.other` in en;
    expect([...literalKeys(), ...builtKeys()].filter((key) => !exists(key))).toEqual([]);
  });

  it('give the contract names of issue 2 in English', () => {
    const en = messages('en');
    expect([en.goal, en.addGoal, en.subGoal, en.addSubGoal, en.step, en.addStep, en.addReview]).toEqual([
      'Goal',
      'Add goal',
      'Sub-goal',
      'Add sub-goal',
      'Step',
      'Add step',
      'Add review',
    ]);
  });

  it('name the IMR modules with the official terms in each language', () => {
    expect(messages('en')['module.relapse-prevention']).toBe('Reducing relapses: a plan to stay well');
    expect(messages('nb')['module.coping-with-stress']).toBe('Mestre stress');
    expect(messages('sv')['module.social-support']).toBe('Bygga upp socialt stöd');
  });
});
