import { useId, useState, type FormEvent } from 'react';
import { checkDisplayName, type NameProblem } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useRegistry } from '../../hooks/registry.tsx';
import { useJoin } from '../../hooks/sync.tsx';
import { problemKey } from './errors.ts';
import { isLink } from './labels.ts';
import { NameField } from './NameField.tsx';
import { DEFAULT_SERVER, ServerField } from './ServerField.tsx';
import './sharing.css';

/**
 * "Join a plan" with an invite: the whole link (it names the server), or a bare code, which is
 * for this build's server unless the person chooses another (ServerField). The joined plan is
 * added to this device's plans, named after its owner unless the person names it, and opened.
 */
export function JoinForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const join = useJoin();
  const registry = useRegistry();
  const [invite, setInvite] = useState('');
  const [server, setServer] = useState('');
  const [name, setName] = useState('');
  const [planName, setPlanName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [nameProblem, setNameProblem] = useState<NameProblem | null>(null);
  const planNameHintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = invite.trim();
    if (!text) return setProblem('sharing.inviteMissing');
    setProblem(null);
    const checked = checkDisplayName(name);
    setNameProblem(checked.ok ? null : checked.reason);
    if (!checked.ok) return;
    setBusy(true);
    try {
      const planId = await join({
        invite: text,
        ...(isLink(text) ? {} : { server: server.trim() || DEFAULT_SERVER }),
        name: checked.name,
        ...(planName.trim() ? { planName: planName.trim() } : {}),
        planNameOf: (owner: string) => t('sharing.planOf', { name: owner }),
      });
      if (registry.status === 'ready') registry.actions.switchPlan(planId);
      setInvite('');
      onDone?.();
    } catch (error) {
      setProblem(problemKey(error, 'join'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sharing-form join-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('sharing.inviteField')}
        <input
          value={invite}
          onChange={(e) => {
            setInvite(e.target.value);
            setProblem(null);
          }}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <NameField
        value={name}
        onChange={(value) => {
          setName(value);
          setNameProblem(null);
        }}
        problem={nameProblem}
        hints={['sharing.yourNameHint', 'sharing.nameNumberHint']}
      />
      <label>
        {t('sharing.planNameOptional')}
        <input
          value={planName}
          onChange={(e) => setPlanName(e.target.value)}
          maxLength={100}
          autoComplete="off"
          aria-describedby={planNameHintId}
        />
      </label>
      <p id={planNameHintId} className="sharing-hint">
        {t('sharing.planNameHint')}
      </p>
      <div className="sharing-buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('sharing.joining') : t('sharing.joinPlan')}
        </button>
      </div>
      <ServerField
        value={server}
        onChange={(value) => {
          setServer(value);
          setProblem(null);
        }}
        hint="sharing.otherServerJoinHint"
      />
      {problem && (
        <p className="sharing-problem" role="alert">
          {t(problem)}
        </p>
      )}
    </form>
  );
}
