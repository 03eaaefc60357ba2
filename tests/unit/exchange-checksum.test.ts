import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, fromBase64, seedServicePlan, toBase64 } from '../../core/model/index.ts';
import { ImportError, exportPlan, parsePlanFile, type PlanDocs } from '../../core/sync/index.ts';

function docs(): PlanDocs {
  const made = {
    goals: new Y.Doc(),
    'goals-notes': new Y.Doc(),
    plan: new Y.Doc(),
    'plan-notes': new Y.Doc(),
  };
  seedServicePlan(made.plan);
  addContact(made.plan, { name: 'Crisis line', phone: '116 123' });
  return made;
}

function reasonOf(text: string): string | undefined {
  try {
    parsePlanFile(text);
    return undefined;
  } catch (error) {
    return error instanceof ImportError ? `${error.reason}:${error.part ?? ''}` : 'other';
  }
}

describe('an export file damaged in storage', () => {
  it('is refused when the first bytes of a part were zeroed, even though they still decode', () => {
    const file = exportPlan(docs(), 'AAAAAAAAAAAAAAAAAAAAAA', 'Test');
    const bytes = fromBase64(file.docs.plan);
    bytes.fill(0, 0, 4);
    file.docs.plan = toBase64(bytes);
    expect(reasonOf(JSON.stringify(file))).toBe('damagedPart:plan');
  });

  it('is refused when a part has no checksum', () => {
    const file = exportPlan(docs(), 'AAAAAAAAAAAAAAAAAAAAAA', 'Test') as unknown as {
      checksums: Record<string, unknown>;
    };
    delete file.checksums.goals;
    expect(reasonOf(JSON.stringify(file))).toBe('damagedPart:goals');
  });

  it('is accepted whole when nothing was changed', () => {
    const file = exportPlan(docs(), 'AAAAAAAAAAAAAAAAAAAAAA', 'Test');
    expect(reasonOf(JSON.stringify(file))).toBeUndefined();
  });
});
