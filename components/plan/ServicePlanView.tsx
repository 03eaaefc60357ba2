import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { Announcer } from '../shared/Announcer.tsx';
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
    <article className={`service-plan${compact ? ' is-compact' : ''}${readOnly ? ' is-read-only' : ''}`}>
      <Announcer>
        <header className="plan-head">
          <h1>{t('plan.title')}</h1>
          {planName && <p className="plan-name print-only">{planName}</p>}
          <p className="plan-intro no-print">{t('plan.intro')}</p>
          <ReviewDates
            reviewedAt={servicePlan.reviewedAt}
            nextReviewAt={servicePlan.nextReviewAt}
            readOnly={readOnly}
          />
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
            readOnly={readOnly}
            compact={compact}
            arranging={arranging && !readOnly}
            focusSectionId={focusSectionId}
          />
        ))}
        {!readOnly && !arranging && <AddSectionForm onAdded={setFocusSectionId} />}
        <ContactList
          contacts={servicePlan.contacts}
          readOnly={readOnly}
          compact={compact}
          arranging={arranging && !readOnly}
        />
      </Announcer>
    </article>
  );
}
