import { useId, useState, type FormEvent } from 'react';
import { LEVELS, ROLE_PRESETS, type InviteRole, type Level, type Levels } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useSharing } from '../../hooks/sync.tsx';
import { groupCode } from '../../core/sync/index.ts';
import { CopyField } from './CopyField.tsx';
import { QrCode } from './QrCode.tsx';
import { problemKey } from './errors.ts';
import { levelLabel } from './labels.ts';

const CHOICES = ['relative', 'therapist', 'network', 'other'] as const satisfies readonly InviteRole[];
const DAY = 24 * 3600;
const EXPIRIES = [1, 7, 30] as const;

/**
 * "Invite someone": who (a preset, said by what it means, or custom levels), what they will be
 * able to read and change, in one sentence per part, how long the invite stays valid; then a QR
 * code, a link and the code in groups of four to hand over privately. The code is shown once;
 * the server keeps only a hash.
 */
export function InviteForm() {
  const { t, locale } = useI18n();
  const sharing = useSharing();
  const [role, setRole] = useState<InviteRole>('relative');
  const [custom, setCustom] = useState<Levels>({ goals: 'view', plan: 'view' });
  const [days, setDays] = useState<(typeof EXPIRIES)[number]>(7);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [invite, setInvite] = useState<{ code: string; link: string; until: string } | null>(null);
  const legendId = useId();
  const canId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const created = await sharing.createInvite({
        role,
        ...(role === 'other' ? { levels: custom } : {}),
        expiresInSeconds: days * DAY,
      });
      const until = new Date(Date.now() + days * DAY * 1000).toLocaleDateString(locale, {
        day: 'numeric',
        month: 'long',
      });
      setInvite({ ...created, until });
    } catch (error) {
      setProblem(problemKey(error, 'invite'));
    } finally {
      setBusy(false);
    }
  };

  // What the chosen person will be able to read and change, one sentence per part.
  const levels: Levels = role === 'other' ? custom : ROLE_PRESETS[role];

  return (
    <section className="sharing-section" aria-labelledby={legendId}>
      <h3 id={legendId}>{t('sharing.inviteTitle')}</h3>
      <form className="sharing-form" onSubmit={(e) => void submit(e)}>
        <fieldset className="sharing-choices">
          <legend>{t('sharing.inviteWho')}</legend>
          {CHOICES.map((choice) => (
            <label key={choice} className="sharing-choice">
              <span className="sharing-choice-row">
                <input
                  type="radio"
                  name="invite-role"
                  value={choice}
                  checked={role === choice}
                  onChange={() => {
                    setRole(choice);
                    setInvite(null);
                  }}
                />
                {t(`sharing.choice.${choice}`)}
              </span>
              <span className="sharing-hint">{t(`sharing.meaning.${choice}`)}</span>
            </label>
          ))}
        </fieldset>
        {role === 'other' && (
          <div className="sharing-levels">
            <LevelSelect
              label={t('sharing.goalBoard')}
              value={custom.goals}
              onChange={(goals) => setCustom({ ...custom, goals })}
            />
            <LevelSelect
              label={t('sharing.servicePlan')}
              value={custom.plan}
              onChange={(plan) => setCustom({ ...custom, plan })}
            />
          </div>
        )}
        <div className="sharing-can" role="group" aria-labelledby={canId}>
          <p id={canId} className="sharing-can-title">
            {t('sharing.willBeAble')}
          </p>
          <ul>
            <li>{t(`sharing.canGoals.${levels.goals}`)}</li>
            <li>{t(`sharing.canPlan.${levels.plan}`)}</li>
          </ul>
        </div>
        <label>
          {t('sharing.validFor')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof EXPIRIES)[number])}>
            {EXPIRIES.map((d) => (
              <option key={d} value={d}>
                {t(d === 1 ? 'sharing.oneDay' : 'sharing.days', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <div className="sharing-buttons">
          <button type="submit" disabled={busy}>
            {t('sharing.createInvite')}
          </button>
        </div>
        {problem && (
          <p className="sharing-problem" role="alert">
            {t(problem)}
          </p>
        )}
      </form>
      {invite && (
        <div className="sharing-invite" role="group" aria-label={t('sharing.inviteReady')}>
          <p role="status" className="sharing-ok">
            {t('sharing.inviteReady')}
          </p>
          <QrCode value={invite.link} label={t('sharing.inviteQr')} />
          <p className="sharing-hint">{t('sharing.qrHint')}</p>
          <CopyField label={t('sharing.inviteLink')} value={invite.link} copyLabel={t('sharing.copyLink')} />
          <CopyField
            label={t('sharing.inviteCode')}
            value={groupCode(invite.code)}
            copyLabel={t('sharing.copyCode')}
          />
          <p className="sharing-note">{t('sharing.handOver', { date: invite.until })}</p>
        </div>
      )}
    </section>
  );
}

/** One scope's access level as a select ("Goal board: Can comment"). */
export function LevelSelect({
  label,
  value,
  onChange,
  accessibleName,
  disabled,
}: {
  label: string;
  value: Level;
  onChange: (level: Level) => void;
  /** When the visible label alone would be ambiguous, e.g. in a list of members. */
  accessibleName?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}
      <select
        value={value}
        aria-label={accessibleName}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as Level)}
      >
        {LEVELS.map((level) => (
          <option key={level} value={level}>
            {levelLabel(t, level)}
          </option>
        ))}
      </select>
    </label>
  );
}
