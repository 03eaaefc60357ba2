import { useEffect, useRef, useState } from 'react';
import {
  ImportError,
  MAX_PLAN_FILE_BYTES,
  PlanSession,
  RegistrySession,
  applyPlanFile,
  importPlan,
  parsePlanFile,
  type ImportErrorReason,
  type ParsedPlanFile,
} from '../../core/sync/index.ts';
import { browserPlatform } from '../../hooks/platform.ts';
import { useRegistry } from '../../hooks/registry.tsx';

/** Why an import did not happen: a file problem, or this device could not take it. */
export type ImportFailure = ImportErrorReason | 'planIsNewer' | 'unexpected';

/** The plan on this device was made by a newer Varde: merging into it could lose its content. */
class PlanIsNewer extends Error {
  readonly reason = 'planIsNewer' as const;
  constructor() {
    super('planIsNewer');
    this.name = 'PlanIsNewer';
  }
}

export type ImportState =
  | { readonly step: 'idle' }
  | { readonly step: 'working' }
  | { readonly step: 'failed'; readonly reason: ImportFailure }
  /** The file's plan is already on this device: the person must choose. */
  | { readonly step: 'choose'; readonly file: ParsedPlanFile; readonly existingName: string }
  /** A new plan, but some items will be hidden: the person confirms first. */
  | { readonly step: 'confirm'; readonly file: ParsedPlanFile }
  | { readonly step: 'done'; readonly outcome: 'merged' | 'imported'; readonly name: string };

/** The plan open in this page, if any: merging into it goes through its own docs. */
export interface OpenPlanTarget {
  readonly planId: string;
  readonly readOnly: boolean;
  readonly mergeFile: (file: ParsedPlanFile) => void;
}

export interface ImportNames {
  /** Name for a file that carries none. */
  readonly fallback: string;
  /** Name for the second plan when the person keeps both. */
  readonly copyOf: (name: string) => string;
}

/**
 * Import, step by step: read and validate the whole file (nothing is written before that),
 * then import as a new plan, or, when the plan is already here, merge or keep both on the
 * person's explicit choice. Yjs merging keeps what both sides wrote, so a merge loses nothing.
 *
 * Importing needs the registry's Y.Doc, which hooks/registry.tsx does not hand out: this hook
 * opens its own RegistrySession when first needed. It is linked to the page's registry by
 * BroadcastChannel, so the new plan appears in every open page; it stays open until the
 * component unmounts so that link has time to deliver.
 */
export function useImport(open: OpenPlanTarget | null, names: ImportNames) {
  const registryState = useRegistry();
  const [state, setState] = useState<ImportState>({ step: 'idle' });
  const registrySession = useRef<RegistrySession | null>(null);

  useEffect(
    () => () => {
      void registrySession.current?.destroy();
      registrySession.current = null;
    },
    [],
  );

  const registryDoc = async () => {
    registrySession.current ??= new RegistrySession(browserPlatform);
    const state = await registrySession.current.ready;
    if (state.status === 'error') throw state.error;
    return registrySession.current.doc;
  };

  const fail = (error: unknown) =>
    setState({ step: 'failed', reason: error instanceof ImportError ? error.reason : 'unexpected' });

  const importAsNew = async (file: ParsedPlanFile, asCopy: boolean) => {
    setState({ step: 'working' });
    try {
      const base = file.name.trim() || names.fallback;
      const name = asCopy ? names.copyOf(base) : base;
      const session = await importPlan(browserPlatform, await registryDoc(), file, { asCopy, name });
      await session.destroy();
      // The registry now names the new plan as current; every open page switches to it.
      setState({ step: 'done', outcome: 'imported', name });
    } catch (error) {
      fail(error);
    }
  };

  const chooseFile = async (picked: File) => {
    if (registryState.status !== 'ready') return;
    setState({ step: 'working' });
    try {
      if (picked.size > MAX_PLAN_FILE_BYTES) throw new ImportError('tooLarge');
      const file = parsePlanFile(await picked.text());
      const existing = registryState.registry.plans.find((p) => p.planId === file.planId);
      if (existing) setState({ step: 'choose', file, existingName: existing.name || names.fallback });
      else if (file.problems.length > 0) setState({ step: 'confirm', file });
      else await importAsNew(file, false);
    } catch (error) {
      fail(error);
    }
  };

  const merge = async () => {
    if (state.step !== 'choose' || registryState.status !== 'ready') return;
    const { file, existingName } = state;
    setState({ step: 'working' });
    try {
      if (open && open.planId === file.planId) {
        if (open.readOnly) throw new PlanIsNewer();
        open.mergeFile(file);
      } else {
        const session = new PlanSession(file.planId, browserPlatform);
        const ready = await session.ready;
        if (ready.status === 'error') throw ready.error;
        if (ready.status === 'ready' && ready.newerSchema.length > 0) {
          await session.destroy();
          throw new PlanIsNewer();
        }
        applyPlanFile(session.docs, file);
        await session.destroy();
        registryState.actions.switchPlan(file.planId);
      }
      setState({ step: 'done', outcome: 'merged', name: existingName });
    } catch (error) {
      if (error instanceof PlanIsNewer) setState({ step: 'failed', reason: error.reason });
      else fail(error);
    }
  };

  return {
    state,
    chooseFile: (file: File) => void chooseFile(file),
    merge: () => void merge(),
    keepBoth: () => {
      if (state.step === 'choose') void importAsNew(state.file, true);
    },
    importNew: () => {
      if (state.step === 'confirm') void importAsNew(state.file, false);
    },
    dismiss: () => setState({ step: 'idle' }),
  };
}
