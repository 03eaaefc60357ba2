import * as Y from 'yjs';
import {
  DOC_NAMES,
  ORIGIN,
  crc32,
  fromBase64,
  isPlanId,
  readGoalBoard,
  readNotes,
  readServicePlan,
  richTextPlain,
  toBase64,
  type DocName,
  type Problem,
} from '../model/index.ts';
import type { PlanDocs } from './session.ts';

/**
 * The export file: versioned JSON holding each doc's full Yjs state (so an import loses
 * nothing: rich text, history, ids) and, beside it, a plain reading of the content so a
 * person or another program can read the file without Yjs. Import uses only `docs`.
 */
export const PLAN_FILE_FORMAT = 'varde-plan';
export const PLAN_FILE_VERSION = 1;
/** Far above a decade of weekly use (~1 MB); a larger file is not a Varde export. */
export const MAX_PLAN_FILE_BYTES = 50 * 1024 * 1024;

export interface PlanFile {
  format: typeof PLAN_FILE_FORMAT;
  version: typeof PLAN_FILE_VERSION;
  exportedAt: string;
  planId: string;
  name: string;
  docs: Record<DocName, string>;
  /** CRC-32 of each doc's decoded bytes, so damage that still decodes is caught. */
  checksums: Record<DocName, string>;
  readable: unknown;
}

function readable(docs: PlanDocs) {
  const board = readGoalBoard(docs.goals);
  const plan = readServicePlan(docs.plan);
  const { problems: _gp, ...goalsRest } = board;
  return {
    goals: goalsRest.goals.map(({ why, ...goal }) => ({ ...goal, why: richTextPlain(why) })),
    sections: plan.sections.map(({ body, ...s }) => ({ ...s, body: richTextPlain(body) })),
    contacts: plan.contacts,
    reviewedAt: plan.reviewedAt,
    nextReviewAt: plan.nextReviewAt,
    goalNotes: readNotes(docs['goals-notes']).threads,
    planNotes: readNotes(docs['plan-notes']).threads,
  };
}

/**
 * The export file of a plan's open docs: each doc's full state with its CRC-32, and a plain reading of the
 * content beside it. Reads the docs only; the caller serializes the result as JSON.
 */
export function exportPlan(docs: PlanDocs, planId: string, name: string): PlanFile {
  const encoded = {} as Record<DocName, string>;
  const checksums = {} as Record<DocName, string>;
  for (const doc of DOC_NAMES) {
    const update = Y.encodeStateAsUpdate(docs[doc]);
    encoded[doc] = toBase64(update);
    checksums[doc] = crc32(update);
  }
  return {
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    planId,
    name,
    docs: encoded,
    checksums,
    readable: readable(docs),
  };
}

/** Why a file cannot be imported; each has a plain-language message in every locale. */
export const IMPORT_ERRORS = [
  'tooLarge',
  'notJson',
  'notVardeFile',
  'newerVersion',
  'badPlanId',
  'missingPart',
  'damagedPart',
] as const;
export type ImportErrorReason = (typeof IMPORT_ERRORS)[number];

/**
 * Why `parsePlanFile` refused a file: `reason` is one of `IMPORT_ERRORS`, `part` the doc at fault, if any.
 */
export class ImportError extends Error {
  constructor(
    readonly reason: ImportErrorReason,
    /** Which doc, for `missingPart` and `damagedPart`. */
    readonly part?: DocName,
  ) {
    super(part ? `${reason}: ${part}` : reason);
    this.name = 'ImportError';
  }
}

export interface ParsedPlanFile {
  readonly planId: string;
  readonly name: string;
  readonly exportedAt: string;
  readonly updates: Readonly<Record<DocName, Uint8Array>>;
  /** Items the readers will skip once imported: shown to the person, never fatal. */
  readonly problems: readonly Problem[];
}

/**
 * Checks an import file completely before anything is written: JSON, format, version, and
 * that each doc's state decodes and loads into a scratch doc. Throws ImportError.
 */
export function parsePlanFile(text: string): ParsedPlanFile {
  if (text.length > MAX_PLAN_FILE_BYTES) throw new ImportError('tooLarge');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('notJson');
  }
  const file = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (file.format !== PLAN_FILE_FORMAT) throw new ImportError('notVardeFile');
  if (typeof file.version === 'number' && file.version > PLAN_FILE_VERSION)
    throw new ImportError('newerVersion');
  if (file.version !== PLAN_FILE_VERSION) throw new ImportError('notVardeFile');
  if (!isPlanId(file.planId)) throw new ImportError('badPlanId');
  const docs = (typeof file.docs === 'object' && file.docs !== null ? file.docs : {}) as Record<
    string,
    unknown
  >;
  const checksums = (
    typeof file.checksums === 'object' && file.checksums !== null ? file.checksums : {}
  ) as Record<string, unknown>;
  const updates = {} as Record<DocName, Uint8Array>;
  const problems: Problem[] = [];
  for (const name of DOC_NAMES) {
    const encoded = docs[name];
    if (typeof encoded !== 'string') throw new ImportError('missingPart', name);
    const scratch = new Y.Doc();
    try {
      const update = fromBase64(encoded);
      if (checksums[name] !== crc32(update)) throw new Error('checksum');
      Y.decodeUpdate(update);
      Y.applyUpdate(scratch, update);
      if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null)
        throw new Error('incomplete');
      updates[name] = update;
    } catch {
      throw new ImportError('damagedPart', name);
    }
    const found =
      name === 'goals'
        ? readGoalBoard(scratch).problems
        : name === 'plan'
          ? readServicePlan(scratch).problems
          : readNotes(scratch).problems;
    problems.push(...found.map((p) => ({ ...p, path: `${name}:${p.path}` })));
    scratch.destroy();
  }
  const name = typeof file.name === 'string' ? file.name.slice(0, 200) : '';
  const exportedAt = typeof file.exportedAt === 'string' ? file.exportedAt.slice(0, 40) : '';
  return { planId: file.planId, name, exportedAt, updates, problems };
}

/**
 * Merges an import into open docs. Yjs merging never drops what either side wrote, so
 * importing into an existing plan keeps both its edits and the file's.
 */
export function applyPlanFile(docs: PlanDocs, file: ParsedPlanFile): void {
  for (const name of DOC_NAMES) Y.applyUpdate(docs[name], file.updates[name], ORIGIN.import);
}
