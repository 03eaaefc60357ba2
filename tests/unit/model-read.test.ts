/**
 * The readers (core/model/read.ts) on documents another client wrote badly or with hostile
 * intent. DESIGN.md: unknown or malformed items are skipped (or repaired) and reported in
 * `problems`, and reading never throws, so one bad item never takes the page down.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../harness/random.ts';
import * as Y from 'yjs';
import {
  MAX_SHORT_TEXT,
  addContact,
  addGoal,
  addReview,
  addStep,
  addSubGoal,
  addThread,
  isId,
  newId,
  readGoalBoard,
  readNotes,
  readServicePlan,
  seedServicePlan,
  type Problem,
} from '../../core/model/index.ts';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

/** A Y.Map holding `fields`, as a foreign client might write it. */
function raw(fields: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

/** A complete, well-formed goal, to which a test applies one defect. */
function goalFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Walk',
    why: new Y.XmlFragment(),
    status: 'active',
    lifeArea: '',
    modules: '',
    createdAt: '2025-01-01T00:00:00.000Z',
    createdBy: 'local',
    order: 'a0',
    subgoals: new Y.Map(),
    reviews: new Y.Map(),
    ...overrides,
  };
}

/** A doc with one good goal ("Good", order a0) and a second one written by `write`. */
function boardWith(write: (goals: Y.Map<unknown>) => void) {
  const doc = new Y.Doc();
  const goals = doc.getMap<unknown>('goals');
  const good = newId();
  goals.set(good, raw(goalFields({ title: 'Good' })));
  write(goals);
  return { doc, good, board: readGoalBoard(doc) };
}

const reasons = (problems: readonly Problem[]) => problems.map((p) => p.reason);

