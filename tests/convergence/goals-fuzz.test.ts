/**
 * Seeded fuzzing of the goal board, the service plan and notes across 2–4 replicas: random edits,
 * concurrent reorders of the same items, lost messages, reconnects and reloads; then every
 * replica must hold the same state and show the same board and plan, with nothing duplicated
 * and nothing lost that nobody deleted. A seed that once failed stays below as a named test.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  GOAL_STATUSES,
  SUBGOAL_STATUSES,
  ZONES,
  addContact,
  addCustomSection,
  addGoal,
  addStep,
  addSubGoal,
  addThread,
  deleteContact,
  deleteGoal,
  deleteSection,
  deleteStep,
  deleteSubGoal,
  moveContact,
  moveGoal,
  moveSection,
  moveStep,
  moveSubGoal,
  readGoalBoard,
  readNotes,
  readServicePlan,
  renameSection,
  reply,
  richTextPlain,
  seedServicePlan,
  setResolved,
  setReviewDates,
  updateContact,
  updateGoal,
  updateStep,
  updateSubGoal,
} from '../../core/model/index.ts';
import { DOC_KEYS, Network, seedCrypto, type Replica } from './harness.ts';
import { Random } from '../../harness/random.ts';

/** What every replica was asked to create and delete, to tell a deletion from a loss. */
interface Ledger {
  goals: Set<string>;
  subgoals: Map<string, string>; // sub-goal → goal
  steps: Map<string, string>; // step → sub-goal
  contacts: Set<string>;
  sections: Set<string>;
  threads: Set<string>;
  /** Bodies of every comment written (bodies, since reply() returns the comment's id only). */
  comments: string[];
  deleted: Set<string>;
}

const newLedger = (): Ledger => ({
  goals: new Set(),
  subgoals: new Map(),
  steps: new Map(),
  contacts: new Set(),
  sections: new Set(),
  threads: new Set(),
  comments: [],
  deleted: new Set(),
});

/**
 * One random command on `replica`, on items as that replica sees them. Small lists and a bias
 * towards the first items make replicas move and edit the same items at the same time.
 */
