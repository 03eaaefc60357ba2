/**
 * Numbers the crisis card always offers, below the person's own contacts, so that a card is
 * never without someone to call (issue 10). They follow the UI language: Norwegian numbers
 * in Norwegian, Swedish in Swedish, and the European emergency number (which also works in
 * Norway and Sweden) in English. Names and descriptions are the services' own words in their
 * country, not translations of each other.
 */
import type { Locale } from '../../core/sync/index.ts';

export interface HelpLine {
  name: string;
  phone: string;
  /** When to call, in a few plain words. */
  what: string;
}

export const HELP_LINES: Record<Locale, readonly HelpLine[]> = {
  en: [{ name: 'Emergency number', phone: '112', what: 'When a life is in danger. Works across Europe.' }],
  nb: [
    { name: 'Medisinsk nødtelefon', phone: '113', what: 'Når det er fare for liv.' },
    { name: 'Legevakt', phone: '116 117', what: 'Når du trenger hjelp nå, men det ikke er fare for liv.' },
    { name: 'Mental Helses hjelpetelefon', phone: '116 123', what: 'Noen å snakke med, hele døgnet.' },
  ],
  sv: [
    { name: 'Nödnummer', phone: '112', what: 'När det är fara för liv.' },
    { name: '1177 Vårdguiden', phone: '1177', what: 'Råd om vård, dygnet runt.' },
    { name: 'Självmordslinjen', phone: '90101', what: 'Om du har tankar på att ta ditt liv.' },
  ],
};
