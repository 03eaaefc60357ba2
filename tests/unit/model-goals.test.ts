/** Every command on the `goals` doc (core/model/goals.ts), with the input it refuses. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MAX_SHORT_TEXT,
  addGoal,
  addReview,
  addStep,
  addSubGoal,
  deleteGoal,
  deleteReview,
  deleteStep,
  deleteSubGoal,
  moveGoal,
  moveStep,
  moveSubGoal,
  readGoalBoard,
  updateGoal,
  updateReview,
  updateStep,
  updateSubGoal,
} from '../../core/model/index.ts';
import { refuses } from './refuses.ts';

const board = (doc: Y.Doc) => readGoalBoard(doc);
const titles = (doc: Y.Doc) => board(doc).goals.map((g) => g.title);
const goal = (doc: Y.Doc, id: string) => board(doc).goals.find((g) => g.id === id)!;
const sub = (doc: Y.Doc, goalId: string, subId: string) =>
  goal(doc, goalId).subgoals.find((s) => s.id === subId)!;

/** A goal with one sub-goal: most commands below need one. */
function withSubGoal() {
  const doc = new Y.Doc();
  const goalId = addGoal(doc, { title: 'Walk to the shop' });
  const subId = addSubGoal(doc, goalId, { title: 'First week' });
  return { doc, goalId, subId };
}

/** Origins of the transactions `run` makes on `doc`. */
function transactionsOf(doc: Y.Doc, run: () => void): unknown[] {
  const origins: unknown[] = [];
  const listen = (tr: Y.Transaction) => origins.push(tr.origin);
  doc.on('afterTransaction', listen);
  run();
  doc.off('afterTransaction', listen);
  return origins;
}

describe('addGoal', () => {
  it('adds a goal in the person’s own words with the defaults of a new goal', () => {
    const doc = new Y.Doc();
    const before = Date.now();
    const id = addGoal(doc, { title: '  Walk to the shop  ' });
    const g = goal(doc, id);
    expect(g).toMatchObject({
      title: 'Walk to the shop',
      status: 'active',
      lifeArea: '',
      modules: [],
      createdBy: 'local',
      subgoals: [],
      reviews: [],
      progress: { done: 0, total: 0 },
    });
    expect(g.targetDate).toBeUndefined();
    expect(Date.parse(g.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(g.why).toBeInstanceOf(Y.XmlFragment);
    expect(board(doc).problems).toEqual([]);
  });

  it('stores every optional field it is given', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, {
      title: 'Sleep before midnight',
      status: 'paused',
      lifeArea: 'Health',
      modules: ['coping-with-stress', 'healthy-lifestyle', 'coping-with-stress'],
      targetDate: '2025-06-30',
      createdBy: 'member-123',
    });
    expect(goal(doc, id)).toMatchObject({
      status: 'paused',
      lifeArea: 'Health',
      modules: ['coping-with-stress', 'healthy-lifestyle'],
      targetDate: '2025-06-30',
      createdBy: 'member-123',
    });
  });

  it('places each new goal after the ones already there', () => {
    const doc = new Y.Doc();
    for (const title of ['one', 'two', 'three', 'four']) addGoal(doc, { title });
    expect(titles(doc)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('makes a line of a title typed with line breaks', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Walk\r\nto the\nshop' });
    expect(goal(doc, id).title).toBe('Walk to the shop');
  });

  it('is one transaction with the origin "local"', () => {
    const doc = new Y.Doc();
    expect(transactionsOf(doc, () => addGoal(doc, { title: 'x' }))).toEqual(['local']);
  });

  it.each([
    ['an empty title', { title: '' }],
    ['a title of spaces', { title: '   \n ' }],
    ['a title over the limit', { title: 'x'.repeat(MAX_SHORT_TEXT + 1) }],
    ['an unknown status', { title: 'ok', status: 'done' as never }],
    ['an unknown IMR module', { title: 'ok', modules: ['recovery-strategies', 'astrology'] }],
    ['a date that is not YYYY-MM-DD', { title: 'ok', targetDate: '30.06.2025' }],
    ['a day that does not exist', { title: 'ok', targetDate: '2025-02-30' }],
  ])('refuses %s', (_what, input) => {
    refuses(() => addGoal(new Y.Doc(), input), 'invalidInput');
  });

  it('accepts a title of exactly the longest length', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'x'.repeat(MAX_SHORT_TEXT) });
    expect(goal(doc, id).title).toHaveLength(MAX_SHORT_TEXT);
  });
});

