import type { Translate } from '../../hooks/i18n.tsx';
import type { SyncStatus } from '../../core/sync/index.ts';

/** "1 change" / "3 changes" waiting: the count decides the wording. */
function waiting(t: Translate, key: 'offline' | 'connecting', pending: number): string {
  if (pending === 0) return t(`sharing.status.${key}`);
  return t(`sharing.status.${key}${pending === 1 ? 'One' : 'Many'}`, { count: pending });
}

/** The sync status in words: "Synced at 14:02", "Offline — 3 changes waiting (saved on this device)". */
export function describeStatus(status: SyncStatus, t: Translate, locale: string): string {
  switch (status.kind) {
    case 'local':
      return t('app.savedOnDevice');
    case 'connecting':
      return waiting(t, 'connecting', status.pending);
    case 'synced': {
      const at = new Date(status.at);
      if (Number.isNaN(at.getTime())) return t('sharing.status.syncedNow');
      const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
      return t('sharing.status.synced', { time });
    }
    case 'offline':
      return waiting(t, 'offline', status.pending);
    case 'refused':
      return t(`sharing.status.refused.${status.reason}`);
  }
}