describe('readGoalBoard on malformed goals', () => {
  it.each([
    ['a key that is not an id', 'not an id!', raw(goalFields())],
    ['an empty key', '', raw(goalFields())],
    ['a string instead of a goal', newId(), 'Walk'],
    ['a number instead of a goal', newId(), 42],
    ['null instead of a goal', newId(), null],
    [
      'a plain object instead of a Y.Map',
      newId(),
      goalFields({ why: undefined, subgoals: undefined, reviews: undefined }),
    ],
    ['a Y.Array instead of a goal', newId(), new Y.Array()],
    ['a Y.Text instead of a goal', newId(), new Y.Text('Walk')],
  ])('skips %s and reports it', (_what, key, value) => {
    const { board, good } = boardWith((goals) => goals.set(key, value));
    expect(board.goals.map((g) => g.id)).toEqual([good]);
    expect(board.problems).toHaveLength(1);
    expect(['malformed id', 'not a map']).toContain(board.problems[0]!.reason);
  });

  it.each([
    ['no title', { title: undefined }, 'missing'],
    ['a number for a title', { title: 12 }, 'not a string'],
    ['a Y.Text for a title', { title: new Y.Text('Walk') }, 'not a string'],
  ])('skips a goal with %s and reports it', (_what, overrides, reason) => {
    const id = newId();
    const { board, good } = boardWith((goals) => goals.set(id, raw(goalFields(overrides))));
    expect(board.goals.map((g) => g.id)).toEqual([good]);
    expect(board.problems).toEqual([{ path: `goals/${id}/title`, reason }]);
  });

  it('shows a 10 MB title shortened, and reports it', () => {
    const id = newId();
    const { board } = boardWith((goals) => goals.set(id, raw(goalFields({ title: TEN_MB, order: 'a1' }))));
    expect(board.goals[1]!.title).toHaveLength(MAX_SHORT_TEXT);
    expect(board.problems).toEqual([{ path: `goals/${id}/title`, reason: 'too long, shortened' }]);
  });

  it('repairs bad optional fields to their defaults, reporting each one', () => {
    const id = newId();
    const { board } = boardWith((goals) =>
      goals.set(
        id,
        raw(
          goalFields({
            order: 'a1',
            status: 'finished',
            lifeArea: TEN_MB,
            modules: 7,
            createdAt: 'last Tuesday',
            createdBy: { id: 'x' },
            targetDate: '2025-02-30',
            why: '<p>not rich text</p>',
            subgoals: 'none',
            reviews: [1, 2],
          }),
        ),
      ),
    );
    const goal = board.goals[1]!;
    expect(goal).toMatchObject({
      title: 'Walk',
      status: 'active',
      modules: [],
      createdAt: '',
      createdBy: 'local',
      targetDate: undefined,
      why: null,
      subgoals: [],
      reviews: [],
    });
    expect(goal.lifeArea).toHaveLength(MAX_SHORT_TEXT);
    expect(board.problems.map((p) => p.path.split('/').at(-1)).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'lifeArea',
        'modules',
        'reviews',
        'status',
        'subgoals',
        'targetDate',
        'why',
      ].sort(),
    );
  });

  it('keeps only well-formed module ids from the comma list', () => {
    const { board } = boardWith((goals) =>
      goals.set(
        newId(),
        raw(goalFields({ order: 'a1', modules: 'medication,<script>, coping-with-stress ,UPPER,,a b' })),
      ),
    );
    expect(board.goals[1]!.modules).toEqual(['medication', 'coping-with-stress']);
  });

  it('sorts a goal with a missing or malformed order last instead of hiding it', () => {
    const doc = new Y.Doc();
    const goals = doc.getMap<unknown>('goals');
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    goals.set(a, raw(goalFields({ title: 'no order', order: undefined })));
    goals.set(b, raw(goalFields({ title: 'second', order: 'a1' })));
    goals.set(c, raw(goalFields({ title: 'first', order: 'a0' })));
    goals.set(d, raw(goalFields({ title: 'huge order', order: 'a'.repeat(10_000) })));
    const board = readGoalBoard(doc);
    expect(board.goals.slice(0, 2).map((g) => g.title)).toEqual(['first', 'second']);
    expect(
      board.goals
        .slice(2)
        .map((g) => g.title)
        .sort(),
    ).toEqual(['huge order', 'no order']);
    expect(reasons(board.problems)).toEqual(['missing or malformed order', 'missing or malformed order']);
  });

  it('skips bad sub-goals, steps and reviews but keeps the goal and its good parts', () => {
    const doc = new Y.Doc();
    const goalId = addGoal(doc, { title: 'Walk' });
    const subId = addSubGoal(doc, goalId, { title: 'Week one' });
    addStep(doc, goalId, subId, { text: 'Shoes on', done: true });
    addReview(doc, goalId, { date: '2025-01-01', progress: 'partly' });
    const goal = doc.getMap<unknown>('goals').get(goalId) as Y.Map<unknown>;
    const subgoals = goal.get('subgoals') as Y.Map<unknown>;
    const steps = (subgoals.get(subId) as Y.Map<unknown>).get('steps') as Y.Map<unknown>;
    const reviews = goal.get('reviews') as Y.Map<unknown>;
    doc.transact(() => {
      subgoals.set(newId(), raw({ status: 'todo', order: 'b0' }));
      subgoals.set('bad', raw({ title: 'bad id', order: 'b1' }));
      subgoals.set(
        newId(),
        raw({ title: 'odd fields', status: 'someday', targetDate: 20250101, order: 'b2', steps: 3 }),
      );
      steps.set(newId(), raw({ done: true, order: 'b0' }));
      steps.set(newId(), raw({ text: 'odd step', done: 'yes', dueDate: 'soon', helper: 5, order: 'b1' }));
      steps.set(newId(), 'a string step');
      reviews.set(newId(), raw({ progress: 'achieved' }));
      reviews.set(newId(), raw({ date: '2025-13-01', progress: 'achieved' }));
      reviews.set(newId(), raw({ date: '2025-02-01', progress: 'brilliant', note: ['x'] }));
    });
    const board = readGoalBoard(doc);
    const [read] = board.goals;
    expect(read!.subgoals.map((s) => [s.title, s.status, s.targetDate])).toEqual([
      ['Week one', 'todo', undefined],
      ['odd fields', 'todo', undefined],
    ]);
    expect(read!.subgoals[0]!.steps.map((s) => [s.text, s.done, s.dueDate, s.helper])).toEqual([
      ['Shoes on', true, undefined, ''],
      ['odd step', false, undefined, ''],
    ]);
    expect(read!.reviews.map((r) => [r.date, r.progress, r.note])).toEqual([
      ['2025-01-01', 'partly', ''],
      ['2025-02-01', 'partly', ''],
    ]);
    expect(read!.progress).toEqual({ done: 1, total: 2 });
    const field = (p: Problem) => {
      const last = p.path.split('/').at(-1)!;
      return `${isId(last) ? 'item' : last} ${p.reason}`;
    };
    expect(board.problems.map(field).sort()).toEqual(
      [
        'text missing',
        'done not a boolean',
        'dueDate not a YYYY-MM-DD date',
        'helper not a string',
        'item not a map',
        'title missing',
        '? malformed id',
        'steps not a collection',
        'status unknown value',
        'targetDate not a YYYY-MM-DD date',
        'date missing or malformed date',
        'date missing or malformed date',
        'progress unknown value',
        'note not a string',
      ].sort(),
    );
    for (const problem of board.problems) expect(problem.path.startsWith(`goals/${goalId}/`)).toBe(true);
  });

  it('names problems by ids and field names only, never by content', () => {
    const secret = 'I hear voices at night';
    const { board } = boardWith((goals) => {
      goals.set(newId(), raw(goalFields({ title: 5, lifeArea: secret.repeat(500), status: secret })));
      goals.set(secret, raw(goalFields()));
    });
    expect(board.problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(board.problems)).not.toContain('voices');
  });
});