describe('a refused command', () => {
  it('leaves no half-made goal behind', () => {
    const doc = new Y.Doc();
    refuses(() => addGoal(doc, { title: '' }), 'invalidInput');
    refuses(() => addGoal(doc, { title: 'ok', status: 'done' as never }), 'invalidInput');
    expect(board(doc)).toEqual({ goals: [], problems: [] });
    expect(doc.getMap('goals').size).toBe(0);
  });

  it('changes nothing of the goal it was meant to update', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Walk to the shop' });
    refuses(() => updateGoal(doc, id, { title: 'Run a marathon', status: 'done' as never }), 'invalidInput');
    expect(goal(doc, id).title).toBe('Walk to the shop');
  });

  it('leaves no half-made sub-goal, step or review behind', () => {
    const { doc, goalId, subId } = withSubGoal();
    refuses(() => addSubGoal(doc, goalId, { title: '' }), 'invalidInput');
    refuses(() => addStep(doc, goalId, subId, { text: ' ' }), 'invalidInput');
    refuses(() => addReview(doc, goalId, { date: 'today', progress: 'partly' }), 'invalidInput');
    const g = goal(doc, goalId);
    expect(g.subgoals.map((s) => s.title)).toEqual(['First week']);
    expect(g.subgoals[0]!.steps).toEqual([]);
    expect(g.reviews).toEqual([]);
    expect(board(doc).problems).toEqual([]);
  });
});

describe('updateGoal', () => {
  it('changes only the fields it is given', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, {
      title: 'Walk',
      lifeArea: 'Health',
      modules: ['medication'],
      targetDate: '2025-05-01',
    });
    updateGoal(doc, id, { status: 'achieved' });
    expect(goal(doc, id)).toMatchObject({
      title: 'Walk',
      status: 'achieved',
      lifeArea: 'Health',
      modules: ['medication'],
      targetDate: '2025-05-01',
    });
    updateGoal(doc, id, { title: 'Walk every day', lifeArea: '', modules: [] });
    expect(goal(doc, id)).toMatchObject({ title: 'Walk every day', lifeArea: '', modules: [] });
  });

  it('clears the target date with null or an empty string, and keeps it when left out', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Walk', targetDate: '2025-05-01' });
    updateGoal(doc, id, { title: 'Walk more' });
    expect(goal(doc, id).targetDate).toBe('2025-05-01');
    updateGoal(doc, id, { targetDate: null });
    expect(goal(doc, id).targetDate).toBeUndefined();
    updateGoal(doc, id, { targetDate: '2025-07-01' });
    updateGoal(doc, id, { targetDate: '' });
    expect(goal(doc, id).targetDate).toBeUndefined();
  });

  it('refuses bad input and a goal that does not exist', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Walk' });
    refuses(() => updateGoal(doc, id, { title: '' }), 'invalidInput');
    refuses(() => updateGoal(doc, id, { lifeArea: 'x'.repeat(MAX_SHORT_TEXT + 1) }), 'invalidInput');
    refuses(() => updateGoal(doc, id, { modules: ['Medication'] }), 'invalidInput');
    refuses(() => updateGoal(doc, id, { targetDate: '2025-13-01' }), 'invalidInput');
    refuses(() => updateGoal(doc, 'no-such-goal-id-000', { title: 'x' }), 'notFound');
  });
});

