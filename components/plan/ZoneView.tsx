import { useId } from 'react';
import type { Section, Zone } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { SectionCard } from './SectionCard.tsx';

/**
 * One traffic-light zone. The colour is a help, never the only signal: the zone's name and
 * what it means are written in its heading, and a shape marks it too (circle, triangle, square).
 */
export function ZoneView({
  zone,
  sections,
  compact,
  arranging,
  focusSectionId,
}: {
  zone: Zone;
  sections: readonly Section[];
  compact: boolean;
  arranging: boolean;
  focusSectionId: string | null;
}) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <section className={`plan-zone zone-${zone}`} aria-labelledby={headingId}>
      <header className="plan-zone-head">
        <h2 id={headingId} data-jump={zone} tabIndex={-1}>
          <span className={`zone-mark zone-mark-${zone}`} aria-hidden="true" />
          {t(`plan.zone.${zone}`)}
        </h2>
        <p className="plan-zone-about">{t(`plan.zone.${zone}.about`)}</p>
      </header>
      {sections.length === 0 && <p className="plan-empty">{t('plan.zoneEmpty')}</p>}
      {sections.map((section, index) => (
        <SectionCard
          key={section.id}
          section={section}
          index={index}
          count={sections.length}
          compact={compact}
          arranging={arranging}
          focusOnMount={section.id === focusSectionId}
        />
      ))}
    </section>
  );
}