describe('readServicePlan on malformed sections, contacts and dates', () => {
  it('repairs a section of an unknown kind or zone and reports it', () => {
    const doc = new Y.Doc();
    seedServicePlan(doc);
    const sections = doc.getMap<unknown>('sections');
    const triggers = [...sections.entries()].find(
      ([, s]) => (s as Y.Map<unknown>).get('kind') === 'triggers',
    )!;
    const [unknownKind, badBody] = [newId(), newId()];
    doc.transact(() => {
      (triggers[1] as Y.Map<unknown>).set('zone', 'purple');
      sections.set(unknownKind, raw({ kind: 'horoscope', zone: 'green', title: 'Stars', order: 'z0' }));
      sections.set(badBody, raw({ kind: 'custom', zone: 'red', title: 7, order: 'z0', body: '<b>x</b>' }));
      sections.set(newId(), 'not a section');
    });
    const plan = readServicePlan(doc);
    expect(plan.sections).toHaveLength(14);
    expect(plan.sections.find((s) => s.id === triggers[0])!.zone).toBe('yellow');
    expect(plan.sections.find((s) => s.id === unknownKind)).toMatchObject({
      kind: 'custom',
      title: 'Stars',
      zone: 'green',
    });
    expect(plan.sections.find((s) => s.id === badBody)).toMatchObject({ title: '', body: null, zone: 'red' });
    expect(reasons(plan.problems).sort()).toEqual(
      ['not a map', 'not a string', 'not rich text', 'unknown value', 'unknown value'].sort(),
    );
  });

  it('keeps sections in zone order even when their order keys say otherwise', () => {
    const doc = new Y.Doc();
    const sections = doc.getMap<unknown>('sections');
    sections.set(newId(), raw({ kind: 'practical', zone: 'red', order: 'a0' }));
    sections.set(newId(), raw({ kind: 'wellness', zone: 'green', order: 'a9' }));
    sections.set(newId(), raw({ kind: 'triggers', zone: 'yellow', order: 'a5' }));
    expect(readServicePlan(doc).sections.map((s) => s.zone)).toEqual(['green', 'yellow', 'red']);
  });

  it('repairs contacts with a bad role, phone or name and skips ones that are not contacts', () => {
    const doc = new Y.Doc();
    const good = addContact(doc, { name: 'Mum', phone: '123' });
    const contacts = doc.getMap<unknown>('contacts');
    const odd = newId();
    doc.transact(() => {
      contacts.set(odd, raw({ name: TEN_MB, role: 'boss', phone: 12345, order: 'z0' }));
      contacts.set('../../etc', raw({ name: 'bad id' }));
      contacts.set(newId(), 99);
    });
    const plan = readServicePlan(doc);
    expect(plan.contacts.map((c) => c.id)).toEqual([good, odd]);
    expect(plan.contacts[1]).toMatchObject({ role: 'other', phone: '' });
    expect(plan.contacts[1]!.name).toHaveLength(MAX_SHORT_TEXT);
    expect(reasons(plan.problems).sort()).toEqual(
      ['malformed id', 'not a map', 'not a string', 'too long, shortened', 'unknown value'].sort(),
    );
  });

  it('drops review dates that are not real days, and reports them', () => {
    const doc = new Y.Doc();
    const meta = doc.getMap<unknown>('meta');
    meta.set('reviewedAt', '2025-02-29');
    meta.set('nextReviewAt', 20250301);
    const plan = readServicePlan(doc);
    expect([plan.reviewedAt, plan.nextReviewAt]).toEqual([undefined, undefined]);
    expect(plan.problems.map((p) => p.path).sort()).toEqual(['meta/nextReviewAt', 'meta/reviewedAt']);
  });
});

