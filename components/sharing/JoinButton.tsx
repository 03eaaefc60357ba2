import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { Dialog } from './Dialog.tsx';
import { JoinForm } from './JoinForm.tsx';

/** "Join a plan" beside the plan switcher: a therapist adds one participant's plan after another. */
export function JoinButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('sharing.joinTitle')}
      </button>
      <Dialog open={open} title={t('sharing.joinTitle')} onClose={() => setOpen(false)}>
        <p>{t('sharing.joinIntro')}</p>
        <JoinForm onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