function randomEdit(random: Random, replica: Replica, ledger: Ledger): void {
  const goalsDoc = replica.docs.goals;
  const planDoc = replica.docs.plan;
  const board = readGoalBoard(goalsDoc);
  const goal = random.pick(board.goals.slice(0, random.chance(0.6) ? 2 : undefined));
  const sub = goal && random.pick(goal.subgoals);
  const step = sub && random.pick(sub.steps);
  const index = () => random.int(6) - 1;
  const word = () =>
    random.pick(['walk', 'sleep', 'call Mum', 'cook', 'read', 'rest'])! + ' ' + random.int(100);
  const kind = random.int(23);
  // Reading the plan only when the edit is on it keeps 200 seeds fast.
  const plan = kind >= 14 ? readServicePlan(planDoc) : { sections: [], contacts: [] };
  switch (kind) {
    case 0:
    case 1:
      ledger.goals.add(addGoal(goalsDoc, { title: word() }));
      return;
    case 2:
      if (goal) updateGoal(goalsDoc, goal.id, { title: word(), status: random.pick(GOAL_STATUSES) });
      return;
    case 3:
      if (goal && random.chance(0.5)) {
        deleteGoal(goalsDoc, goal.id);
        ledger.deleted.add(goal.id);
      }
      return;
    case 4:
    case 5:
      if (goal) moveGoal(goalsDoc, goal.id, index());
      return;
    case 6:
      if (goal) ledger.subgoals.set(addSubGoal(goalsDoc, goal.id, { title: word() }), goal.id);
      return;
    case 7:
      if (goal && sub) updateSubGoal(goalsDoc, goal.id, sub.id, { status: random.pick(SUBGOAL_STATUSES) });
      return;
    case 8:
      if (goal && sub && random.chance(0.5)) {
        deleteSubGoal(goalsDoc, goal.id, sub.id);
        ledger.deleted.add(sub.id);
      }
      return;
    case 9:
      if (goal && sub) moveSubGoal(goalsDoc, goal.id, sub.id, index());
      return;
    case 10:
      if (goal && sub) ledger.steps.set(addStep(goalsDoc, goal.id, sub.id, { text: word() }), sub.id);
      return;
    case 11:
      if (goal && sub && step)
        updateStep(goalsDoc, goal.id, sub.id, step.id, { done: !step.done, helper: word() });
      return;
    case 12:
      if (goal && sub && step && random.chance(0.5)) {
        deleteStep(goalsDoc, goal.id, sub.id, step.id);
        ledger.deleted.add(step.id);
      }
      return;
    case 13:
      if (goal && sub && step) moveStep(goalsDoc, goal.id, sub.id, step.id, index());
      return;
    case 14: {
      const section = random.pick(plan.sections);
      if (section) moveSection(planDoc, section.id, index());
      return;
    }
    case 15: {
      const custom = random.pick(plan.sections.filter((s) => s.kind === 'custom'));
      const roll = random.int(4);
      if (!custom || roll < 2) {
        ledger.sections.add(addCustomSection(planDoc, { title: word(), zone: random.pick(ZONES)! }));
      } else if (roll === 2) {
        renameSection(planDoc, custom.id, word());
      } else {
        deleteSection(planDoc, custom.id);
        ledger.deleted.add(custom.id);
      }
      return;
    }
    case 16:
      ledger.contacts.add(addContact(planDoc, { name: word(), phone: String(random.int(1e8)) }));
      return;
    case 17: {
      const contact = random.pick(plan.contacts);
      if (contact) moveContact(planDoc, contact.id, index());
      return;
    }
    case 18: {
      const contact = random.pick(plan.contacts);
      if (!contact) return;
      if (random.chance(0.5)) updateContact(planDoc, contact.id, { relation: word() });
      else {
        deleteContact(planDoc, contact.id);
        ledger.deleted.add(contact.id);
      }
      return;
    }
    case 20:
      if (goal) {
        const body = word();
        ledger.threads.add(
          addThread(replica.docs.notes, { target: { kind: 'goal', id: goal.id }, body, by: 'local' }),
        );
        ledger.comments.push(body);
      }
      return;
    case 21:
    case 22: {
      // Threads are few, so replies and resolves often land on the same thread at once.
      const thread = random.pick(readNotes(replica.docs.notes).threads);
      if (!thread) return;
      if (random.chance(0.7)) {
        const body = word() + ' reply';
        reply(replica.docs.notes, thread.id, { body, by: 'local' });
        ledger.comments.push(body);
      } else setResolved(replica.docs.notes, thread.id, !thread.resolved);
      return;
    }
    default:
      setReviewDates(planDoc, { nextReviewAt: `2025-0${1 + random.int(9)}-1${random.int(10)}` });
  }
}

/** What a person sees, with rich text as text (fragments belong to one doc each). */
function view(replica: Replica) {
  const board = readGoalBoard(replica.docs.goals);
  const plan = readServicePlan(replica.docs.plan);
  const notes = readNotes(replica.docs.notes);
  return {
    goals: board.goals.map((g) => ({ ...g, why: richTextPlain(g.why) })),
    plan: { ...plan, sections: plan.sections.map((s) => ({ ...s, body: richTextPlain(s.body) })) },
    threads: notes.threads,
    problems: [...board.problems, ...plan.problems, ...notes.problems],
  };
}