describe('readNotes on malformed threads', () => {
  it.each([
    ['no target', undefined],
    ['a string for a target', 'goal:abc'],
    ['an unknown target kind', { kind: 'plan', id: newId() }],
    ['a target id that is not an id', { kind: 'goal', id: '<img>' }],
    ['a target id of the wrong type', { kind: 'goal', id: 1234567890123456 }],
  ])('skips a thread with %s and reports it', (_what, target) => {
    const doc = new Y.Doc();
    const good = addThread(doc, { target: { kind: 'goal', id: newId() }, body: 'good', by: 'a' });
    const id = newId();
    doc.getMap<unknown>('threads').set(id, raw({ target, resolved: false, comments: new Y.Map() }));
    const notes = readNotes(doc);
    expect(notes.threads.map((t) => t.id)).toEqual([good]);
    expect(notes.problems).toEqual([{ path: `threads/${id}/target`, reason: 'missing or malformed target' }]);
  });

  it('skips comments without a body, shortens huge ones and repairs odd fields', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: { kind: 'step', id: newId() }, body: 'first', by: 'a' });
    const thread = doc.getMap<unknown>('threads').get(id) as Y.Map<unknown>;
    const comments = thread.get('comments') as Y.Map<unknown>;
    doc.transact(() => {
      thread.set('resolved', 'yes');
      thread.set('range', { anchor: '<script>', head: 5 });
      comments.set(newId(), raw({ by: 'b', at: 'now', order: 'z0' }));
      comments.set(newId(), raw({ by: 7, at: 'tomorrow', body: 'odd', order: 'z1' }));
      comments.set(newId(), new Y.Text('not a comment'));
    });
    const [read] = readNotes(doc).threads;
    expect(read!.resolved).toBe(false);
    expect(read!.range).toBeUndefined();
    expect(read!.comments.map((c) => [c.by, c.at, c.body.length])).toEqual([
      ['a', read!.comments[0]!.at, 5],
      ['', '', 3],
    ]);
    expect(reasons(readNotes(doc).problems).sort()).toEqual(
      ['missing', 'not a boolean', 'not a map', 'not a string', 'not an ISO-8601 time'].sort(),
    );
  });

  it('shows a 10 MB comment shortened, and reports it', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: { kind: 'step', id: newId() }, body: 'first', by: 'a' });
    const comments = (doc.getMap<unknown>('threads').get(id) as Y.Map<unknown>).get(
      'comments',
    ) as Y.Map<unknown>;
    const huge = newId();
    comments.set(huge, raw({ by: 'b', at: '2025-01-01T00:00:00.000Z', body: TEN_MB, order: 'z1' }));
    const notes = readNotes(doc);
    expect(notes.threads[0]!.comments[1]!.body).toHaveLength(MAX_SHORT_TEXT);
    expect(notes.problems).toEqual([
      { path: `threads/${id}/comments/${huge}/body`, reason: 'too long, shortened' },
    ]);
  });

  it('shows a thread whose comments are not a collection, with no comments', () => {
    const doc = new Y.Doc();
    const id = newId();
    doc.getMap<unknown>('threads').set(id, raw({ target: { kind: 'goal', id: newId() }, comments: 'hi' }));
    const notes = readNotes(doc);
    expect(notes.threads[0]).toMatchObject({ id, comments: [], resolved: false });
    expect(reasons(notes.problems)).toEqual(['not a collection']);
  });
});

