import { useEffect, useRef, useState } from 'react';
import type { AuditEntry } from '../../core/sync/audit.ts';
import { useAuditLog } from '../../hooks/audit.ts';
import { useI18n, type Translate } from '../../hooks/i18n.tsx';
import type { Member } from '../../core/sync/index.ts';
import { problemKey } from './errors.ts';
import './audit.css';

/** BCP 47 tags for times, as components/shared/format.ts uses for dates. */
const TIME_LOCALES: Record<string, string> = { en: 'en-GB', nb: 'nb-NO', sv: 'sv-SE' };

function formatWhen(at: string, locale: string): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) return at;
  return new Intl.DateTimeFormat(TIME_LOCALES[locale] ?? locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(time);
}

/** A member's name as the owner knows them; removed and unknown people are said so. */
function personName(t: Translate, members: ReadonlyMap<string, Member>, id: string | null): string {
  const member = id === null ? undefined : members.get(id);
  if (!member) return t('audit.unknown');
  if (member.isOwner) return t('audit.you', { name: member.name });
  if (member.revokedAt) return t('audit.removed', { name: member.name });
  return member.name;
}

function whatHappened(t: Translate, members: ReadonlyMap<string, Member>, entry: AuditEntry): string {
  const { action, count } = entry;
  if ((action === 'wrote' || action === 'writeRefused') && count !== null && count > 0)
    return t(`audit.action.${action}Count`, { count });
  if (action === 'memberChanged' || action === 'memberRemoved')
    return t(`audit.action.${action}`, { name: personName(t, members, entry.targetId) });
  return t(`audit.action.${action}`);
}

/**
 * "Activity log" in the owner's Sharing dialog: who opened, read or changed which part of the
 * plan, and when, from the server's audit log, a page at a time. Never content: the server
 * keeps none in the log. Opened on demand, so the dialog itself stays quick.
 */
export function AuditLogSection() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section className="sharing-section" aria-labelledby="audit-title">
      <h3 id="audit-title" className="audit-heading">
        <button type="button" aria-expanded={open} aria-controls="audit-log" onClick={() => setOpen(!open)}>
          {t('audit.open')}
        </button>
      </h3>
      <div id="audit-log" hidden={!open}>
        {open && <AuditLog />}
      </div>
    </section>
  );
}

export function AuditLog() {
  const { t, locale } = useI18n();
  const { state, loadMore, retry } = useAuditLog();
  const [said, setSaid] = useState('');
  const end = useRef<HTMLParagraphElement>(null);
  const ready = state.status === 'ready' ? state : null;
  // "Load more" disappears with the last page: keep keyboard focus in place, on the end line.
  const lastPageLoaded = ready !== null && !ready.more && said !== '';
  useEffect(() => {
    if (lastPageLoaded) end.current?.focus();
  }, [lastPageLoaded]);
  return (
    <div className="audit-log">
      <p className="sharing-hint">{t('audit.intro')}</p>
      <p className="sharing-hint">{t('audit.delay')}</p>
      {state.status === 'loading' && <p role="status">{t('audit.loading')}</p>}
      {state.status === 'error' && (
        <div className="sharing-problem" role="alert">
          <p>{t(problemKey(state.error, 'members'))}</p>
          <button type="button" onClick={retry}>
            {t('sharing.tryAgain')}
          </button>
        </div>
      )}
      {state.status === 'ready' && state.entries.length === 0 && <p>{t('audit.empty')}</p>}
      {state.status === 'ready' && state.entries.length > 0 && (
        <table className="audit-table">
          <caption className="visually-hidden">{t('audit.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.when')}</th>
              <th scope="col">{t('audit.col.who')}</th>
              <th scope="col">{t('audit.col.part')}</th>
              <th scope="col">{t('audit.col.what')}</th>
            </tr>
          </thead>
          <tbody>
            {state.entries.map((entry) => (
              <tr key={entry.id}>
                <td data-label={t('audit.col.when')}>
                  <time dateTime={entry.at}>{formatWhen(entry.at, locale)}</time>
                </td>
                <td data-label={t('audit.col.who')}>{personName(t, state.members, entry.memberId)}</td>
                <td data-label={t('audit.col.part')}>{t(`audit.part.${entry.part}`)}</td>
                <td data-label={t('audit.col.what')}>{whatHappened(t, state.members, entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.status === 'ready' && state.moreError !== null && (
        <p className="sharing-problem" role="alert">
          {t(problemKey(state.moreError, 'members'))}
        </p>
      )}
      {state.status === 'ready' && state.more && (
        <button
          type="button"
          disabled={state.loadingMore}
          onClick={() => {
            setSaid('');
            loadMore();
            setSaid(t('audit.loadedMore'));
          }}
        >
          {state.loadingMore ? t('audit.loadingMore') : t('audit.loadMore')}
        </button>
      )}
      {state.status === 'ready' && !state.more && state.entries.length > 0 && (
        <p ref={end} tabIndex={-1} className="sharing-hint">
          {t('audit.end')}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {ready && !ready.loadingMore && ready.moreError === null ? said : ''}
      </p>
    </div>
  );
}