function duplicates(ids: readonly string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

function checkConverged(network: Network, ledger: Ledger, label: string): void {
  const [first, ...rest] = network.replicas;
  for (const key of DOC_KEYS) {
    for (const doc of network.replicas.map((r) => r.docs[key])) {
      expect(doc.store.pendingStructs, `${label}: ${key} waits for missing updates`).toBeNull();
    }
  }
  const expected = view(first!);
  for (const replica of rest) {
    for (const key of DOC_KEYS) {
      expect(
        Y.encodeStateVector(replica.docs[key]),
        `${label}: ${key} state vector of replica ${replica.index}`,
      ).toEqual(Y.encodeStateVector(first!.docs[key]));
    }
    expect(view(replica), `${label}: what replica ${replica.index} shows`).toEqual(expected);
  }
  expect(expected.problems, `${label}: problems`).toEqual([]);

  const goals = expected.goals;
  const subs = goals.flatMap((g) => g.subgoals);
  const steps = subs.flatMap((s) => s.steps);
  expect(duplicates(goals.map((g) => g.id)), `${label}: duplicated goals`).toEqual([]);
  expect(duplicates(subs.map((s) => s.id)), `${label}: duplicated sub-goals`).toEqual([]);
  expect(duplicates(steps.map((s) => s.id)), `${label}: duplicated steps`).toEqual([]);
  expect(duplicates(expected.plan.contacts.map((c) => c.id)), `${label}: duplicated contacts`).toEqual([]);
  expect(duplicates(expected.plan.sections.map((s) => s.id)), `${label}: duplicated sections`).toEqual([]);

  // Nothing lost that was not deleted: an item survives unless it or its parent was deleted.
  const alive = (id: string) => !ledger.deleted.has(id);
  const liveGoals = [...ledger.goals].filter(alive);
  const liveSubs = [...ledger.subgoals]
    .filter(([id, goal]) => alive(id) && liveGoals.includes(goal))
    .map(([id]) => id);
  const liveSteps = [...ledger.steps]
    .filter(([id, sub]) => alive(id) && liveSubs.includes(sub))
    .map(([id]) => id);
  expect(goals.map((g) => g.id).sort(), `${label}: goals`).toEqual(liveGoals.sort());
  expect(subs.map((s) => s.id).sort(), `${label}: sub-goals`).toEqual(liveSubs.sort());
  expect(steps.map((s) => s.id).sort(), `${label}: steps`).toEqual(liveSteps.sort());
  expect(expected.plan.contacts.map((c) => c.id).sort(), `${label}: contacts`).toEqual(
    [...ledger.contacts].filter(alive).sort(),
  );
  const customs = expected.plan.sections.filter((s) => s.kind === 'custom').map((s) => s.id);
  expect(customs.sort(), `${label}: custom sections`).toEqual([...ledger.sections].filter(alive).sort());
  expect(expected.plan.sections.length - customs.length, `${label}: standard sections`).toBe(12);
  // Threads are never deleted, so every thread and every comment written must be there, once.
  const comments = expected.threads.flatMap((t) => t.comments);
  expect(expected.threads.map((t) => t.id).sort(), `${label}: threads`).toEqual([...ledger.threads].sort());
  expect(duplicates(comments.map((c) => c.id)), `${label}: duplicated comments`).toEqual([]);
  expect(comments.map((c) => c.body).sort(), `${label}: comments`).toEqual([...ledger.comments].sort());

  // Sections stay grouped by zone; within each list the order is total (strictly increasing).
  const zoneRanks = expected.plan.sections.map((s) => ZONES.indexOf(s.zone));
  expect(zoneRanks, `${label}: zones`).toEqual([...zoneRanks].sort());
  const lists = [
    goals,
    ...goals.map((g) => g.subgoals),
    ...subs.map((s) => s.steps),
    expected.plan.contacts,
    ...expected.threads.map((t) => t.comments),
  ];
  for (const list of lists) {
    const keys = list.map((item) => `${item.order}\u0000${item.id}`);
    expect(keys, `${label}: order`).toEqual([...keys].sort());
  }
}

/** One fuzz run: `steps` random events, then everything delivered. */
function run(seed: number, steps = 100): void {
  const random = new Random(seed);
  const restoreCrypto = seedCrypto(new Random(seed ^ 0x5eed));
  try {
    const network = new Network(2 + random.int(3));
    const ledger = newLedger();
    // The device that creates a plan seeds it; the others receive the sections by sync.
    seedServicePlan(network.replicas[0]!.docs.plan);
    network.settle(random);
    for (let i = 0; i < steps; i++) {
      const replica = random.pick(network.replicas)!;
      const event = random.next();
      if (event < 0.5) randomEdit(random, replica, ledger);
      else if (event < 0.75) network.deliverOne(random);
      else if (event < 0.8) network.deliverOne(random, { outOfOrder: true });
      else if (event < 0.88) network.dropOne(random);
      else if (event < 0.98) network.resync(replica, random.pick(network.replicas)!);
      else replica.restart();
    }
    network.settle(random);
    checkConverged(network, ledger, `seed ${seed}`);
  } finally {
    restoreCrypto();
  }
}

describe('replicas of the goal board and the service plan', () => {
  // 200 seeds in four tests, so that a slow, shared CI core gives each batch its own timeout.
  it.each([1, 51, 101, 151])(
    'converge on 50 random seeds from %i, with nothing duplicated and nothing lost',
    (first) => {
      for (let seed = first; seed < first + 50; seed++) run(seed);
    },
  );

  it('replay a seed exactly: the same seed gives the same board', () => {
    const boards: string[] = [];
    for (let i = 0; i < 2; i++) {
      const random = new Random(42);
      const restore = seedCrypto(new Random(42));
      try {
        const network = new Network(2);
        const ledger = newLedger();
        for (let j = 0; j < 40; j++) randomEdit(random, random.pick(network.replicas)!, ledger);
        network.settle(random);
        boards.push(
          JSON.stringify(readGoalBoard(network.replicas[0]!.docs.goals).goals.map((g) => [g.id, g.order])),
        );
      } finally {
        restore();
      }
    }
    expect(boards[0]).toBe(boards[1]);
  });
});

describe('two replicas reordering the same goals at once', () => {
  function twoReplicasWithGoals(titles: string[]) {
    const network = new Network(2);
    const [a, b] = network.replicas as [Replica, Replica];
    const ids = titles.map((title) => addGoal(a.docs.goals, { title }));
    network.settle(new Random(1));
    const order = (r: Replica) => readGoalBoard(r.docs.goals).goals.map((g) => g.title);
    return { network, a, b, ids, order };
  }

  it('end with the goal moved by both in one place, once, the same on both', () => {
    const { network, a, b, ids, order } = twoReplicasWithGoals(['a', 'b', 'c', 'd']);
    moveGoal(a.docs.goals, ids[0]!, 3);
    moveGoal(b.docs.goals, ids[0]!, 1);
    network.settle(new Random(1));
    expect(order(a)).toEqual(order(b));
    expect([...order(a)].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([
      ['b', 'c', 'd', 'a'],
      ['b', 'a', 'c', 'd'],
    ]).toContainEqual(order(a));
  });

  it('keep every goal once when each moves a different goal into the same gap', () => {
    const { network, a, b, ids, order } = twoReplicasWithGoals(['a', 'b', 'c', 'd']);
    moveGoal(a.docs.goals, ids[3]!, 1);
    moveGoal(b.docs.goals, ids[2]!, 1);
    network.settle(new Random(1));
    expect(order(a)).toEqual(order(b));
    expect(order(a)[0]).toBe('a');
    expect(order(a).slice(1, 3).sort()).toEqual(['c', 'd']);
    expect(order(a)[3]).toBe('b');
  });

  it('keep both goals, ordered the same on both, when both add at the end at once', () => {
    const { network, a, b, order } = twoReplicasWithGoals(['a']);
    addGoal(a.docs.goals, { title: 'from a' });
    addGoal(b.docs.goals, { title: 'from b' });
    network.settle(new Random(1));
    expect(order(a)).toEqual(order(b));
    expect(order(a)[0]).toBe('a');
    expect(order(a).slice(1).sort()).toEqual(['from a', 'from b']);
  });

  it('lose a goal deleted on one while the other moves it, and nothing else', () => {
    const { network, a, b, ids, order } = twoReplicasWithGoals(['a', 'b', 'c']);
    deleteGoal(a.docs.goals, ids[1]!);
    moveGoal(b.docs.goals, ids[1]!, 0);
    network.settle(new Random(1));
    expect(order(a)).toEqual(['a', 'c']);
    expect(order(b)).toEqual(['a', 'c']);
  });
});
