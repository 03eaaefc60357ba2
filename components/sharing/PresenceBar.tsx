import { useI18n } from '../../hooks/i18n.tsx';
import { usePresence } from '../../hooks/sync.tsx';
import { roleLabel, safeColor } from './labels.ts';
import './sharing.css';

/** Who is here now: each person's colour (as on their caret), name and role; "you" marked. */
export function PresenceBar() {
  const { t } = useI18n();
  const peers = usePresence();
  if (peers.length === 0) return null;
  return (
    <section className="presence" aria-label={t('sharing.hereNow')}>
      <span className="presence-title">{t('sharing.hereNow')}</span>
      <ul className="presence-list">
        {peers.map((peer) => {
          const color = safeColor(peer.color);
          return (
            <li key={peer.memberId} className="presence-peer">
              <span
                className="presence-dot"
                style={color ? { background: color } : undefined}
                aria-hidden="true"
              />
              <span className="presence-name">{peer.name}</span>
              {peer.self && <span className="presence-you"> ({t('sharing.you')})</span>}
              <span className="presence-role"> · {roleLabel(t, peer.role)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
