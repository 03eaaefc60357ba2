/**
 * core/sync's two ways an import file lands on a device: `importPlan` (a plan of its own) and
 * `mergeImport` (into the plan of the same id already here, open in the page or not).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DOC_NAMES,
  addGoal,
  metaRoot,
  newPlanId,
  readGoalBoard,
  type DocName,
} from '../../core/model/index.ts';
import {
  PlanIsNewerError,
  PlanSession,
  RegistrySession,
  addPlanEntry,
  createPlan,
  exportPlan,
  mergeImport,
  parsePlanFile,
  readRegistry,
} from '../../core/sync/index.ts';
import { nodePlatform } from '../../harness/node-platform.ts';

let n = 0;

/** A device with one plan holding a goal, and an export of that plan with a second goal. */
async function deviceWithPlanAndLaterExport() {
  const platform = nodePlatform(`sync-import-${++n}:`);
  const registry = new RegistrySession(platform);
  await registry.ready;
  const plan = await createPlan(platform, registry.doc, 'Kari');
  addGoal(plan.docs.goals, { title: 'On this device' });
  // The file is made from an in-memory copy: a second session would be a page linked to the
  // first, which would then hold the file's goal already.
  const copy = Object.fromEntries(
    DOC_NAMES.map((name) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(plan.docs[name]));
      return [name, doc];
    }),
  ) as Record<DocName, Y.Doc>;
  addGoal(copy.goals, { title: 'From the file' });
  const file = parsePlanFile(JSON.stringify(exportPlan(copy, plan.planId, 'Kari')));
  return { platform, registry, plan, file };
}

const titles = (session: PlanSession) =>
  readGoalBoard(session.docs.goals)
    .goals.map((g) => g.title)
    .sort();

describe('merging an import into a plan on this device', () => {
  it('merges into the docs the page has open, keeping both sides', async () => {
    const { platform, registry, plan, file } = await deviceWithPlanAndLaterExport();
    await mergeImport(platform, registry.doc, file, {
      planId: plan.planId,
      docs: plan.docs,
      readOnly: false,
    });
    expect(titles(plan)).toEqual(['From the file', 'On this device']);
    await plan.destroy();
    await registry.destroy();
  });

  it('opens a plan that is not open, merges, stores it, and makes it current', async () => {
    const { platform, registry, plan, file } = await deviceWithPlanAndLaterExport();
    const planId = plan.planId;
    await plan.destroy();
    const other = newPlanId();
    addPlanEntry(registry.doc, { planId: other, name: 'Ola' });
    expect(readRegistry(registry.doc).currentPlanId).toBe(other);
    await mergeImport(platform, registry.doc, file, null);
    expect(readRegistry(registry.doc).currentPlanId).toBe(planId);
    const again = new PlanSession(planId, platform);
    await again.ready;
    expect(titles(again)).toEqual(['From the file', 'On this device']);
    await again.destroy();
    await registry.destroy();
  });

  it('refuses a plan written by a newer Varde and leaves it untouched', async () => {
    const { platform, registry, plan, file } = await deviceWithPlanAndLaterExport();
    plan.docs.goals.transact(() => metaRoot(plan.docs.goals).set('schemaVersion', 99), 'local');
    const open = { planId: plan.planId, docs: plan.docs, readOnly: true };
    await expect(mergeImport(platform, registry.doc, file, open)).rejects.toBeInstanceOf(PlanIsNewerError);
    await plan.destroy();
    await expect(mergeImport(platform, registry.doc, file, null)).rejects.toBeInstanceOf(PlanIsNewerError);
    const again = new PlanSession(file.planId, platform);
    await again.ready;
    expect(titles(again)).toEqual(['On this device']);
    await again.destroy();
    await registry.destroy();
  });
});
