import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useAccess, useSharing } from '../../hooks/sync.tsx';
import { AuditLogSection } from './AuditLog.tsx';
import { Dialog } from './Dialog.tsx';
import { InviteForm } from './InviteForm.tsx';
import { levelLabel, roleLabel } from './labels.ts';
import { MembersPanel } from './MembersPanel.tsx';
import { ShareForm } from './ShareForm.tsx';
import './sharing.css';

/**
 * The "Sharing" button in the header and its dialog. The owner shares the plan, invites people
 * and manages members; anyone else sees, in plain words, what they may do in this plan.
 */
export function SharingButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="sharing-open" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('sharing.sharing')}
      </button>
      <Dialog open={open} title={t('sharing.sharing')} onClose={() => setOpen(false)}>
        <SharingPanel />
      </Dialog>
    </>
  );
}

function SharingPanel() {
  const { t } = useI18n();
  const access = useAccess();
  const sharing = useSharing();
  if (!access.isOwner) return <YourAccess server={sharing.server} />;
  if (sharing.server === null) return <ShareForm />;
  return (
    <>
      <p className="sharing-ok">{t('sharing.sharedOn', { server: sharing.server })}</p>
      <InviteForm />
      <MembersPanel />
      <AuditLogSection />
    </>
  );
}

function YourAccess({ server }: { server: string | null }) {
  const { t } = useI18n();
  const access = useAccess();
  return (
    <section className="sharing-section">
      <p>{t('sharing.youTakePart', { role: roleLabel(t, access.role) })}</p>
      <ul className="your-access">
        <li>
          {t('sharing.goalBoard')}: {levelLabel(t, access.levels.goals)}
        </li>
        <li>
          {t('sharing.servicePlan')}: {levelLabel(t, access.levels.plan)}
        </li>
      </ul>
      <p className="sharing-hint">{t('sharing.ownerDecides')}</p>
      {server && <p className="sharing-hint">{t('sharing.sharedOn', { server })}</p>}
    </section>
  );
}
