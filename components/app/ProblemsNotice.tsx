import type { Problem } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';

/**
 * Shown when readers skipped malformed items written by another (buggy) client: the person
 * learns something is hidden, and nothing else breaks.
 */
export function ProblemsNotice({ problems }: { problems: readonly Problem[] }) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <p className="notice" role="status">
      {t('app.problemsHidden', { count: problems.length })}
    </p>
  );
}
