import type { PermissionDeniedReason } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useSyncStatus, useWriteDenied } from '../../hooks/sync.tsx';
import { describeStatus } from '../sharing/status.ts';
import '../sharing/sharing.css';

/**
 * Honest sync status, always visible (DESIGN.md "Client"): saved on this device, syncing,
 * synced at T, offline with N changes waiting (still saved here), or access refused / removed.
 * Changes to it are read out politely, never interrupting.
 */
export function SyncStatus() {
  const { t, locale } = useI18n();
  const status = useSyncStatus();
  return (
    <p className={`sync-status sync-status-${status.kind}`} role="status" aria-live="polite">
      <span className="sync-dot" aria-hidden="true" />
      {describeStatus(status, t, locale)}
    </p>
  );
}

/** What each refusal means for the person, in their words. */
export const DENIED_MESSAGES: Record<PermissionDeniedReason, string> = {
  writeDenied: 'sharing.writeDenied',
  docTooLarge: 'sharing.docFull',
  storageFull: 'sharing.serverFull',
};

/**
 * After the server refused a change (the person's access was lowered while they typed): a
 * calm explanation, not an error. What they wrote stays on this device.
 */
export function WriteDeniedNotice() {
  const { t } = useI18n();
  const denied = useWriteDenied();
  if (!denied) return null;
  return (
    <p className="notice write-denied" role="status">
      {t(DENIED_MESSAGES[denied])}
    </p>
  );
}
