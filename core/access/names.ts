/**
 * Display names: the one check the server and the extension's forms both run, so a name the
 * form lets through is the name the server stores, and a name that could deceive another
 * member (text direction turned around, an invisible name, a hidden second name) never
 * reaches anyone. docs/security.md, "Display names", gives the reasons.
 */

/** The longest name, in characters as a person counts them (grapheme clusters). */
export const MAX_NAME_LENGTH = 80;

/**
 * A bound in UTF-16 code units that no real name of {@link MAX_NAME_LENGTH} characters comes
 * near (an emoji with skin tone and a joiner is about 7 units): it keeps a name of a few
 * dozen "characters" built from hundreds of joined code points out.
 */
export const MAX_NAME_UNITS = 4 * MAX_NAME_LENGTH;

/**
 * Combining marks on one character. Vietnamese needs two, Indic and Tibetan clusters up to
 * about five; text piled with dozens of marks ("Zalgo") paints over the names around it.
 */
export const MAX_MARKS_PER_CHARACTER = 8;

/** Why a name was refused; each has a message in locales/<lang>/sharing.json (`nameProblem.*`). */
export const NAME_PROBLEMS = [
  'empty',
  'tooLong',
  'control',
  'bidi',
  'invisible',
  'surrogate',
  'unassigned',
  'marks',
] as const;
export type NameProblem = (typeof NAME_PROBLEMS)[number];

export type NameCheck = { ok: true; name: string } | { ok: false; reason: NameProblem };

const LONE_SURROGATE = /\p{Cs}/u;
/** C0, DEL, C1 and the two Unicode line breaks: a name is one line. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Embeddings, overrides, isolates and marks that change the direction text is shown in. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Unassigned code points, noncharacters and private use: nobody can know what they show. */
const UNASSIGNED = /[\p{Cn}\p{Co}]/u;
/** Visible-looking "blank" symbols that are neither spaces nor default-ignorable. */
const BLANK = /[\u2800\u{1D159}]/u;
/** Scotland's and Wales's flags: a black flag followed by tag letters and a cancel tag. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;
/** A variation selector (text or emoji style) right after a character it can change. */
const VARIATION_AFTER_VISIBLE = /(?<=[^\s\p{DI}])[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
/**
 * Zero-width (non-)joiners between two visible characters: emoji sequences (👩‍⚕️) and
 * Persian or Indic spelling need them. Anywhere else they only hide.
 */
const JOINER_BETWEEN_VISIBLE = /(?<=[^\s\p{DI}])[\u200C\u200D](?=[^\s\p{DI}])/gu;
const IGNORABLE = /\p{DI}/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const MARK = /[\p{Mn}\p{Me}]/gu;

const graphemes = (text: string): string[] =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/**
 * Checks a name a person typed and returns it as it is stored and shown: NFC-normalised,
 * trimmed, runs of spaces made one space. Refuses what is empty, too long, or holds control,
 * direction, invisible, unassigned or broken (lone surrogate) characters. Letters of every
 * script are fine, right-to-left ones too; only the controls around them are refused.
 */
export function checkDisplayName(raw: string): NameCheck {
  // Before anything else: normalising or storing would replace a lone surrogate silently.
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: 'surrogate' };
  const trimmed = raw.normalize('NFC').trim();
  if (trimmed.length === 0) return { ok: false, reason: 'empty' };
  if (CONTROL.test(trimmed)) return { ok: false, reason: 'control' };
  const name = trimmed.replace(/\p{Zs}+/gu, ' ');
  if (name.length > MAX_NAME_UNITS) return { ok: false, reason: 'tooLong' };
  if (BIDI.test(name)) return { ok: false, reason: 'bidi' };
  if (UNASSIGNED.test(name)) return { ok: false, reason: 'unassigned' };
  const shown = name
    .replace(EMOJI_TAG_SEQUENCE, '\u{1F3F4}')
    .replace(VARIATION_AFTER_VISIBLE, '')
    .replace(JOINER_BETWEEN_VISIBLE, '');
  if (IGNORABLE.test(shown) || BLANK.test(shown) || !VISIBLE.test(shown)) {
    return { ok: false, reason: 'invisible' };
  }
  const characters = graphemes(name);
  if (characters.some((c) => (c.match(MARK)?.length ?? 0) > MAX_MARKS_PER_CHARACTER)) {
    return { ok: false, reason: 'marks' };
  }
  if (characters.length > MAX_NAME_LENGTH) return { ok: false, reason: 'tooLong' };
  return { ok: true, name };
}

/**
 * What two names are compared by when telling members apart: compatibility forms folded
 * (full-width "Ａnna" is "Anna"), case folded, joiners and variation selectors dropped.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{DI}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toUpperCase()
    .toLowerCase();
}

/** A number the server added to tell a name from another member's: " (2)". */
const NUMBER_SUFFIX = / \((\d{1,4})\)$/u;

/**
 * `name` if no name in `taken` compares equal to it (see {@link nameKey}), otherwise the
 * name with the lowest free number after it: "Anna (2)", "Anna (3)". A number the person
 * wrote is replaced rather than stacked ("Anna (2)" taken gives "Anna (3)"), and the name is
 * shortened when the number would make it longer than {@link MAX_NAME_LENGTH}, so the result
 * passes {@link checkDisplayName} whenever `name` does.
 */
export function distinctName(name: string, taken: Iterable<string>): string {
  const keys = new Set(Array.from(taken, nameKey));
  if (!keys.has(nameKey(name))) return name;
  const base = name.replace(NUMBER_SUFFIX, '') || name;
  const characters = graphemes(base);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    let kept = characters.slice(0, MAX_NAME_LENGTH - suffix.length);
    while (kept.join('').length + suffix.length > MAX_NAME_UNITS) kept = kept.slice(0, -1);
    const candidate = kept.join('').trimEnd() + suffix;
    if (!keys.has(nameKey(candidate))) return candidate;
  }
}
