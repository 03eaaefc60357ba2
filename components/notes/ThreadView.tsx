import type { Comment, Thread } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { CommentForm } from './CommentForm.tsx';
import { fullTime, relativeTime } from './time.ts';

export interface ThreadCommands {
  reply: (threadId: string, body: string) => void;
  setResolved: (threadId: string, resolved: boolean) => void;
}

function CommentView({ comment, now }: { comment: Comment; now: number }) {
  const { t, locale } = useI18n();
  // Member names arrive with sharing (the next issue); until then every comment is this device's.
  const author = comment.by === 'local' ? t('notes.you') : t('notes.someoneElse');
  return (
    <li className="notes-comment">
      <p className="notes-meta">
        <span className="notes-author">{author}</span>
        {comment.at && (
          <>
            {' · '}
            <time dateTime={comment.at} title={fullTime(comment.at, locale)}>
              {relativeTime(comment.at, now, locale)}
            </time>
          </>
        )}
      </p>
      {/* Plain text only: React escapes it, and white-space keeps the writer's line breaks. */}
      <p className="notes-body">{comment.body}</p>
    </li>
  );
}

/** One thread: its comments, then (unless read-only) a reply box and Resolve or Reopen. */
export function ThreadView({
  thread,
  now,
  commands,
}: {
  thread: Thread;
  now: number;
  /** Null when the plan is read-only: the thread is shown without its write controls. */
  commands: ThreadCommands | null;
}) {
  const { t } = useI18n();
  return (
    <li className={thread.resolved ? 'notes-thread is-resolved' : 'notes-thread'}>
      <ol className="notes-comments">
        {thread.comments.map((comment) => (
          <CommentView key={comment.id} comment={comment} now={now} />
        ))}
      </ol>
      {commands && !thread.resolved && (
        <CommentForm
          label={t('notes.replyLabel')}
          submitLabel={t('notes.reply')}
          rows={1}
          onSubmit={(body) => commands.reply(thread.id, body)}
        />
      )}
      {commands && (
        <button
          type="button"
          className="notes-resolve"
          onClick={() => commands.setResolved(thread.id, !thread.resolved)}
        >
          {thread.resolved ? t('notes.reopen') : t('notes.resolve')}
        </button>
      )}
    </li>
  );
}
