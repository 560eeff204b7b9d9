// The core families in Spanish, German, French, Italian, Portuguese, Russian and Chinese. Written
// without accents (the matching text folds Latin diacritics); Cyrillic and CJK use explicit letter
// boundaries because \b is ASCII-only.

import type { SignalPattern } from './types.js';

const EXFIL_DEST = String.raw`[^.\n]{0,80}?(?:@[\w-]+\.|https?:\/\/)`;
/** Start of a word in any script (\b is ASCII-only). */
const B = String.raw`(?<!\p{L})`;

export const MULTILINGUAL: SignalPattern[] = [
  // ---- Spanish
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'es',
    triggers: ['ignora', 'ignore', 'ignorar', 'ignoren', 'olvida', 'olvide', 'olvidar', 'olviden', 'descarta', 'descarte', 'omite', 'omita', 'pasa', 'haz'],
    negatable: true,
    re: /\b(?:ignora|ignore|ignorar|ignoren|olvida|olvide|olvidar|olviden|descarta|descarte|omite|omita|pasa\s+por\s+alto|haz\s+caso\s+omiso\s+(?:de|a))\s+(?:(?:todas?|todos|cualquier|las|los|el|la|de|a)\s+){0,3}(?:(?:tus|sus|vuestras)\s+(?:instrucciones|indicaciones|ordenes|directrices|reglas)|(?:instrucciones|indicaciones|ordenes|directrices|reglas|comandos|instruccion|tareas?)\s+(?:anteriores|previas|precedentes|de\s+antes|originales|iniciales|del\s+sistema|que\s+(?:te|le)\s+(?:dieron|han\s+dado|di|dio)))/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'es',
    triggers: ['nueva', 'nuevas', 'tu'],
    re: /\bnuevas?\s+(?:instrucciones|tarea|ordenes)\s*:|\btu\s+(?:nueva|verdadera|unica|real)\s+(?:tarea|mision|instruccion|objetivo)\s+es\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'es',
    triggers: ['querido', 'estimado', 'hola', 'atencion', 'si'],
    re: /\b(?:querido|estimado|hola|atencion)\s*,?\s+(?:asistente|modelo\s+de\s+lenguaje|ia|agente\s+de\s+ia|chatbot)\b|\bsi\s+eres\s+(?:una?\s+)?(?:ia|asistente|modelo\s+de\s+lenguaje|inteligencia\s+artificial|agente\s+de\s+ia)\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'es',
    triggers: ['no', 'nunca', 'sin'],
    re: /\b(?:no|nunca)\s+(?:le\s+|se\s+lo\s+)?(?:digas|diga|menciones|mencione|informes|informe|reveles|revele|cuentes|cuente|avises|avise|notifiques)\s+(?:nada\s+)?(?:de\s+esto\s+|esto\s+)?(?:al|a\s+la)\s+(?:usuario|usuaria|humano)\b|\bsin\s+(?:avisar|informar|decirle)\s+(?:al|a\s+la)\s+(?:usuario|usuaria)\b/g,
  },
  {
    id: 'exfiltration',
    weight: 0.65,
    language: 'es',
    triggers: ['envia', 'envie', 'reenvia', 'reenvie', 'manda', 'mande', 'transfiere', 'transfiera', 'sube', 'suba', 'comparte', 'comparta'],
    imperative: true,
    re: new RegExp(
      String.raw`\b(?:envia|envie|reenvia|reenvie|manda|mande|transfiere|transfiera|sube|suba|comparte|comparta)\b[^.\n]{0,120}?(?:contrasenas?|claves?|credenciales|codigo\s+de\s+(?:seguridad|verificacion)|token|tod[oa]s\s+l[oa]s\s+(?:correos|archivos|mensajes|datos)|contenido|historial|datos\s+personales|tarjeta\s+de\s+credito|cuenta\s+bancaria|pasaporte)${EXFIL_DEST}`,
      'g',
    ),
  },
  // ---- German
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'de',
    triggers: ['ignoriere', 'ignorier', 'ignorieren', 'ignoriert', 'vergiss', 'vergessen', 'missachte', 'missachten', 'uberspringe', 'verwirf', 'verwerfen'],
    negatable: true,
    re: /\b(?:ignoriere|ignorier|ignorieren\s+sie|ignoriert|vergiss|vergessen\s+sie|missachte|missachten\s+sie|uberspringe|verwirf|verwerfen\s+sie)\s+(?:(?:alle|samtliche|die|jegliche|alles)\s+){0,2}(?:(?:deine|ihre|eure)\s+(?:anweisungen|instruktionen|befehle|vorgaben|regeln|anordnungen|richtlinien)|(?:(?:bisherigen|vorherigen|vorigen|obigen|fruheren|vorangegangenen|ursprunglichen|anderen|bisherige|vorherige|vorige|obige|fruhere|ursprungliche|system)\s*-?\s*)(?:anweisungen|anweisung|instruktionen|befehle|vorgaben|regeln|anordnungen|richtlinien|aufgaben?)|(?:was|alles,?\s+was)\s+(?:dir\s+)?(?:vorher|zuvor|bisher)\s+gesagt\s+wurde)/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'de',
    triggers: ['neue', 'deine', 'ihre'],
    re: /\bneue\s+(?:anweisungen|anweisung|instruktionen|aufgabe|befehle)\s*:|\b(?:deine|ihre)\s+(?:neue|eigentliche|wahre|einzige)\s+aufgabe\s+(?:ist|lautet)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'de',
    triggers: ['lieber', 'liebe', 'liebes', 'hallo', 'achtung', 'wenn'],
    re: /\b(?:liebe[rs]?|hallo|achtung)\s*,?\s+(?:ki|assistent|ki-assistent|sprachmodell|ki-modell|chatbot)\b|\bwenn\s+(?:du|sie)\s+(?:eine?\s+)?(?:ki|sprachmodell|assistent|ki-assistent|ki-agent|kunstliche\s+intelligenz)\s+(?:bist|sind)\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'de',
    triggers: ['sag', 'sage', 'erzahl', 'erzahle', 'verrate', 'teile', 'sagen', 'erzahlen', 'ohne'],
    re: /\b(?:sag|sage|erzahl|erzahle|verrate|teile|sagen\s+sie|erzahlen\s+sie)\s+(?:dem|der)\s+(?:benutzer|nutzer|anwender|user|benutzerin|nutzerin)\s+(?:davon\s+)?(?:nichts|nicht)\b|\bohne\s+(?:den|die)\s+(?:benutzer|nutzer|anwender|benutzerin|nutzerin)\s+zu\s+(?:informieren|fragen|benachrichtigen)\b/g,
  },
  {
    id: 'exfiltration',
    weight: 0.65,
    language: 'de',
    triggers: ['sende', 'senden', 'schicke', 'schick', 'schicken', 'leite', 'leiten', 'ubertrage', 'ubertragen', 'lade'],
    imperative: true,
    re: new RegExp(
      String.raw`\b(?:sende|senden\s+sie|schicke|schick|schicken\s+sie|leite|leiten\s+sie|ubertrage|ubertragen\s+sie|lade)\b[^.\n]{0,120}?(?:passwort|passworter|kennwort|zugangsdaten|anmeldedaten|schlussel|sicherheitscode|bestatigungscode|token|alle\s+(?:e-mails|mails|dateien|nachrichten|daten)|inhalt|verlauf|kreditkarte|bankkonto|reisepass)${EXFIL_DEST}`,
      'g',
    ),
  },
  // ---- French
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'fr',
    triggers: ['ignore', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier', 'neglige', 'negligez', 'fais', 'faites', 'ne'],
    negatable: true,
    re: /\b(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|neglige|negligez|fais\s+abstraction\s+de|faites\s+abstraction\s+de|ne\s+tiens\s+pas\s+compte\s+de|ne\s+tenez\s+pas\s+compte\s+de)\s+(?:(?:toutes|tous|les|des|de|ces|l')\s*){0,3}(?:(?:tes|vos)\s+(?:instructions?|consignes?|directives?|regles|ordres)|(?:instructions?|consignes?|directives?|regles|ordres|commandes|indications)\s+(?:precedentes|anterieures|initiales|originales|ci-dessus|d'avant|du\s+systeme|que\s+(?:tu\s+as|vous\s+avez)\s+recues))/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'fr',
    triggers: ['nouvelle', 'nouvelles', 'ta', 'votre'],
    re: /\bnouvelles?\s+(?:instructions?|consignes?|directives?|taches?)\s*:|\b(?:ta|votre)\s+(?:nouvelle|vraie|veritable|seule)\s+(?:tache|mission|instruction)\s+est\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'fr',
    triggers: ['cher', 'chere', 'bonjour', 'salut', 'attention', 'si'],
    re: /\b(?:cher|chere|bonjour|salut|attention)\s*,?\s+(?:l')?(?:assistant|ia|modele\s+de\s+langage|agent\s+ia|chatbot)\b|\bsi\s+(?:tu\s+es|vous\s+etes)\s+(?:une?\s+)?(?:ia|assistant|modele\s+de\s+langage|intelligence\s+artificielle|agent\s+ia)\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'fr',
    triggers: ['ne', 'sans'],
    re: /\bne\s+(?:le\s+|lui\s+|rien\s+|en\s+)?(?:dis|dites|mentionne|mentionnez|revele|revelez|signale|signalez|previens|prevenez|informe|informez|parle|parlez)\s+(?:rien\s+|pas\s+|jamais\s+)?(?:de\s+cela\s+|cela\s+|de\s+ceci\s+)?(?:a\s+l'utilisateur|a\s+l'usager|l'utilisateur)\b|\bsans\s+(?:en\s+)?(?:informer|prevenir|avertir|le\s+dire\s+a)\s+l'utilisateur\b/g,
  },
  {
    id: 'exfiltration',
    weight: 0.65,
    language: 'fr',
    triggers: ['envoie', 'envoyez', 'transfere', 'transferez', 'transmets', 'transmettez', 'partage', 'partagez'],
    imperative: true,
    re: new RegExp(
      String.raw`\b(?:envoie|envoyez|transfere|transferez|transmets|transmettez|partage|partagez)\b[^.\n]{0,120}?(?:mots?\s+de\s+passe|identifiants|cles?|code\s+de\s+(?:securite|verification)|jeton|tou[st]\s+les\s+(?:e-?mails|courriels|fichiers|messages|donnees)|contenu|historique|carte\s+bancaire|compte\s+bancaire|passeport)${EXFIL_DEST}`,
      'g',
    ),
  },
  // ---- Italian
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'it',
    triggers: ['ignora', 'ignorate', 'ignori', 'dimentica', 'dimenticate', 'dimentichi', 'trascura', 'tralascia'],
    negatable: true,
    re: /\b(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|tralascia)\s+(?:(?:tutte|tutti|le|gli|i|qualsiasi)\s+){0,3}(?:(?:tue|vostre|sue)\s+(?:istruzioni|indicazioni|direttive|regole)|(?:istruzioni|indicazioni|direttive|regole|comandi|ordini)\s+(?:precedenti|anteriori|iniziali|originali|di\s+prima|del\s+sistema|sopra))/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'it',
    triggers: ['nuove', 'il'],
    re: /\bnuove\s+istruzioni\s*:|\bil\s+tuo\s+(?:nuovo|vero|unico)\s+(?:compito|obiettivo)\s+e\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'it',
    triggers: ['non'],
    re: /\bnon\s+(?:dirlo|dire\s+nulla|dire|menzionare|rivelare|informare|avvisare)\s+(?:nulla\s+)?(?:a(?:ll')?\s*utente|all'utente|l'utente)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'it',
    triggers: ['se'],
    re: /\bse\s+sei\s+(?:un[a']?\s*)?(?:ia|assistente|modello\s+linguistico|intelligenza\s+artificiale)\b/g,
  },
  // ---- Portuguese
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'pt',
    triggers: ['ignore', 'ignora', 'ignorem', 'esqueca', 'esquece', 'esquecam', 'desconsidere', 'desconsidera', 'despreze'],
    negatable: true,
    re: /\b(?:ignore|ignora|ignorem|esqueca|esquece|esquecam|desconsidere|desconsidera|despreze)\s+(?:(?:todas|todos|as|os|quaisquer)\s+){0,3}(?:(?:suas|tuas)\s+(?:instrucoes|orientacoes|diretrizes|regras)|(?:instrucoes|orientacoes|diretrizes|regras|comandos|ordens|tarefas?)\s+(?:anteriores|previas|iniciais|originais|acima|do\s+sistema))/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'pt',
    triggers: ['novas', 'sua'],
    re: /\bnovas\s+instrucoes\s*:|\bsua\s+(?:nova|verdadeira|unica)\s+(?:tarefa|missao|instrucao)\s+e\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'pt',
    triggers: ['nao'],
    re: /\bnao\s+(?:conte|diga|mencione|revele|informe|avise)\s+(?:nada\s+)?(?:isso\s+|disso\s+)?(?:ao|para\s+o)\s+(?:usuario|utilizador)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'pt',
    triggers: ['se'],
    re: /\bse\s+(?:voce\s+(?:e|for)|es)\s+(?:uma?\s+)?(?:ia|assistente|modelo\s+de\s+linguagem|inteligencia\s+artificial)\b/g,
  },
  // ---- Russian
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'ru',
    script: 'cyrillic',
    negatable: true,
    re: new RegExp(
      String.raw`${B}(?:игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|отбрось|отбросьте|не\s+обращай\s+внимания\s+на|не\s+обращайте\s+внимания\s+на|пропусти|пропустите|отмени|отмените)\s+(?:(?:все|всё|любые|эти)\s+){0,2}(?:(?:свои|твои|ваши)\s+(?:инструкции|указания|правила|установки)|(?:предыдущие|прошлые|прежние|предшествующие|вышеуказанные|вышеприведенные|вышеприведённые|старые|исходные|первоначальные|системные|данные\s+ранее|ранее\s+данные)\s+(?:инструкции|инструкций|указания|указаний|команды|команд|правила|правил|распоряжения|задания|установки))`,
      'gu',
    ),
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'ru',
    script: 'cyrillic',
    re: new RegExp(
      String.raw`${B}(?:новые|новая)\s+(?:инструкции|указания|задача|команды)\s*:|${B}твоя\s+(?:новая|настоящая|истинная|единственная)\s+задача\s*(?:—|-|:|это|теперь|состоит)`,
      'gu',
    ),
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'ru',
    script: 'cyrillic',
    re: new RegExp(
      String.raw`${B}если\s+(?:ты|вы)\s+(?:—\s+)?(?:ии|ассистент|помощник|языковая\s+модель|нейросеть|искусственный\s+интеллект|бот|чат-бот)(?!\p{L})|${B}(?:дорогой|уважаемый|привет|внимание)\s*,?\s+(?:ии|ассистент|помощник|нейросеть|чат-бот)(?!\p{L})`,
      'gu',
    ),
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'ru',
    script: 'cyrillic',
    re: new RegExp(
      String.raw`${B}не\s+(?:говори|говорите|сообщай|сообщайте|рассказывай|рассказывайте|упоминай|упоминайте|показывай|показывайте)\s+(?:об\s+этом\s+|это(?:го)?\s+|ничего\s+)?(?:пользователю|юзеру)|${B}(?:без\s+ведома|не\s+уведомляя)\s+пользователя`,
      'gu',
    ),
  },
  {
    id: 'exfiltration',
    weight: 0.65,
    language: 'ru',
    script: 'cyrillic',
    re: new RegExp(
      String.raw`${B}(?:отправь|отправьте|перешли|перешлите|пошли|пошлите|передай|передайте|загрузи|загрузите|скинь)\s[^.\n]{0,120}?(?:парол|ключ|токен|учетные\s+данные|учётные\s+данные|код|все\s+(?:письма|файлы|сообщения|данные)|содержимое|историю|переписку|данные\s+карты|паспорт)${EXFIL_DEST}`,
      'gu',
    ),
  },
  // ---- Chinese (simplified and traditional)
  {
    id: 'override-instructions',
    weight: 0.9,
    language: 'zh',
    script: 'cjk',
    re: /(?:忽略|忽视|忽視|无视|無視|忘记|忘記|忘掉|不要理会|不要理會|不要管|别管|別管|跳过|跳過|抛开|拋開)(?:掉)?(?:你|您)?(?:之前|以前|先前|此前|前面|上面|以上|上述|原来|原來|原先|原有|最初|所有|全部|一切|早先)(?:的)?(?:所有|全部|一切)?(?:的)?(?:指令|指示|说明|說明|提示词|提示詞|提示|规则|規則|命令|要求|任务|任務|设定|設定|约束|約束)/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    language: 'zh',
    script: 'cjk',
    re: /(?:新的?|真正的?)(?:指令|指示|任务|任務)(?:是|：|:)|你的(?:新|真正的?)(?:任务|任務)是/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.35,
    language: 'zh',
    script: 'cjk',
    re: /(?:从现在开始|從現在開始|从现在起|從現在起)(?:，|,)?(?:你|请|請|必须|必須)|你现在是|你現在是/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    language: 'zh',
    script: 'cjk',
    re: /(?:如果你是|假如你是|若你是|如果您是)(?:一个|一個|一名)?(?:ai|人工智能|语言模型|語言模型|助手|智能助手|大模型|机器人|機器人)|(?:致|给|給)(?:ai|人工智能|助手|语言模型|語言模型|大模型)(?:的)?(?:消息|信息|訊息|指令)/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    language: 'zh',
    script: 'cjk',
    re: /(?:不要|别|別|切勿|不可|不得|请勿|請勿)(?:告诉|告訴|通知|提醒|透露给|透露給|提及|让|讓)(?:用户|用戶|使用者)/g,
  },
  {
    id: 'exfiltration',
    weight: 0.65,
    language: 'zh',
    script: 'cjk',
    re: /(?:发送|發送|转发|轉發|发给|發給|上传|上傳|传送|傳送|寄给|寄給)[^。\n]{0,60}?(?:密码|密碼|密钥|密鑰|令牌|凭证|憑證|验证码|驗證碼|所有(?:邮件|郵件|文件|檔案|消息|訊息|数据|數據)|内容|內容|聊天记录|聊天記錄|信用卡|银行账户|銀行帳戶|护照|護照)[^。\n]{0,60}?(?:@|https?:\/\/)|(?:将|把|將)[^。\n]{0,40}?(?:密码|密碼|密钥|密鑰|令牌|验证码|驗證碼|所有(?:邮件|郵件|文件|檔案)|聊天记录|聊天記錄)[^。\n]{0,20}?(?:发送|發送|转发|轉發|发给|發給|上传|上傳)[^。\n]{0,40}?(?:@|https?:\/\/)/g,
  },
];
