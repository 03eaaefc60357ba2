/**
 * Numbers the crisis card always offers, below the person's own contacts, so that a card is
 * never without someone to call (issue 10), by country. The country is the person's setting,
 * or follows the UI language until they choose: Norway for Norwegian, Sweden for Swedish, and
 * elsewhere (the European emergency number, which also works in Norway and Sweden) for English.
 * Names and descriptions are the services' own words in their country, not translations of
 * each other. docs/crisis-numbers.md says where each number comes from and when the list was
 * last reviewed; change both together.
 */
import type { Country, HelpLine } from '../../core/access/index.ts';
import type { Locale } from '../../core/sync/index.ts';

/** The country whose numbers a language's speakers most likely need, until they choose. */
export const COUNTRY_OF_LOCALE: Record<Locale, Country> = { en: 'EU', nb: 'NO', sv: 'SE' };

export const HELP_LINES: Record<Country, readonly HelpLine[]> = {
  EU: [
    {
      name: 'Emergency number',
      phone: '112',
      what: 'When a life is in danger. Works across Europe.',
      source: 'European Commission, the European emergency number 112',
    },
  ],
  NO: [
    {
      name: 'Medisinsk nødtelefon',
      phone: '113',
      what: 'Når det er fare for liv.',
      source: 'Helsenorge (helsenorge.no)',
    },
    {
      name: 'Legevakt',
      phone: '116 117',
      what: 'Når du trenger hjelp nå, men det ikke er fare for liv.',
      source: 'Helsenorge (helsenorge.no)',
    },
    {
      name: 'Mental Helses hjelpetelefon',
      phone: '116 123',
      what: 'Noen å snakke med, hele døgnet.',
      source: 'Mental Helse (mentalhelse.no)',
    },
  ],
  SE: [
    { name: 'Nödnummer', phone: '112', what: 'När det är fara för liv.', source: 'SOS Alarm (sosalarm.se)' },
    { name: '1177 Vårdguiden', phone: '1177', what: 'Råd om vård, dygnet runt.', source: '1177 (1177.se)' },
    {
      name: 'Självmordslinjen',
      phone: '90101',
      what: 'Om du har tankar på att ta ditt liv.',
      source: 'Mind (mind.se)',
    },
  ],
};
