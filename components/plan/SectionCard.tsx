import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Section } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { useCollaboration } from '../../hooks/sync.tsx';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { MoveButtons } from '../shared/MoveButtons.tsx';
import { usePlanMove } from './move.ts';
import { TitleField, useTitleField } from './TitleField.tsx';
import { sectionPrompt, sectionTitle } from './logic.ts';
import { useCommand } from '../shared/commands.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';

export interface SectionCardProps {
  section: Section;
  /** Position among the sections of its zone, and how many there are. */
  index: number;
  count: number;
  compact: boolean;
  /** The plan is in "Change the order" mode: the section shows its move buttons. */
  arranging: boolean;
  /** Take focus once, e.g. right after the person added this section. */
  focusOnMount?: boolean;
}

/** One section of the plan: its title, prompt, rich text, notes, and (custom) rename/delete. */
export function SectionCard({ section, index, count, compact, arranging, focusOnMount }: SectionCardProps) {
  const { t } = useI18n();
  const readOnly = useReadOnly();
  const actions = usePlanActions();
  const run = useCommand();
  const collaboration = useCollaboration('plan');
  const [renaming, setRenaming] = useState(false);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const title = sectionTitle(section, t);
  const custom = section.kind === 'custom';
  // An empty section a person may write in folds to its title and a one-line field.
  const folded = section.empty && !readOnly;
  const move = usePlanMove(title, count, compact, (to) => run(() => actions.moveSection(section.id, to)));

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
            {arranging && <MoveButtons index={index} count={count} {...move} />}
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
  const name = useTitleField(title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.check()) onSave(name.value);
  };
  return (
    <form className="plan-inline-form no-print" onSubmit={submit}>
      <TitleField {...name.field} onEscape={onCancel} />
      <div className="plan-form-buttons">
        <button type="submit">{t('plan.save')}</button>
        <button type="button" onClick={onCancel}>
          {t('plan.cancel')}
        </button>
      </div>
    </form>
  );
}
