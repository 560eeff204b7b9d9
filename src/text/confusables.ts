// Cyrillic and Greek letters that render like Latin ones. Used to fold mixed-script words
// ("ignоre" with a Cyrillic о) back to Latin before matching. Full-width and mathematical letters
// are handled by NFKC and are not listed here.

// Each entry: a Cyrillic or Greek letter followed by the Latin letter it looks like.
const PAIRS = [
  // Cyrillic lower case
  ...[
    'аa',
    'вb',
    'еe',
    'ёe',
    'кk',
    'мm',
    'нh',
    'оo',
    'рp',
    'сc',
    'тt',
    'уy',
    'хx',
    'ѕs',
    'іi',
    'їi',
    'јj',
    'ԁd',
    'ԛq',
    'ԝw',
    'һh',
    'ӏl',
    'гr',
    'пn',
  ],
  // Cyrillic upper case
  ...[
    'АA',
    'ВB',
    'ЕE',
    'ЁE',
    'КK',
    'МM',
    'НH',
    'ОO',
    'РP',
    'СC',
    'ТT',
    'ХX',
    'УY',
    'ЅS',
    'ІI',
    'ЇI',
    'ЈJ',
    'ԌG',
    'ԚQ',
    'ԜW',
    'ҺH',
    'ӀI',
  ],
  // Greek lower case
  ...['αa', 'οo', 'νv', 'ρp', 'ιi', 'κk', 'τt', 'υu', 'χx', 'εe', 'γy', 'ωw'],
  // Greek upper case
  ...['ΑA', 'ΒB', 'ΕE', 'ΖZ', 'ΗH', 'ΙI', 'ΚK', 'ΜM', 'ΝN', 'ΟO', 'ΡP', 'ΤT', 'ΥY', 'ΧX'],
];

const TABLE = new Map<string, string>(PAIRS.map((p) => [p[0]!, p[1]!]));

/** The Latin letter a Cyrillic/Greek look-alike stands for, or undefined. */
export function latinLookAlike(ch: string): string | undefined {
  return TABLE.get(ch);
}

/** Cyrillic or Greek letter (the scripts whose letters are folded). */
export function isCyrillicOrGreek(code: number): boolean {
  return (code >= 0x0370 && code <= 0x03ff) || (code >= 0x0400 && code <= 0x052f);
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
