import type { ReactNode } from 'react';
import { COUNTRIES, type Country, type HelpLine } from '../../core/access/index.ts';
import type { GoalBoard, ServicePlan } from '../../core/model/index.ts';
import type { PlanEntry } from '../../core/sync/index.ts';
import { useCrisisGoalBoard, useCrisisServicePlan } from '../../hooks/crisis.tsx';
import { useI18n } from '../../hooks/i18n.tsx';
import { useRegistry } from '../../hooks/registry.tsx';
import { ProblemsNotice } from '../app/ProblemsNotice.tsx';
import { Blocks } from '../shared/Blocks.tsx';
import { callableFirst, nextStepsDue, redEssentials, sectionTitle } from './content.ts';
import { formatDate, localToday, telHref } from '../shared/format.ts';
import { COUNTRY_OF_LOCALE, HELP_LINES } from './help-lines.ts';
import { SidePanelButton } from './SidePanelButton.tsx';

function PlanPicker({ entry }: { entry: PlanEntry }) {
  const { t } = useI18n();
  const state = useRegistry();
  if (state.status !== 'ready' || state.registry.plans.length < 2) return null;
  return (
    <label className="crisis-picker">
      {t('crisis.plan')}
      <select value={entry.planId} onChange={(e) => state.actions.switchPlan(e.target.value)}>
        {state.registry.plans.map((p) => (
          <option key={p.planId} value={p.planId}>
            {p.name || t('crisis.defaultPlanName')}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CallLink({ name, phone }: { name: string; phone: string }) {
  const { t } = useI18n();
  const href = telHref(phone);
  if (!href) return <span className="crisis-call-name">{name}</span>;
  return (
    // The name a screen reader says is the visible text with the verb before it ("Call Bo
    // Berg, 12 34 56 78"), so it also matches what a voice-control user reads out.
    <a className="crisis-call" href={href}>
      <span className="visually-hidden">{t('crisis.callVerb')} </span>
      <span className="crisis-call-name">
        {name}
        <span className="visually-hidden">,</span>
      </span>
      <span className="crisis-call-phone">{phone}</span>
    </a>
  );
}

function LineList({ label, lines }: { label: string; lines: readonly HelpLine[] }) {
  return (
    <>
      <h3 className="crisis-help-heading">{label}</h3>
      <ul className="crisis-contacts" aria-label={label}>
        {lines.map((line) => (
          <li key={line.phone}>
            <CallLink name={line.name} phone={line.phone} />
            <p className="crisis-about">{line.what}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Never a card without someone to call: the lines of the plan's clinic, when its server's
 * operator set some, then those of the person's country (their setting, or their language's),
 * which they can change right here.
 */
function HelpLines() {
  const { t, locale } = useI18n();
  const state = useRegistry();
  const registry = state.status === 'ready' ? state.registry : null;
  const country = registry?.country ?? COUNTRY_OF_LOCALE[locale];
  const entry = registry?.plans.find((p) => p.planId === registry.currentPlanId);
  return (
    <>
      {entry?.helpLines && <LineList label={t('crisis.clinicLines')} lines={entry.helpLines} />}
      <LineList label={t('crisis.helpLines')} lines={HELP_LINES[country]} />
      {state.status === 'ready' && (
        <label className="crisis-country">
          {t('crisis.countryLabel')}
          <select value={country} onChange={(e) => state.actions.setCountry(e.target.value as Country)}>
            {COUNTRIES.map((c) => (
              <option key={c} value={c}>
                {t(`crisis.country.${c}`)}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}

/** Who to call: the plan's contacts, callable first, then the help lines of the person's country. */
export function Contacts({ plan, emptyText }: { plan: ServicePlan; emptyText?: string }) {
  const { t } = useI18n();
  const { contacts } = plan;
  return (
    <section className="crisis-block" aria-labelledby="crisis-contacts">
      <h2 id="crisis-contacts">{t('crisis.contacts')}</h2>
      {contacts.length === 0 ? (
        <p className="crisis-empty">{emptyText ?? t('crisis.noContacts')}</p>
      ) : (
        <ul className="crisis-contacts">
          {callableFirst(contacts).map((c) => {
            const about = [c.relation, c.whatTheyDo].filter(Boolean).join(' · ');
            return (
              <li key={c.id}>
                <CallLink name={c.name} phone={c.phone} />
                {about && <p className="crisis-about">{about}</p>}
              </li>
            );
          })}
        </ul>
      )}
      <HelpLines />
    </section>
  );
}

/** The red zone's sections that have text, under `title` (the card's own words by default). */
export function RedZone({
  plan,
  title,
  emptyText,
}: {
  plan: ServicePlan;
  title?: string;
  emptyText?: string;
}) {
  const { t } = useI18n();
  const essentials = redEssentials(plan);
  return (
    <section className="crisis-block crisis-red" aria-labelledby="crisis-red">
      <h2 id="crisis-red">{title ?? t('crisis.redZone')}</h2>
      {essentials.length === 0 ? (
        <p className="crisis-empty">{emptyText ?? t('crisis.redZoneEmpty')}</p>
      ) : (
        essentials.map((s) => (
          <section key={s.id} className="crisis-section" aria-label={sectionTitle(t, s)}>
            <h3>{sectionTitle(t, s)}</h3>
            <Blocks blocks={s.blocks} />
          </section>
        ))
      )}
    </section>
  );
}

/** The "Next steps" block around what it holds (the steps, or why they are not there yet). */
export function NextStepsBlock({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="crisis-block" aria-labelledby="crisis-steps">
      <h2 id="crisis-steps">{t('crisis.nextSteps')}</h2>
      {children}
    </section>
  );
}

/** The next steps come from the goal board, which loads after the rest of the card. */
function NextSteps() {
  const { t } = useI18n();
  const board = useCrisisGoalBoard();
  return (
    <NextStepsBlock>
      {board.status === 'loading' && <p role="status">{t('crisis.opening')}</p>}
      {board.status === 'error' && <p role="alert">{t('crisis.openFailed')}</p>}
      {board.status === 'ready' && <DueSteps board={board.value} />}
    </NextStepsBlock>
  );
}

/** The next undone steps with a date, soonest first. */
export function DueSteps({ board }: { board: GoalBoard }) {
  const { t, locale } = useI18n();
  const steps = nextStepsDue(board);
  const today = localToday();
  const when = (date: string) =>
    date === today ? t('crisis.dueToday') : t('crisis.dueOn', { date: formatDate(date, locale, 'medium') });
  return steps.length === 0 ? (
    <p className="crisis-empty">{t('crisis.noSteps')}</p>
  ) : (
    <ul className="crisis-steps">
      {steps.map((s) => (
        <li key={s.id}>
          <span className="crisis-step-text">{s.text}</span>
          <span className="crisis-step-meta">
            {when(s.dueDate)} · {t('crisis.forGoal', { goal: s.goalTitle })}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Problems({ plan }: { plan: ServicePlan }) {
  const board = useCrisisGoalBoard();
  return (
    <ProblemsNotice
      problems={[...plan.problems, ...(board.status === 'ready' ? board.value.problems : [])]}
    />
  );
}

/**
 * The crisis card of one plan: who to call, the red zone, the next steps. Read-only. Shown as
 * soon as the service plan has loaded; the next steps follow with the goal board.
 */
export function CrisisCard({ entry }: { entry: PlanEntry }) {
  const { t } = useI18n();
  const plan = useCrisisServicePlan();
  return (
    <main className="crisis">
      <header className="crisis-header">
        <h1>{entry.name || t('crisis.defaultPlanName')}</h1>
        <PlanPicker entry={entry} />
      </header>
      {plan.status === 'loading' && <p role="status">{t('crisis.opening')}</p>}
      {plan.status === 'error' && <p role="alert">{t('crisis.openFailed')}</p>}
      {plan.status === 'ready' && (
        <>
          <Problems plan={plan.value} />
          <Contacts plan={plan.value} />
          <RedZone plan={plan.value} />
          <NextSteps />
        </>
      )}
      <nav className="crisis-actions" aria-label={t('crisis.more')}>
        <a className="crisis-link primary" href="/app.html" target="_blank" rel="noopener">
          {t('crisis.openFullPlan')}
        </a>
        <SidePanelButton />
      </nav>
    </main>
  );
}
