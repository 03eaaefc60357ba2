import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addGoal,
  addStep,
  addSubGoal,
  readGoalBoard,
  readServicePlan,
  updateStep,
} from '../../core/model/index.ts';
import { PlanSession, RegistrySession, createPlan, readRegistry } from '../../core/sync/index.ts';
import { nodePlatform } from '../../harness/node-platform.ts';

describe('a plan on one device', () => {
  it('is created with the standard sections and survives reopening', async () => {
    const platform = nodePlatform('smoke1:');
    const registry = new RegistrySession(platform);
    await registry.ready;
    const session = await createPlan(platform, registry.doc, 'Kari');
    const goalId = addGoal(session.docs.goals, { title: 'Walk to the shop' });
    const subId = addSubGoal(session.docs.goals, goalId, { title: 'First week' });
    const stepId = addStep(session.docs.goals, goalId, subId, { text: 'Walk to the corner' });
    updateStep(session.docs.goals, goalId, subId, stepId, { done: true });
    const planId = session.planId;
    await session.destroy();
    await registry.destroy();

    const again = new PlanSession(planId, platform);
    await again.ready;
    const board = readGoalBoard(again.docs.goals);
    expect(board.goals.map((g) => g.title)).toEqual(['Walk to the shop']);
    expect(board.goals[0]!.progress).toEqual({ done: 1, total: 1 });
    expect(readServicePlan(again.docs.plan).sections).toHaveLength(12);
    const registry2 = new RegistrySession(platform);
    await registry2.ready;
    expect(readRegistry(registry2.doc).plans.map((p) => p.name)).toEqual(['Kari']);
    await again.destroy();
    await registry2.destroy();
  });

  it('shows an edit made in one page in another page live', async () => {
    const platform = nodePlatform('smoke2:');
    const registry = new RegistrySession(platform);
    await registry.ready;
    const a = await createPlan(platform, registry.doc, 'Ola');
    const b = new PlanSession(a.planId, platform);
    await b.ready;
    addGoal(a.docs.goals, { title: 'Sleep before midnight' });
    await new Promise((r) => setTimeout(r, 50));
    expect(readGoalBoard(b.docs.goals).goals.map((g) => g.title)).toEqual(['Sleep before midnight']);
    expect(Y.encodeStateVector(a.docs.plan)).toEqual(Y.encodeStateVector(b.docs.plan));
    await a.destroy();
    await b.destroy();
    await registry.destroy();
  });
});
