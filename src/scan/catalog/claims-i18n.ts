// Claim phrases in languages other than English: Spanish, German, French, Chinese, Russian. Data
// only, in the same normalised form as claims.ts (lowercase, hyphens and apostrophes removed).
// Chinese is tokenised one character per word, so its phrases are matched character by character
// (the trie builder splits them); write them unspaced.

import type { ClaimCapability, PhraseEntry, PhrasePolarity } from './claims.js';

const NET: readonly ClaimCapability[] = ['network'];
const MUT: readonly ClaimCapability[] = ['mutation'];
const WRITE: readonly ClaimCapability[] = ['file.write', 'mutation'];
const DELETE: readonly ClaimCapability[] = ['file.delete', 'mutation'];

function entries(
  polarity: PhrasePolarity,
  capabilities: readonly ClaimCapability[],
  phrases: readonly string[],
): PhraseEntry[] {
  return phrases.map((phrase) => ({ phrase, polarity, capabilities }));
}

export const I18N_PHRASES: readonly PhraseEntry[] = [
  // ---- read-only, dry run, no side effects ----------------------------------------------
  ...entries('denies', MUT, [
    // es
    'solo lectura',
    'sólo lectura',
    'únicamente lectura',
    'solo lee',
    'sin efectos secundarios',
    'simulacro',
    // de
    'schreibgeschützt',
    'nur lesen',
    'nur lesend',
    'nur lesezugriff',
    'nur lesenden zugriff',
    'ohne nebenwirkungen',
    'keine nebenwirkungen',
    'probelauf',
    'trockenlauf',
    // fr
    'lecture seule',
    'en lecture seule',
    'lecture uniquement',
    'sans effet de bord',
    'sans effets de bord',
    'sans effets secondaires',
    'simulation à blanc',
    // zh
    '只读',
    '仅读取',
    '只读取',
    '无副作用',
    '试运行',
    // ru
    'только чтение',
    'только для чтения',
    'только чтения',
    'без побочных эффектов',
    'пробный запуск',
  ]),
  // ---- offline, local only ----------------------------------------------------------------
  ...entries('denies', NET, [
    // es
    'sin conexión',
    'sin conexion',
    'sin internet',
    'sin red',
    'sin acceso a internet',
    'sin acceso a la red',
    'fuera de línea',
    'fuera de linea',
    'solo local',
    'totalmente local',
    // de
    'ohne internet',
    'ohne netzwerk',
    'ohne netz',
    'ohne internetverbindung',
    'ohne netzwerkzugriff',
    'nur lokal',
    'vollständig lokal',
    'komplett offline',
    'vollständig offline',
    // fr
    'hors ligne',
    'hors connexion',
    'sans connexion',
    'sans internet',
    'sans réseau',
    'entièrement local',
    'entièrement en local',
    'uniquement en local',
    // zh
    '离线',
    '不联网',
    '无需联网',
    '无需网络',
    '断网',
    '完全本地',
    '仅本地',
    // ru
    'без сети',
    'без интернета',
    'без подключения к интернету',
    'без доступа к сети',
    'без доступа к интернету',
    'офлайн',
    'оффлайн',
    'только локально',
    'полностью локально',
  ]),
  // ---- affirmations a negator turns into denials ------------------------------------------
  ...entries('affirms', NET, [
    'envía',
    'envia',
    'enviar',
    'sube',
    'conexión a internet',
    'sendet',
    'senden',
    'überträgt',
    'netzwerkzugriff',
    'internetverbindung',
    'envoie',
    'envoyer',
    'transmet',
    'réseau',
    'internet',
    '联网',
    '发送',
    '上传',
    '网络',
    'отправляет',
    'отправлять',
    'передает',
    'передаёт',
    'сеть',
    'сети',
    'интернет',
  ]),
  ...entries('affirms', WRITE, [
    'modifica',
    'escribe',
    'verändert',
    'ändert',
    'schreibt',
    'modifie',
    'écrit',
    '修改',
    '写入',
    'изменяет',
    'записывает',
  ]),
  ...entries('affirms', DELETE, ['borra', 'elimina', 'löscht', 'supprime', '删除', 'удаляет']),
  // Words the Chinese negator is part of without negating what follows ("different", "constantly").
  ...entries('neutral', [], ['不同', '不断', '不仅', '不管', '不论', '无论']),
];

/** Negators. French `n'` is split off by the tokeniser as `ne`. */
export const I18N_NEGATORS: readonly string[] = [
  // es
  'nunca',
  'sin',
  'ningún',
  'ninguna',
  'ninguno',
  'nada',
  'jamás',
  // de
  'nicht',
  'kein',
  'keine',
  'keinen',
  'keinem',
  'keiner',
  'nie',
  'niemals',
  'ohne',
  'nichts',
  // fr
  'ne',
  'pas',
  'jamais',
  'sans',
  'aucun',
  'aucune',
  'rien',
  // zh
  '不',
  '无',
  '没',
  '未',
  '勿',
  // ru
  'не',
  'нет',
  'без',
  'никогда',
  'ничего',
  'никаких',
  'никакие',
];

/**
 * Negative concord: a second negator in these languages reinforces the first ("ne … pas",
 * "no … ningún", "не … никаких") instead of cancelling it.
 */
export const CONCORD_NEGATORS: readonly string[] = [
  'pas',
  'jamais',
  'rien',
  'aucun',
  'aucune',
  'nada',
  'ningún',
  'ninguna',
  'ninguno',
  'nunca',
  'jamás',
  'ничего',
  'никаких',
  'никакие',
  'никогда',
];

/** Negators that follow the verb they negate (German "sendet keine Daten", "verändert nichts"). */
export const POSTPOSED_NEGATORS: readonly string[] = [
  'nicht',
  'kein',
  'keine',
  'keinen',
  'keinem',
  'keiner',
  'nichts',
  'nie',
  'niemals',
  'pas',
  'jamais',
  'rien',
];

export const I18N_SCOPE_BREAKERS: readonly string[] = [
  'y',
  'pero',
  'und',
  'aber',
  'sondern',
  'et',
  'mais',
  'и',
  'но',
  'а',
  '但',
  '并',
];

export const I18N_CONDITIONALS: readonly string[] = [
  'si',
  'cuando',
  'wenn',
  'falls',
  'quand',
  'если',
  'когда',
];

export const I18N_LIST_CONTINUERS: readonly string[] = ['o', 'ni', 'oder', 'noch', 'ou', 'или', 'ни', '或'];
