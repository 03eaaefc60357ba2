import { useId, useState, type FormEvent } from 'react';
import { checkDisplayName, type NameProblem } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useSharing } from '../../hooks/sync.tsx';
import { problemKey } from './errors.ts';
import { NameField } from './NameField.tsx';
import { DEFAULT_SERVER, ServerField, serverLabel } from './ServerField.tsx';

/**
 * The owner registers a plan that so far lives only on this device on a sharing server: this
 * build's own unless they choose another (ServerField), so all they give is their name.
 * Nothing is sent before they press "Share plan".
 */
export function ShareForm() {
  const { t } = useI18n();
  const sharing = useSharing();
  const [server, setServer] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [nameProblem, setNameProblem] = useState<NameProblem | null>(null);
  // Asked for only once a server says it takes plans with a code from its operator.
  const [code, setCode] = useState<string | null>(null);
  const codeHintId = useId();
  const problemId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = server.trim() || DEFAULT_SERVER;
    setProblem(null);
    const checked = checkDisplayName(name);
    setNameProblem(checked.ok ? null : checked.reason);
    if (!checked.ok) return;
    setBusy(true);
    try {
      await sharing.share(address, checked.name, code ?? undefined);
    } catch (error) {
      const key = problemKey(error, 'share');
      if (key === 'sharing.errorCodeRequired' || key === 'sharing.errorCodeInvalid') setCode((c) => c ?? '');
      setProblem(key);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="sharing-form"
      onSubmit={(e) => void submit(e)}
      aria-describedby={problem ? problemId : undefined}
    >
      <p>{t('sharing.shareIntro')}</p>
      <p className="sharing-hint">
        {t('sharing.sharedThrough', { server: serverLabel(server.trim() || DEFAULT_SERVER) })}
      </p>
      <NameField
        value={name}
        onChange={(value) => {
          setName(value);
          setNameProblem(null);
        }}
        problem={nameProblem}
        hints={['sharing.yourNameHint']}
      />
      {code !== null && (
        <>
          <label>
            {t('sharing.registrationCode')}
            <input
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                setProblem(null);
              }}
              aria-describedby={codeHintId}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={64}
            />
          </label>
          <p id={codeHintId} className="sharing-hint">
            {t('sharing.registrationCodeHint')}
          </p>
        </>
      )}
      <div className="sharing-buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('sharing.sharingBusy') : t('sharing.sharePlan')}
        </button>
      </div>
      <ServerField
        value={server}
        onChange={(value) => {
          setServer(value);
          setProblem(null);
        }}
        hint="sharing.otherServerHint"
      />
      {problem && (
        <p id={problemId} className="sharing-problem" role="alert">
          {t(problem)}
        </p>
      )}
    </form>
  );
}
