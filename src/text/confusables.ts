// Cyrillic and Greek letters that render like Latin ones. Used to fold mixed-script words
// ("ignоre" with a Cyrillic о) back to Latin before matching. Full-width and mathematical letters
// are handled by NFKC and are not listed here.

const PAIRS =
  // Cyrillic lower case
  'аaвbеeёeкkмmнhоoрpсcтtуyхxѕsіiїiјjԁdԛqԝwһhӏlгrпn' +
  // Cyrillic upper case
  'АAВBЕEЁEКKМMНHОOРPСCТTХXУYЅSІIЇIЈJԌGԚQԜWҺHӀIЗ3' +
  // Greek lower case
  'αaοoνvρpικkτtυuχxεeγyωw' +
  // Greek upper case
  'ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX';

const TABLE = new Map<string, string>();
for (let i = 0; i + 1 < PAIRS.length; i += 2) TABLE.set(PAIRS[i]!, PAIRS[i + 1]!);

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
