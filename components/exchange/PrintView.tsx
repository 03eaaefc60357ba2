import { richTextBlocks, ZONES, type Goal } from '../../core/model/index.ts';
import { useI18n, type Translate, type Translator } from '../../hooks/i18n.tsx';
import { useGoalBoard, useServicePlan } from '../../hooks/plan.tsx';
import { Blocks } from '../shared/Blocks.tsx';
import { sectionTitle } from '../crisis/content.ts';
import { formatDate, localToday } from '../shared/format.ts';

type DateFormat = (date: string) => string;

function ServicePlanPrint({ t, date }: { t: Translate; date: DateFormat }) {
  const plan = useServicePlan();
  return (
    <section className="print-part">
      <h2>{t('exchange.servicePlan')}</h2>
      {(plan.reviewedAt || plan.nextReviewAt) && (
        <p className="print-meta">
          {[
            plan.reviewedAt && t('exchange.reviewedOn', { date: date(plan.reviewedAt) }),
            plan.nextReviewAt && t('exchange.nextReview', { date: date(plan.nextReviewAt) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      {ZONES.map((zone) => {
        const sections = plan.sections
          .filter((s) => s.zone === zone)
          .map((s) => ({ ...s, blocks: richTextBlocks(s.body) }))
          .filter((s) => s.blocks.length > 0);
        if (sections.length === 0) return null;
        return (
          <section key={zone} className={`print-zone print-zone-${zone}`}>
            <h3>{t(`exchange.zone.${zone}`)}</h3>
            {sections.map((s) => (
              <section key={s.id} className="print-section">
                <h4>{sectionTitle(t, s)}</h4>
                <Blocks blocks={s.blocks} />
              </section>
            ))}
          </section>
        );
      })}
      <h3>{t('exchange.contacts')}</h3>
      {plan.contacts.length === 0 ? (
        <p>{t('exchange.noContacts')}</p>
      ) : (
        <table className="print-contacts">
          <thead>
            <tr>
              <th scope="col">{t('exchange.contactName')}</th>
              <th scope="col">{t('exchange.contactRelation')}</th>
              <th scope="col">{t('exchange.contactPhone')}</th>
              <th scope="col">{t('exchange.contactWhat')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.contacts.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{[c.relation, t(`crisis.role.${c.role}`)].filter(Boolean).join(', ')}</td>
                <td className="print-phone">{c.phone}</td>
                <td>{c.whatTheyDo}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function GoalPrint({ goal, t, date }: { goal: Goal; t: Translator; date: DateFormat }) {
  const why = richTextBlocks(goal.why);
  const facts = [
    t('exchange.goalStatus', { status: t(`exchange.status.${goal.status}`) }),
    goal.lifeArea && t('exchange.lifeArea', { area: goal.lifeArea }),
    goal.targetDate && t('exchange.targetDate', { date: date(goal.targetDate) }),
    goal.progress.total > 0 &&
      t.plural('exchange.stepsDone', goal.progress.total, { done: goal.progress.done }),
  ].filter(Boolean);
  return (
    <article className="print-goal">
      <h3>{goal.title}</h3>
      <p className="print-meta">{facts.join(' · ')}</p>
      {why.length > 0 && (
        <>
          <h4>{t('exchange.why')}</h4>
          <Blocks blocks={why} />
        </>
      )}
      {goal.subgoals.map((sub) => (
        <section key={sub.id} className="print-subgoal">
          <h4>
            {sub.title}{' '}
            <span className="print-meta">
              ({t(`exchange.subStatus.${sub.status}`)}
              {sub.targetDate ? `, ${t('exchange.targetDate', { date: date(sub.targetDate) })}` : ''})
            </span>
          </h4>
          {sub.steps.length > 0 && (
            <ul className="print-steps">
              {sub.steps.map((step) => (
                <li key={step.id}>
                  <span className="print-box">{step.done ? '☑' : '☐'}</span> {step.text}
                  {[
                    step.dueDate && t('exchange.due', { date: date(step.dueDate) }),
                    step.helper && t('exchange.helper', { name: step.helper }),
                    step.outcome && t('exchange.outcome', { text: step.outcome }),
                  ]
                    .filter(Boolean)
                    .map((text) => (
                      <span key={String(text)} className="print-meta">
                        {' '}
                        · {text}
                      </span>
                    ))}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      {goal.reviews.length > 0 && (
        <>
          <h4>{t('exchange.reviews')}</h4>
          <ul className="print-reviews">
            {goal.reviews.map((r) => (
              <li key={r.id}>
                <strong>
                  {date(r.date)}: {t(`exchange.progress.${r.progress}`)}
                </strong>
                {r.note && <> · {r.note}</>}
                {r.nextStep && <> · {t('exchange.nextStep', { text: r.nextStep })}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function GoalBoardPrint({ t, date }: { t: Translator; date: DateFormat }) {
  const board = useGoalBoard();
  return (
    <section className="print-part">
      <h2>{t('exchange.goalBoard')}</h2>
      {board.goals.length === 0 ? (
        <p>{t('exchange.noGoals')}</p>
      ) : (
        board.goals.map((goal) => <GoalPrint key={goal.id} goal={goal} t={t} date={date} />)
      )}
    </section>
  );
}

/**
 * The paper version: the service plan (zones, sections, contacts, review dates) and the goal
 * board (goals, sub-goals, steps as ☐/☑, reviews), as plain text from the read models.
 * Rendered only while printing; the interactive page is hidden by exchange.css.
 */
export function PrintView({ planName }: { planName: string }) {
  const { t, locale } = useI18n();
  const date = (d: string) => formatDate(d, locale);
  return (
    <div className="print-document" data-print-document="">
      <header>
        <h1>{planName}</h1>
        <p className="print-meta">{t('exchange.printedOn', { date: date(localToday()) })}</p>
      </header>
      <ServicePlanPrint t={t} date={date} />
      <GoalBoardPrint t={t} date={date} />
    </div>
  );
}