describe('deleteGoal', () => {
  it('removes the goal with its sub-goals, steps and reviews', () => {
    const { doc, goalId, subId } = withSubGoal();
    addStep(doc, goalId, subId, { text: 'Shoes on' });
    addReview(doc, goalId, { date: '2025-01-01', progress: 'partly' });
    const other = addGoal(doc, { title: 'Other' });
    deleteGoal(doc, goalId);
    expect(board(doc).goals.map((g) => g.id)).toEqual([other]);
  });

  it('refuses a goal that does not exist, or was deleted already', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Walk' });
    deleteGoal(doc, id);
    refuses(() => deleteGoal(doc, id), 'notFound');
  });
});

describe('moveGoal', () => {
  it('moves a goal to the first, a middle and the last place', () => {
    const doc = new Y.Doc();
    const [a, , , d] = ['a', 'b', 'c', 'd'].map((title) => addGoal(doc, { title }));
    moveGoal(doc, d!, 0);
    expect(titles(doc)).toEqual(['d', 'a', 'b', 'c']);
    moveGoal(doc, d!, 2);
    expect(titles(doc)).toEqual(['a', 'b', 'd', 'c']);
    moveGoal(doc, a!, 3);
    expect(titles(doc)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('treats an index past either end as that end', () => {
    const doc = new Y.Doc();
    const [a, , c] = ['a', 'b', 'c'].map((title) => addGoal(doc, { title }));
    moveGoal(doc, a!, 99);
    expect(titles(doc)).toEqual(['b', 'c', 'a']);
    moveGoal(doc, c!, -5);
    expect(titles(doc)).toEqual(['c', 'b', 'a']);
  });

  it('refuses a goal that does not exist', () => {
    refuses(() => moveGoal(new Y.Doc(), 'no-such-goal-id-000', 0), 'notFound');
  });
});

describe('sub-goals', () => {
  it('are added in order with status "todo", and updated field by field', () => {
    const { doc, goalId, subId } = withSubGoal();
    const second = addSubGoal(doc, goalId, {
      title: 'Second week',
      status: 'doing',
      targetDate: '2025-02-01',
    });
    expect(goal(doc, goalId).subgoals.map((s) => [s.title, s.status])).toEqual([
      ['First week', 'todo'],
      ['Second week', 'doing'],
    ]);
    updateSubGoal(doc, goalId, subId, { status: 'done' });
    updateSubGoal(doc, goalId, second, { title: 'Weeks two and three', targetDate: null });
    expect(sub(doc, goalId, subId)).toMatchObject({ title: 'First week', status: 'done' });
    expect(sub(doc, goalId, second)).toMatchObject({ title: 'Weeks two and three', targetDate: undefined });
  });

  it('are moved within their goal and deleted with their steps', () => {
    const { doc, goalId, subId } = withSubGoal();
    const b = addSubGoal(doc, goalId, { title: 'b' });
    const c = addSubGoal(doc, goalId, { title: 'c' });
    moveSubGoal(doc, goalId, c, 0);
    expect(goal(doc, goalId).subgoals.map((s) => s.title)).toEqual(['c', 'First week', 'b']);
    addStep(doc, goalId, b, { text: 'step' });
    deleteSubGoal(doc, goalId, b);
    expect(goal(doc, goalId).subgoals.map((s) => s.id)).toEqual([c, subId]);
  });

  it('refuse bad input and items that do not exist', () => {
    const { doc, goalId, subId } = withSubGoal();
    refuses(() => addSubGoal(doc, 'no-such-goal-id-000', { title: 'x' }), 'notFound');
    refuses(() => addSubGoal(doc, goalId, { title: 'x', status: 'active' as never }), 'invalidInput');
    refuses(() => addSubGoal(doc, goalId, { title: 'x', targetDate: 'soon' }), 'invalidInput');
    refuses(() => updateSubGoal(doc, goalId, subId, { title: ' ' }), 'invalidInput');
    refuses(() => updateSubGoal(doc, goalId, 'no-such-sub-id-0000', { title: 'x' }), 'notFound');
    refuses(() => moveSubGoal(doc, goalId, 'no-such-sub-id-0000', 0), 'notFound');
    refuses(() => deleteSubGoal(doc, goalId, 'no-such-sub-id-0000'), 'notFound');
    refuses(() => deleteSubGoal(doc, 'no-such-goal-id-000', subId), 'notFound');
  });
});

describe('steps', () => {
  it('are added not done, with who helps and when, and counted in the goal’s progress', () => {
    const { doc, goalId, subId } = withSubGoal();
    const a = addStep(doc, goalId, subId, { text: 'Shoes on', helper: 'Mum', dueDate: '2025-01-10' });
    addStep(doc, goalId, subId, { text: 'Out the door', done: true, outcome: 'Went well' });
    expect(sub(doc, goalId, subId).steps).toMatchObject([
      { id: a, text: 'Shoes on', done: false, helper: 'Mum', dueDate: '2025-01-10', outcome: '' },
      { text: 'Out the door', done: true, helper: '', outcome: 'Went well' },
    ]);
    expect(goal(doc, goalId).progress).toEqual({ done: 1, total: 2 });
  });

  it('are ticked, changed, moved and deleted', () => {
    const { doc, goalId, subId } = withSubGoal();
    const [a, b, c] = ['a', 'b', 'c'].map((text) => addStep(doc, goalId, subId, { text }));
    updateStep(doc, goalId, subId, a!, { done: true, text: 'a!', helper: 'Ola', dueDate: '2025-03-03' });
    expect(sub(doc, goalId, subId).steps[0]).toMatchObject({ text: 'a!', done: true, helper: 'Ola' });
    updateStep(doc, goalId, subId, a!, { dueDate: null, done: false });
    expect(sub(doc, goalId, subId).steps[0]).toMatchObject({ done: false, dueDate: undefined });
    moveStep(doc, goalId, subId, c!, 1);
    expect(sub(doc, goalId, subId).steps.map((s) => s.text)).toEqual(['a!', 'c', 'b']);
    deleteStep(doc, goalId, subId, b!);
    expect(sub(doc, goalId, subId).steps.map((s) => s.text)).toEqual(['a!', 'c']);
  });

  it('of a dropped sub-goal do not count in the progress', () => {
    const { doc, goalId, subId } = withSubGoal();
    addStep(doc, goalId, subId, { text: 'a', done: true });
    const other = addSubGoal(doc, goalId, { title: 'dropped' });
    addStep(doc, goalId, other, { text: 'b' });
    expect(goal(doc, goalId).progress).toEqual({ done: 1, total: 2 });
    updateSubGoal(doc, goalId, other, { status: 'dropped' });
    expect(goal(doc, goalId).progress).toEqual({ done: 1, total: 1 });
  });

  it('refuse bad input and items that do not exist', () => {
    const { doc, goalId, subId } = withSubGoal();
    const a = addStep(doc, goalId, subId, { text: 'a' });
    refuses(() => addStep(doc, goalId, subId, { text: '' }), 'invalidInput');
    refuses(() => addStep(doc, goalId, subId, { text: 'x', dueDate: '2025-1-1' }), 'invalidInput');
    refuses(
      () => addStep(doc, goalId, subId, { text: 'x', helper: 'h'.repeat(MAX_SHORT_TEXT + 1) }),
      'invalidInput',
    );
    refuses(() => addStep(doc, goalId, 'no-such-sub-id-0000', { text: 'x' }), 'notFound');
    refuses(() => updateStep(doc, goalId, subId, a, { text: '  ' }), 'invalidInput');
    refuses(() => updateStep(doc, goalId, subId, 'no-such-step-id-000', { done: true }), 'notFound');
    refuses(() => moveStep(doc, goalId, subId, 'no-such-step-id-000', 0), 'notFound');
    refuses(() => deleteStep(doc, goalId, subId, 'no-such-step-id-000'), 'notFound');
  });
});

describe('reviews', () => {
  it('are recorded per session and read oldest first, for the timeline', () => {
    const doc = new Y.Doc();
    const goalId = addGoal(doc, { title: 'Walk' });
    addReview(doc, goalId, {
      date: '2025-02-01',
      progress: 'partly',
      note: 'Twice',
      nextStep: 'Three times',
    });
    addReview(doc, goalId, { date: '2025-01-01', progress: 'not', by: 'member-1' });
    expect(goal(doc, goalId).reviews).toMatchObject([
      { date: '2025-01-01', progress: 'not', note: '', nextStep: '', by: 'member-1' },
      { date: '2025-02-01', progress: 'partly', note: 'Twice', nextStep: 'Three times', by: 'local' },
    ]);
  });

  it('are changed and deleted', () => {
    const doc = new Y.Doc();
    const goalId = addGoal(doc, { title: 'Walk' });
    const id = addReview(doc, goalId, { date: '2025-02-01', progress: 'partly' });
    updateReview(doc, goalId, id, { progress: 'achieved', note: 'Every day', date: '2025-02-02' });
    expect(goal(doc, goalId).reviews[0]).toMatchObject({
      date: '2025-02-02',
      progress: 'achieved',
      note: 'Every day',
    });
    deleteReview(doc, goalId, id);
    expect(goal(doc, goalId).reviews).toEqual([]);
  });

  it('refuse bad input and items that do not exist', () => {
    const doc = new Y.Doc();
    const goalId = addGoal(doc, { title: 'Walk' });
    const id = addReview(doc, goalId, { date: '2025-02-01', progress: 'partly' });
    refuses(() => addReview(doc, goalId, { date: '2025-02-31', progress: 'partly' }), 'invalidInput');
    refuses(() => addReview(doc, goalId, { date: '2025-02-01', progress: 'maybe' as never }), 'invalidInput');
    refuses(() => addReview(doc, 'no-such-goal-id-000', { date: '2025-02-01', progress: 'not' }), 'notFound');
    refuses(() => updateReview(doc, goalId, id, { note: 'n'.repeat(MAX_SHORT_TEXT + 1) }), 'invalidInput');
    refuses(() => updateReview(doc, goalId, 'no-such-review-id-0', { note: 'x' }), 'notFound');
    refuses(() => deleteReview(doc, goalId, 'no-such-review-id-0'), 'notFound');
  });
});

describe('every goals command', () => {
  it('is one transaction with the origin "local"', () => {
    const { doc, goalId, subId } = withSubGoal();
    let stepId = '';
    let reviewId = '';
    const commands: (() => unknown)[] = [
      () => updateGoal(doc, goalId, { status: 'paused' }),
      () => moveGoal(doc, goalId, 0),
      () => addSubGoal(doc, goalId, { title: 's' }),
      () => updateSubGoal(doc, goalId, subId, { status: 'doing' }),
      () => moveSubGoal(doc, goalId, subId, 1),
      () => (stepId = addStep(doc, goalId, subId, { text: 'x' })),
      () => updateStep(doc, goalId, subId, stepId, { done: true }),
      () => moveStep(doc, goalId, subId, stepId, 0),
      () => deleteStep(doc, goalId, subId, stepId),
      () => (reviewId = addReview(doc, goalId, { date: '2025-01-01', progress: 'not' })),
      () => updateReview(doc, goalId, reviewId, { note: 'n' }),
      () => deleteReview(doc, goalId, reviewId),
      () => deleteSubGoal(doc, goalId, subId),
      () => deleteGoal(doc, goalId),
    ];
    for (const command of commands) expect(transactionsOf(doc, command)).toEqual(['local']);
  });
});
