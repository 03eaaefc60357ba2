import { atLeast, type Scope } from '../../core/access/index.ts';
import { usePlan } from '../../hooks/plan.tsx';
import { useAccess, useSyncStatus } from '../../hooks/sync.tsx';

/** What the person may do in one scope (goal board or service plan) of the open plan. */
export interface ScopeAccess {
  readonly canView: boolean;
  /** Write notes: Comment, Reply, Resolve. */
  readonly canComment: boolean;
  /** Change the content itself. */
  readonly canEdit: boolean;
}

/**
 * The UI's side of access (DESIGN.md "Access"): the server enforces it, the UI follows it so
 * nobody types into a field whose changes would be refused. A plan written by a newer Varde
 * is read-only for everyone (schema), and a member who was removed keeps a copy to read.
 */
export function useScopeAccess(scope: Scope): ScopeAccess {
  const plan = usePlan();
  const access = useAccess();
  const status = useSyncStatus();
  const level = access.levels[scope];
  const frozen =
    plan.status !== 'ready' || plan.readOnly || (status.kind === 'refused' && status.reason === 'revoked');
  return {
    canView: atLeast(level, 'view'),
    canComment: !frozen && atLeast(level, 'comment'),
    canEdit: !frozen && atLeast(level, 'edit'),
  };
}
