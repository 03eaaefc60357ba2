import { useRef, useState } from 'react';
import { ZONES } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { Announcer } from '../shared/Announcer.tsx';
import { ReadOnlyProvider } from '../shared/readOnly.tsx';
import { ArrangeToggle } from '../shared/ArrangeToggle.tsx';
import { usePlan, useServicePlan } from '../../hooks/plan.tsx';
import { useRegistry } from '../../hooks/registry.tsx';
import { ProblemsNotice } from '../app/ProblemsNotice.tsx';
import { useScopeAccess } from '../sharing/access.ts';
import { AccessNotice } from '../sharing/AccessNotice.tsx';
import { AddSectionForm } from './AddSectionForm.tsx';
import { ContactList } from './ContactList.tsx';
import { ReviewDates } from './ReviewDates.tsx';
import { ZoneView } from './ZoneView.tsx';
import { sectionsByZone } from './logic.ts';
import './plan.css';

/**
 * The service plan (relapse-prevention / crisis plan): review dates, the green / yellow / red
 * zones with their sections, custom sections, and contacts. `compact` is the side panel.
 * On paper (@media print) it is the zones as headings, their text and the phone numbers.
 */
export function ServicePlanView({ compact = false }: { compact?: boolean }) {
  const plan = usePlan();
  const access = useScopeAccess('plan');
  if (plan.status !== 'ready' || !access.canView) return null;
  return <ServicePlan compact={compact} readOnly={!access.canEdit} planId={plan.planId} />;
}

/** Where the zone jumps go: each zone's heading and the contacts' (`data-jump`). */
const JUMPS = [...ZONES, 'contacts'] as const;

/**
 * "Go to": the three zones and the contacts, one tap each, at the top of a long plan (in a
 * crisis the red zone and the contacts are what matter, and they come last). Each moves the
 * focus, and so the view, to that part's heading.
 */
function ZoneJumps() {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const jump = (target: (typeof JUMPS)[number]) => {
    const heading = ref.current
      ?.closest('.service-plan')
      ?.querySelector<HTMLElement>(`[data-jump="${target}"]`);
    heading?.focus();
  };
  return (
    <nav ref={ref} className="plan-jumps no-print" aria-label={t('plan.jumpTo')}>
      <span aria-hidden="true">{t('plan.jumpTo')}:</span>
      {JUMPS.map((target) => (
        <button key={target} type="button" onClick={() => jump(target)}>
          {target !== 'contacts' && <span className={`zone-mark zone-mark-${target}`} aria-hidden="true" />}
          {t(target === 'contacts' ? 'plan.contacts' : `plan.zone.${target}`)}
        </button>
      ))}
    </nav>
  );
}

function ServicePlan({ compact, readOnly, planId }: { compact: boolean; readOnly: boolean; planId: string }) {
  const { t } = useI18n();
  const servicePlan = useServicePlan();
  const registry = useRegistry();
  const [focusSectionId, setFocusSectionId] = useState<string | null>(null);
  // Reordering is a mode: reading and writing show no move buttons on every section and contact.
  const [arranging, setArranging] = useState(false);
  const canArrange = !readOnly && (servicePlan.sections.length > 1 || servicePlan.contacts.length > 1);
  const planName =
    registry.status === 'ready' ? registry.registry.plans.find((p) => p.planId === planId)?.name : undefined;

  return (
    <ReadOnlyProvider readOnly={readOnly}>
      <article className={`service-plan${compact ? ' is-compact' : ''}${readOnly ? ' is-read-only' : ''}`}>
        <Announcer>
          <header className="plan-head">
            <h1>{t('plan.title')}</h1>
            {planName && <p className="plan-name print-only">{planName}</p>}
            <p className="plan-intro no-print">{t('plan.intro')}</p>
            <ZoneJumps />
            <ReviewDates reviewedAt={servicePlan.reviewedAt} nextReviewAt={servicePlan.nextReviewAt} />
            {canArrange && (
              <ArrangeToggle
                arranging={arranging}
                onToggle={() => setArranging(!arranging)}
                label={t('plan.arrange')}
                hint={t('plan.arrangeHint')}
              />
            )}
          </header>
          <AccessNotice scope="plan" />
          <ProblemsNotice problems={servicePlan.problems} />
          {sectionsByZone(servicePlan.sections).map(({ zone, sections }) => (
            <ZoneView
              key={zone}
              zone={zone}
              sections={sections}
              compact={compact}
              arranging={arranging && !readOnly}
              focusSectionId={focusSectionId}
            />
          ))}
          {!readOnly && !arranging && <AddSectionForm onAdded={setFocusSectionId} />}
          <ContactList contacts={servicePlan.contacts} compact={compact} arranging={arranging && !readOnly} />
        </Announcer>
      </article>
    </ReadOnlyProvider>
  );
}
