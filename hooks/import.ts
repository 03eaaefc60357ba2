import { useState } from 'react';
import {
  ImportError,
  MAX_PLAN_FILE_BYTES,
  PlanIsNewerError,
  importPlan,
  mergeImport,
  parsePlanFile,
  type ImportErrorReason,
  type ParsedPlanFile,
} from '../core/sync/index.ts';
import { useOpenPlanDocs } from './plan.tsx';
import { browserPlatform } from './platform.ts';
import { useRegistry, useRegistrySession } from './registry.tsx';

/** Why an import did not happen: a file problem, or this device could not take it. */
export type ImportFailure = ImportErrorReason | 'planIsNewer' | 'unexpected';

export type ImportState =
  | { readonly step: 'idle' }
  | { readonly step: 'working' }
  | { readonly step: 'failed'; readonly reason: ImportFailure }
  /** The file's plan is already on this device: the person must choose. */
  | { readonly step: 'choose'; readonly file: ParsedPlanFile; readonly existingName: string }
  /** A new plan, but some items will be hidden: the person confirms first. */
  | { readonly step: 'confirm'; readonly file: ParsedPlanFile }
  | { readonly step: 'done'; readonly outcome: 'merged' | 'imported'; readonly name: string };

export interface ImportNames {
  /** Name for a file that carries none. */
  readonly fallback: string;
  /** Name for the second plan when the person keeps both. */
  readonly copyOf: (name: string) => string;
}

/**
 * Import, step by step: read and validate the whole file (nothing is written before that),
 * then import as a new plan (core/sync `importPlan`), or, when the plan is already here,
 * merge (`mergeImport`) or keep both on the person's explicit choice.
 *
 * It writes to the page's own registry session, which is linked to the other open pages, so
 * the new plan appears in every one; a merge into the plan open in this page (`PlanProvider`
 * above, if any) goes through that plan's docs.
 */
export function useImport(names: ImportNames) {
  const registryState = useRegistry();
  const registrySession = useRegistrySession();
  const open = useOpenPlanDocs();
  const [state, setState] = useState<ImportState>({ step: 'idle' });

  const registryDoc = () => {
    if (!registrySession) throw new Error('the plan registry is not open');
    return registrySession.doc;
  };

  const fail = (error: unknown) =>
    setState({
      step: 'failed',
      reason: error instanceof ImportError || error instanceof PlanIsNewerError ? error.reason : 'unexpected',
    });

  const importAsNew = async (file: ParsedPlanFile, asCopy: boolean) => {
    setState({ step: 'working' });
    try {
      const base = file.name.trim() || names.fallback;
      const name = asCopy ? names.copyOf(base) : base;
      const session = await importPlan(browserPlatform, registryDoc(), file, { asCopy, name });
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
      await mergeImport(browserPlatform, registryDoc(), file, open);
      setState({ step: 'done', outcome: 'merged', name: existingName });
    } catch (error) {
      fail(error);
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
