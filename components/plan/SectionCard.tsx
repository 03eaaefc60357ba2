import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Section } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { useCollaboration } from '../../hooks/sync.tsx';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { MoveButtons } from './MoveButtons.tsx';
import { sectionPrompt, sectionTitle } from './logic.ts';
import { useCommand } from './useCommand.ts';

export interface SectionCardProps {
  section: Section;
  /** Position among the sections of its zone, and how many there are. */
  index: number;
  count: number;
  readOnly: boolean;
  compact: boolean;
  /** The plan is in "Change the order" mode: the section shows its move buttons. */
  arranging: boolean;
  /** Take focus once, e.g. right after the person added this section. */
  focusOnMount?: boolean;
}

/** One section of the plan: its title, prompt, rich text, notes, and (custom) rename/delete. */
export function SectionCard({
  section,
  index,
  count,
  readOnly,
  compact,
  arranging,
  focusOnMount,
}: SectionCardProps) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const { run, errorKey } = useCommand();
  const collaboration = useCollaboration('plan');
  const [renaming, setRenaming] = useState(false);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const title = sectionTitle(section, t);
  const custom = section.kind === 'custom';
  // An empty section a person may write in folds to its title and a one-line field.
  const folded = section.empty && !readOnly;

  useEffect(() => {
    if (!focusOnMount) return;
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView({ block: 'center' });
  }, [focusOnMount]);

  return (
    <section
      className={`plan-section${custom ? ' is-custom' : ''}${folded ? ' is-empty' : ''}`}
      aria-labelledby={headingId}
    >
      <div className="plan-section-head">
        <h3 id={headingId} ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        {!readOnly && !renaming && (arranging || custom) && (
          <div className="plan-section-tools no-print">
            {arranging && (
              <MoveButtons
                name={title}
                index={index}
                count={count}
                compact={compact}
                onMove={(to) => run(() => actions.moveSection(section.id, to))}
              />
            )}
            {custom && !arranging && (
              <>
                <button
                  type="button"
                  aria-label={t('plan.renameNamed', { name: title })}
                  onClick={() => setRenaming(true)}
                >
                  {t('plan.rename')}
                </button>
                <ConfirmDelete
                  label={t('plan.deleteSectionNamed', { name: title })}
                  visibleLabel={t('plan.deleteSection')}
                  question={t('plan.confirmDeleteSection', { name: title })}
                  onConfirm={() => run(() => actions.deleteSection(section.id))}
                />
              </>
            )}
          </div>
        )}
      </div>
      {renaming && (
        <RenameForm
          title={section.title}
          onSave={(next) => run(() => actions.renameSection(section.id, next)) && setRenaming(false)}
          onCancel={() => setRenaming(false)}
        />
      )}
      {errorKey && (
        <p className="plan-error" role="alert">
          {t(errorKey)}
        </p>
      )}
      {section.body ? (
        <RichTextEditor
          fragment={section.body}
          label={title}
          prompt={sectionPrompt(section, t)}
          readOnly={readOnly}
          collaboration={collaboration}
          placeholder={folded ? t('plan.addTextTo', { name: title }) : undefined}
        />
      ) : (
        <p className="notice">{t('plan.bodyUnreadable')}</p>
      )}
      <div className="plan-notes">
        <Notes target={{ kind: 'section', id: section.id }} targetLabel={title} />
      </div>
    </section>
  );
}

function RenameForm({
  title,
  onSave,
  onCancel,
}: {
  title: string;
  onSave: (title: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState(title);
  const [empty, setEmpty] = useState(false);
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) {
      setEmpty(true);
      return;
    }
    onSave(value);
  };
  return (
    <form className="plan-inline-form no-print" onSubmit={submit}>
      <label>
        {t('plan.sectionTitle')}
        <input
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setEmpty(false);
          }}
          maxLength={200}
          autoComplete="off"
          autoFocus
          aria-invalid={empty}
          aria-describedby={empty ? errorId : undefined}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      {empty && (
        <p id={errorId} className="plan-error">
          {t('plan.titleRequired')}
        </p>
      )}
      <div className="plan-form-buttons">
        <button type="submit">{t('plan.save')}</button>
        <button type="button" onClick={onCancel}>
          {t('plan.cancel')}
        </button>
      </div>
    </form>
  );
}