describe('every reader on random garbage', () => {
  const FIELDS = [
    'title',
    'text',
    'status',
    'order',
    'why',
    'body',
    'subgoals',
    'steps',
    'reviews',
    'comments',
    'target',
    'kind',
    'zone',
    'role',
    'date',
    'done',
    'resolved',
    'createdAt',
    'at',
    'modules',
    'name',
    'phone',
  ];

  function garbage(random: () => number, depth: number): unknown {
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    switch (Math.floor(random() * (depth > 0 ? 12 : 9))) {
      case 0:
        return null;
      case 1:
        return Math.floor(random() * 1e6) - 5e5;
      case 2:
        return random() < 0.5;
      case 3:
        return pick(['', 'active', 'done', 'goal', 'red', '2025-01-01', 'a0', '\uffff', 'x'.repeat(3000)]);
      case 4:
        return pick([newId(), 'bad id', '../..']);
      case 5:
        return { kind: pick(['goal', 'step', 'nope']), id: pick([newId(), 'x']) };
      case 6:
        return [1, 'two', null];
      case 7:
        return new Y.Text('text');
      case 8:
        return new Y.XmlFragment();
      case 9:
        return new Y.Array();
      default: {
        const map = new Y.Map<unknown>();
        const n = Math.floor(random() * 6);
        for (let i = 0; i < n; i++) {
          const key = random() < 0.5 ? pick(FIELDS) : random() < 0.8 ? newId() : 'junk key';
          map.set(key, garbage(random, depth - 1));
        }
        return map;
      }
    }
  }

  it('never throws, and returns only items with valid ids, on 200 seeds', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      const doc = new Y.Doc();
      for (const root of ['goals', 'sections', 'contacts', 'threads', 'meta']) {
        const map = doc.getMap<unknown>(root);
        for (let i = 0; i < 4; i++) map.set(random() < 0.8 ? newId() : 'reviewedAt', garbage(random, 4));
      }
      const read = () => [readGoalBoard(doc), readServicePlan(doc), readNotes(doc)] as const;
      expect(read, `seed ${seed}`).not.toThrow();
      const [board, plan, notes] = read();
      const ids = [
        ...board.goals.flatMap((g) => [
          g.id,
          ...g.subgoals.flatMap((s) => [s.id, ...s.steps.map((t) => t.id)]),
        ]),
        ...plan.sections.map((s) => s.id),
        ...plan.contacts.map((c) => c.id),
        ...notes.threads.flatMap((t) => [t.id, t.target.id, ...t.comments.map((c) => c.id)]),
      ];
      expect(
        ids.filter((id) => !isId(id)),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });
});
