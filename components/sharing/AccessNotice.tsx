import type { Scope } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlan } from '../../hooks/plan.tsx';
import { useScopeAccess } from './access.ts';
import './sharing.css';

/**
 * A calm line at the top of the goal board or the service plan when this person may read but
 * not change it ("You can read the goal board and comment on it"). Nothing for full access,
 * nor for a plan from a newer Varde (the app shell says that already).
 */
export function AccessNotice({ scope }: { scope: Scope }) {
  const { t } = useI18n();
  const plan = usePlan();
  const access = useScopeAccess(scope);
  if (plan.status !== 'ready' || plan.readOnly || access.canEdit || !access.canView) return null;
  return (
    <p className="notice access-notice" role="note">
      {t(access.canComment ? `sharing.mayComment.${scope}` : `sharing.mayRead.${scope}`)}
    </p>
  );
}
