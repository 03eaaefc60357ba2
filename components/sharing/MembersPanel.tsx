import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { INVITE_ROLES, type Levels, type Role } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import type { Member } from '../../core/sync/index.ts';
import { useSharing } from '../../hooks/sync.tsx';
import { problemKey } from './errors.ts';
import { LevelSelect } from './InviteForm.tsx';
import { levelLabel, roleLabel, safeColor } from './labels.ts';

type Loaded =
  { status: 'loading' } | { status: 'ready'; members: Member[] } | { status: 'failed'; key: string };

/**
 * The owner's list of who has which access; each member's role and levels can be changed,
 * and a member removed (after a question). Loaded every time the panel opens.
 */
export function MembersPanel() {
  const { t } = useI18n();
  const sharing = useSharing();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [said, setSaid] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () =>
    sharing.listMembers().then(
      (members) => setLoaded({ status: 'ready', members: members.filter((m) => !m.revokedAt) }),
      (error: unknown) => setLoaded({ status: 'failed', key: problemKey(error, 'members') }),
    );
  // Every opening of the panel asks the server afresh: access may have changed elsewhere.
  const onOpen = useEffectEvent(() => void refresh());
  useEffect(() => {
    onOpen();
  }, []);

  const change = async (run: () => Promise<void>, done: string) => {
    setProblem(null);
    setSaid('');
    try {
      await run();
      setSaid(done);
    } catch (error) {
      setProblem(problemKey(error, 'members'));
    }
    await refresh();
  };

  return (
    <section className="sharing-section" aria-labelledby="members-title">
      <h3 id="members-title">{t('sharing.membersTitle')}</h3>
      {loaded.status === 'loading' && <p role="status">{t('sharing.loadingMembers')}</p>}
      {loaded.status === 'failed' && (
        <div className="sharing-problem" role="alert">
          <p>{t(loaded.key)}</p>
          <button type="button" onClick={() => void refresh()}>
            {t('sharing.tryAgain')}
          </button>
        </div>
      )}
      {loaded.status === 'ready' && (
        <ul className="members">
          {loaded.members.map((member) => (
            <MemberRow
              key={member.memberId}
              member={member}
              onRole={(role) =>
                change(() => sharing.updateMember(member.memberId, { role }), t('sharing.saved'))
              }
              onLevels={(levels) =>
                change(() => sharing.updateMember(member.memberId, { levels }), t('sharing.saved'))
              }
              onRemove={() =>
                change(
                  () => sharing.revokeMember(member.memberId),
                  t('sharing.removed', { name: member.name }),
                )
              }
            />
          ))}
        </ul>
      )}
      {problem && (
        <p className="sharing-problem" role="alert">
          {t(problem)}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {said}
      </p>
    </section>
  );
}

function MemberRow({
  member,
  onRole,
  onLevels,
  onRemove,
}: {
  member: Member;
  onRole: (role: Role) => Promise<void>;
  onLevels: (levels: Levels) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const { t } = useI18n();
  const color = safeColor(member.color);
  const heading = (
    <p className="member-name">
      <span className="presence-dot" style={color ? { background: color } : undefined} aria-hidden="true" />
      <strong>{member.name}</strong> · {roleLabel(t, member.role)}
      {member.isOwner && <> · {t('sharing.ownerYou')}</>}
    </p>
  );
  if (member.isOwner) {
    return (
      <li className="member">
        {heading}
        <p className="sharing-hint">
          {t('sharing.accessLine', {
            goals: levelLabel(t, member.levels.goals),
            plan: levelLabel(t, member.levels.plan),
          })}
        </p>
      </li>
    );
  }
  return (
    <li className="member" aria-label={member.name}>
      {heading}
      <div className="member-controls">
        <label>
          {t('sharing.roleLabel')}
          <select
            value={member.role}
            aria-label={t('sharing.roleFor', { name: member.name })}
            // A preset role brings its preset levels (server side); "Other" keeps the levels.
            onChange={(e) => void onRole(e.target.value as Role)}
          >
            {INVITE_ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(t, role)}
              </option>
            ))}
          </select>
        </label>
        <LevelSelect
          label={t('sharing.goalBoard')}
          accessibleName={t('sharing.goalsFor', { name: member.name })}
          value={member.levels.goals}
          onChange={(goals) => void onLevels({ ...member.levels, goals })}
        />
        <LevelSelect
          label={t('sharing.servicePlan')}
          accessibleName={t('sharing.planFor', { name: member.name })}
          value={member.levels.plan}
          onChange={(plan) => void onLevels({ ...member.levels, plan })}
        />
        <RemoveMember name={member.name} onRemove={onRemove} />
      </div>
    </li>
  );
}

/** "Remove" asks first; "Keep" is the safe default and takes the focus. */
function RemoveMember({ name, onRemove }: { name: string; onRemove: () => Promise<void> }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" aria-label={t('sharing.removeNamed', { name })} onClick={() => setAsking(true)}>
        {t('sharing.remove')}
      </button>
    );
  }
  return (
    <div
      className="sharing-confirm"
      role="group"
      aria-label={t('sharing.removeNamed', { name })}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Escape answers the question ("keep"); it must not also close the dialog around it.
        e.preventDefault();
        setAsking(false);
      }}
    >
      <p>{t('sharing.removeQuestion', { name })}</p>
      <button type="button" className="danger" onClick={() => void onRemove()}>
        {t('sharing.yesRemove')}
      </button>
      <button ref={keep} type="button" onClick={() => setAsking(false)}>
        {t('sharing.keep')}
      </button>
    </div>
  );
}
