import { useI18n } from '../../hooks/i18n.tsx';

/**
 * Honest sync status. A plan that is not shared lives only on this device, and every change
 * is written to it at once; sharing (issue 3) adds syncing / synced at T / offline states.
 */
export function SyncStatus() {
  const { t } = useI18n();
  return (
    <p className="sync-status" role="status">
      {t('app.savedOnDevice')}
    </p>
  );
}
