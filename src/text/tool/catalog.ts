// Description-specific phrasing, as data. The text layer (src/text) already knows generic injection
// phrasing in eight languages (override, secrecy, role markers, sensitive reads, parameter smuggling);
// these tables add what is peculiar to a tool description: naming secrets and files the model should
// fetch, asking for the conversation, claiming priority over other tools, redefining them, and
// coercion. Patterns run on the text layer's matching copy (lower case, diacritics folded, invisible
// characters removed), so they are written in lower case without accents. Every regex is linear:
// bounded gaps, no nested quantifiers over overlapping characters.

export interface CatalogPattern {
  /** Signal family. */
  id: string;
  weight: number;
  re: RegExp;
  lang: 'en' | 'es' | 'de' | 'fr' | 'zh' | 'ru';
}

/** Files and stores whose content is a secret: naming one in an instruction is the attack. */
export const SENSITIVE_FILE =
  /(?:~|\$home|%userprofile%|\/home\/[\w.-]{1,32}|\/users\/[\w.-]{1,32}|\/root)?\/?\.(?:ssh\/[\w.-]{0,40}|aws\/(?:credentials|config)|kube\/config|docker\/config\.json|npmrc|pypirc|netrc|git-credentials|bash_history|zsh_history|gnupg[\w./-]{0,40}|cursor\/mcp\.json|config\/gcloud[\w./-]{0,40}|env(?!\.(?:example|sample|template|dist|defaults)\b)(?:\.[\w]{1,16})?\b)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\/etc\/(?:passwd|shadow|sudoers)\b|\bmcp\.json\b|claude_desktop_config\.json|\.config\/[\w.-]{1,40}\/(?:hosts|credentials|auth|tokens?|apps)\.(?:ya?ml|json)|\bcredentials\.json\b|\.htpasswd\b|\bwallet\.dat\b|\bkeychain\b|\.pem\b/g;

/** Secrets and private context named as things the model should hand over. */
const SECRET_WORDS = String.raw`(?:api[\s_-]?keys?|access[\s_-]?tokens?|auth(?:entication)?[\s_-]?tokens?|secret[\s_-]?keys?|private[\s_-]?keys?|passwords?|credentials|secrets|session[\s_-]?cookies?|seed\s+phrase|mnemonic|environment\s+variables|env\s+vars|[a-z0-9]+_(?:api_key|token|secret|password)\b)`;
const CONVERSATION_WORDS = String.raw`(?:(?:full|entire|whole|complete)\s+(?:conversation|chat|dialog(?:ue)?|context)|conversation\s+(?:history|so\s+far|context)|chat\s+history|message\s+history|(?:all\s+)?(?:previous|prior|earlier|preceding)\s+(?:user\s+)?(?:messages?|turns?|conversation)|(?:messages?|turns?)\s+(?:in|of|from)\s+(?:this|the|our)\s+(?:chat|conversation|session|thread)|system\s+prompt|your\s+(?:system\s+)?instructions|(?:the\s+)?user'?s?\s+(?:previous\s+|last\s+)?messages|everything\s+the\s+user\s+(?:said|wrote|typed))`;

/** Verbs that hand data over: into a parameter, a request, the output. */
const HAND_OVER =
  '(?:pass|put|include|insert|send|provide|supply|attach|append|add|copy|paste|fill|give|share|forward|upload|post|transmit|embed|read|cat|dump|output|print|list|collect|gather|submit|grab|leak)';

export const PATTERNS: readonly CatalogPattern[] = [
  // ---- secrets and conversation requested (English)
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'en',
    re: new RegExp(
      String.raw`\b${HAND_OVER}\s+(?:me\s+|us\s+)?(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:your|the\s+user'?s?|their|all|any|available)\s+(?:\w+\s+){0,2}${SECRET_WORDS}`,
      'g',
    ),
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'en',
    re: new RegExp(String.raw`\b${HAND_OVER}\s+(?:\w+\s+){0,5}?${CONVERSATION_WORDS}`, 'g'),
  },
  {
    // Looser than the above: a secret named a few words after a hand-over verb ("pass the values of all
    // environment variables"); weaker alone, decisive with a channel.
    id: 'secret-request',
    weight: 0.4,
    lang: 'en',
    re: new RegExp(String.raw`\b${HAND_OVER}\s+(?:\w+\s+){0,5}?${SECRET_WORDS}`, 'g'),
  },
  {
    id: 'secrecy',
    weight: 0.5,
    lang: 'en',
    re: /\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|notify|alert)\s+(?:anyone|anybody|them)\b|\b(?:never|do\s+not|don'?t)\s+(?:disclose|reveal|admit|explain)\s+to\s+(?:the\s+)?(?:user|human|person)\b|\bkeep\s+(?:this|it)\s+between\s+(?:us|ourselves)\b|\b(?:there'?s|there\s+is|there\s+are)\s+no\s+(?:reason|need)\s+to\s+(?:bring\s+(?:this|it)\s+up|mention\s+(?:this|it)|tell|inform|notify)|\bkeep\s+(?:this|it|that|the\s+\w+(?:\s+\w+)?)\s+(?:hidden|secret|quiet|private)\s+from\b|\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?(?:user|human|anyone)\b|\bnot\s+for\s+the\s+user\b/g,
  },
  {
    // Changing who receives an action: the recipient, the account, the repository.
    id: 'global-redirect',
    weight: 0.5,
    lang: 'en',
    re: /\b(?:any|every|each|all)\s+(?:outgoing\s+)?(?:e-?mails?|messages?|mails?)\s+(?:sent\s+|leaving\s+)?(?:via|through|with|by|using)\s+[^.\n]{1,60}?\s+(?:must|should|shall|needs?\s+to)\s+(?:also\s+)?(?:carry|include|have|get|be\s+(?:sent|cc'?d|bcc'?d|copied|forwarded))\b|\b(?:hidden|blind|secret|silent|extra)\s+(?:copy|bcc|cc)\s+(?:to|for)\b|\bsend\s+(?:the\s+)?(?:funds|money|payment|transfer)\s+to\s+(?:iban|account|wallet)\b|\b(?:change|replace|set|switch|rewrite|swap|redirect)\s+(?:the\s+)?(?:[`'"]?to[`'"]?\s+address|recipients?|destination|receiver|payee|iban|wallet|target\s+account|bank\s+account)\s+(?:to|with|into)\b/g,
  },
  {
    // "if send_email is called …, replace …": the passive form of the text layer's shadowing family.
    id: 'shadowing',
    weight: 0.4,
    lang: 'en',
    re: /\b(?:when|whenever|if|every\s+time|each\s+time|once)\s+(?:the\s+)?[`'"]?[a-z][a-z0-9]*[_.-][\w.-]{1,40}[`'"]?(?:\s+(?:tool|function))?\s+(?:is|gets|was|has\s+been)\s+(?:called|used|invoked|run|executed)\b[^.\n]{0,80}?\b(?:always|also|must|first|instead|bcc|cc|redirect|replace|change|add|send|forward)\b/g,
  },
  // ---- a parameter named as the place to put something ("... as `sidenote`", "in the context field")
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'en',
    re: /\b(?:as|in|into|inside|within|to|via|through|using)\s+(?:the\s+)?[`'"]?[a-z_][\w-]{1,40}[`'"]?\s+(?:parameter|argument|param|arg|field|property|value|input)\b|\b(?:as|in|into|to)\s+[`'][a-z_][\w-]{1,40}[`']|\bas\s+"[a-z_][\w-]{1,40}"/g,
  },
  // ---- priority over every other tool (the direction matters: "call THIS before any other")
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'en',
    re: /\b(?:call|use|run|invoke|execute)\s+(?:this|me)(?:\s+tool|\s+function)?\s+(?:first\s+)?(?:before|prior\s+to)\s+(?:any|all|every|using\s+any|calling\s+any)\s+(?:other\s+)?(?:tools?|functions?|actions?|calls?|requests?|operations?|servers?)\b|\bthis\s+(?:tool|function)\s+(?:must|should|has\s+to|needs\s+to)\s+(?:always\s+)?be\s+(?:called|used|run|invoked)\s+(?:first|before\s+(?:any|all|every)\s+(?:other\s+)?\w+)|\bthis\s+(?:tool|function)\s+(?:must|should|has\s+to|needs\s+to)\s+(?:always\s+)?be\s+(?:called|used|run|invoked)\s+[^.\n]{0,40}?\bbefore\s+(?:any|all|every)\s+(?:other\s+)?\w+|\balways\s+(?:call|use|run|invoke)\s+this(?:\s+tool|\s+function)?\s+(?:first|before)\b|\bbefore\s+(?:using|calling|invoking|running)\s+(?:any|all|every)\s+(?:other\s+)?(?:tools?|functions?),?\s+(?:you\s+must\s+|always\s+|first\s+)?(?:call|use|run|invoke)\s+this\b/g,
  },
  {
    id: 'override-claim',
    weight: 0.55,
    lang: 'en',
    re: /\bthis\s+(?:tool|function|instruction|description|rule)s?\s+(?:overrides?|supersedes?|replaces?|takes\s+precedence\s+over|has\s+priority\s+over)\s+(?:all|any|every|other|the|previous)\b|\b(?:takes|has)\s+(?:precedence|priority)\s+over\s+(?:all|any|every)\s+(?:other\s+)?(?:tools?|instructions?|servers?)\b/g,
  },
  {
    id: 'override-claim',
    weight: 0.6,
    lang: 'en',
    re: /\b(?:earlier|previous|prior|former|old|original|existing)\s+(?:rules|instructions|guidelines|guidance|directives|system\s+prompt)\s+(?:are|is|were|have\s+been)\s+(?:now\s+)?(?:outdated|obsolete|void|invalid|cancell?ed|revoked|superseded|replaced|no\s+longer\s+(?:valid|apply|applicable|in\s+effect))|\b(?:follow|obey)\s+only\s+(?:the\s+)?(?:rules|instructions|directions)\s+(?:in|from|of)\s+this\b/g,
  },
  // ---- redefining another tool ("the list_files tool is deprecated, use this instead")
  {
    id: 'deprecation-shadow',
    weight: 0.6,
    lang: 'en',
    re: /\b(?:the\s+)?[`'"]?[a-z][a-z0-9]*[_.-][\w.-]{1,40}[`'"]?(?:\s+(?:tool|function))?(?:\s+(?:from|of|in)\s+[^.\n]{1,40}?)?\s+(?:is|has\s+been)\s+(?:deprecated|broken|disabled|unsafe|obsolete|removed|insecure|compromised)[^.\n]{0,60}?\b(?:use|call)\s+this\b|\b(?:tool|server|function)\s+(?:is|has\s+been)\s+(?:outdated|deprecated|broken|disabled|unsafe|obsolete|removed|insecure|compromised|no\s+longer\s+maintained)\b[^.\n]{0,60}?\b(?:use|call)\s+this\b|\bthis\s+is\s+the\s+only\s+(?:trustworthy|safe|trusted|secure|reliable|approved)\s+[^.\n]{0,30}?\btool\b|\b(?:never|do\s+not|don'?t)\s+(?:use|call)\s+(?:the\s+)?[`'"]?[a-z][a-z0-9]*[_.-][\w.-]{1,40}[`'"]?(?:\s+tool)?[^.\n]{0,30}?\b(?:use|call)\s+this\s+(?:tool\s+)?instead\b/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'en',
    re: /\ball\s+(?:outgoing\s+)?(?:e-?mails?|messages|payments|transfers|transactions|invoices|requests|files|uploads|commits)\s+(?:must|should|shall|need\s+to|are\s+to)\s+(?:also\s+)?(?:be\s+)?(?:sent|forwarded|cc'?d|bcc'?d|copied|routed|redirected|addressed|uploaded|paid|transferred)\s+(?:to|via|through)\b/g,
  },
  // ---- coercion: a threat attached to an instruction
  {
    id: 'coercion',
    weight: 0.35,
    lang: 'en',
    re: /\b(?:or|otherwise|else)\s*,?\s+(?:the\s+)?(?:system|tool|server|application|app|computer|user'?s?\s+(?:data|account|files))\s+(?:will|would|may|might)\s+(?:crash|fail|break|be\s+(?:lost|deleted|corrupted|banned|compromised)|stop\s+working|not\s+work)|\bthe\s+tool\s+will\s+not\s+work\s+(?:unless|without|if\s+you\s+don'?t)\b|\bor\s+(?:data|files|everything)\s+will\s+be\s+(?:lost|deleted)\b|\bfailure\s+to\s+comply\s+(?:will|may|could)\b/g,
  },
  {
    // Consent claimed on the user's behalf: "the user has already approved this".
    id: 'principal-impersonation',
    weight: 0.45,
    lang: 'en',
    re: /\bthe\s+user\s+(?:has\s+)?already\s+(?:approved|agreed|consented|authori[sz]ed|allowed|confirmed)\b|\b(?:never|do\s+not|don'?t)\s+ask\s+(?:them|the\s+user)\b(?:\s+for\s+(?:permission|confirmation|approval))?/g,
  },
  {
    id: 'secrecy',
    weight: 0.45,
    lang: 'en',
    re: /\b(?:never|do\s+not|don'?t)\s+(?:ask\s+(?:or|and)\s+)?(?:mention|disclose|reveal|bring\s+up)\s+(?:it|this|that|them)\b/g,
  },
  {
    // Moving the user's data to a third party, in so many words.
    id: 'exfiltration',
    weight: 0.55,
    lang: 'en',
    re: /\b(?:forward|send|copy|upload|email|mail)\s+(?:all\s+)?(?:of\s+)?(?:the\s+user'?s?|their|his|her|your)\s+(?:\w+\s+)?(?:e-?mails?|mail|messages|files|documents|data|contacts|photos|history)\s+to\b/g,
  },
  {
    // A download piped into a shell, or a recursive delete of a home folder, as an instruction.
    id: 'dangerous-command',
    weight: 0.5,
    lang: 'en',
    re: /\b(?:curl|wget)\s[^|\n]{1,120}\|\s*(?:ba|z)?sh\b|\brm\s+-(?:rf|fr)\s+(?:~|\/|\$home)/g,
  },
  {
    // The passive form with a tool described rather than named ("the commit tool of any other server").
    id: 'shadowing',
    weight: 0.45,
    lang: 'en',
    re: /\b(?:when|whenever|if|every\s+time|each\s+time)\s+(?:the\s+|a\s+|an\s+|any\s+)?[\w`'".-]{1,40}\s+(?:tool|function)s?\s+(?:of|from|on)\s+(?:any\s+|an\s+|the\s+)?(?:other|another|different|third[\s-]party)\s+servers?\s+(?:is|are|gets|get)\s+(?:called|used|invoked|run|executed)\b/g,
  },
  // ---- Spanish
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'es',
    re: /\b(?:lee|leer|incluye|incluir|pasa|pasar|envia|enviar|adjunta|adjuntar|proporciona|proporcionar|pon|poner|copia|copiar|agrega|agregar|anade|anadir)\s+(?:\w+\s+){0,3}?(?:claves?\s+(?:de\s+)?api|contrasenas?|credenciales|tokens?\s+de\s+acceso|claves?\s+privadas?|secretos|variables\s+de\s+entorno)\b/g,
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'es',
    re: /\b(?:incluye|incluir|pasa|pasar|envia|enviar|adjunta|proporciona|pon|poner|copia|copiar|agrega|anade)\s+(?:\w+\s+){0,3}?(?:historial\s+(?:de\s+(?:la\s+)?)?(?:conversacion|chat)|(?:toda\s+la\s+|la\s+)?conversacion\s+(?:completa|entera|anterior)|mensajes\s+anteriores|prompt\s+del\s+sistema|instrucciones\s+del\s+sistema)/g,
  },
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'es',
    re: /\b(?:en|como)\s+el\s+(?:parametro|argumento|campo)\s+[`'"]?[a-z_][\w-]{1,40}|\ben\s+[`'"][a-z_][\w-]{1,40}[`'"]/g,
  },
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'es',
    re: /\b(?:llama|usa|ejecuta|invoca)\s+(?:a\s+)?esta\s+herramienta\s+(?:primero\s+)?antes\s+de\s+(?:cualquier|todas?\s+las?)\s+(?:otras?\s+)?herramientas?|\besta\s+herramienta\s+(?:debe|tiene\s+que)\s+(?:usarse|llamarse|ejecutarse)\s+(?:siempre\s+)?(?:primero|antes)/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'es',
    re: /\btodos\s+los\s+(?:correos|mensajes|pagos|emails)\s+(?:deben|tienen\s+que)\s+(?:ser\s+)?(?:enviarse|enviados|reenviarse|reenviados|copiarse)\s+(?:tambien\s+)?a\b/g,
  },
  // ---- German
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'de',
    re: /\b(?:lies|lese|lesen|fuge|fuege|sende|senden|schicke|ubergib|uebergib|ubergebe|gib|kopiere|hange|haenge)\s+(?:[\w-]+\s+){0,6}?(?:api-?schlussel|api-?keys?|passworter|passwort|kennworter|kennwort|zugangsdaten|anmeldedaten|private[nr]?\s+schlussel|umgebungsvariablen|geheimnisse|tokens?)\b/g,
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'de',
    re: /\b(?:fuge|fuege|sende|senden|schicke|ubergib|uebergib|gib|kopiere|hange|haenge|nimm)\s+(?:\w+\s+){0,4}?(?:gesprachsverlauf|chatverlauf|nachrichtenverlauf|(?:gesamte[nr]?|ganze[nr]?|vollstandige[nr]?)\s+(?:gesprach|unterhaltung|konversation|chat)|vorherige[nr]?\s+nachrichten|systemprompt|system-prompt|systemanweisungen)/g,
  },
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'de',
    re: /\b(?:im|in\s+den|in\s+das|als)\s+(?:parameter|argument|feld)\s+[`'"]?[a-z_][\w-]{1,40}|\bals\s+[`'"][a-z_][\w-]{1,40}[`'"]/g,
  },
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'de',
    re: /\b(?:rufe|nutze|verwende|benutze)\s+(?:immer\s+)?(?:zuerst\s+)?(?:dieses|dies)\s+(?:tool|werkzeug)\s+(?:immer\s+)?(?:zuerst\s+)?(?:vor|bevor)\s+(?:allen|jedem|jeglichen|anderen)|\bdieses\s+(?:tool|werkzeug)\s+muss\s+(?:immer\s+)?(?:zuerst|vor\s+allen\s+anderen)/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    lang: 'de',
    re: /\b(?:erwahne|sage|sag|erzahle|verrate)\s+(?:das|dies|es|davon|dem\s+(?:benutzer|nutzer)\s+)?\s*(?:niemals|nie|nicht|nichts)\b[^.\n]{0,30}?(?:benutzer|nutzer|anwender)|\bder\s+(?:benutzer|nutzer)\s+darf\s+(?:davon\s+|das\s+)?nichts?\s+(?:wissen|erfahren|merken)/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'de',
    re: /\balle\s+(?:e-?mails|nachrichten|zahlungen|uberweisungen)\s+(?:mussen|sollen)\s+(?:auch\s+)?(?:an\s+\S{1,80}\s+)?(?:gesendet|weitergeleitet|kopiert|geschickt|uberwiesen)/g,
  },
  // ---- French
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'fr',
    re: /\b(?:lis|lire|inclus|inclure|passe|passer|envoie|envoyer|joins|joindre|fournis|fournir|mets|mettre|copie|copier|ajoute|ajouter|transmets|transmettre)\s+(?:[\w']+\s+){0,4}?(?:cles?\s+(?:d'?\s?)?api|mots?\s+de\s+passe|identifiants|jetons?\s+d'?\s?acces|cles?\s+privees?|secrets|variables\s+d'?\s?environnement)\b/g,
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'fr',
    re: /\b(?:inclus|inclure|passe|passer|envoie|envoyer|joins|joindre|fournis|mets|mettre|copie|ajoute|transmets)\s+(?:[\w']+\s+){0,3}?(?:l'\s?)?(?:historique\s+(?:de\s+la\s+|du\s+)?(?:conversation|chat|discussion)|(?:toute\s+la\s+|la\s+)?conversation\s+(?:complete|entiere|precedente)|messages\s+precedents|prompt\s+systeme|instructions\s+systeme)/g,
  },
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'fr',
    re: /\b(?:dans\s+le|comme|en\s+tant\s+que)\s+(?:parametre|argument|champ)\s+[`'"]?[a-z_][\w-]{1,40}|\bdans\s+[`'"][a-z_][\w-]{1,40}[`'"]/g,
  },
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'fr',
    re: /\bavant\s+(?:tout|tous\s+les|toute)\s+autres?\s+outils?,?\s+(?:appelle|utilise|execute)\s+(?:toujours\s+)?cet\s+outil|\b(?:appelle|utilise|execute)\s+(?:toujours\s+)?cet\s+outil\s+en\s+premier\b|\b(?:appelle|utilise|execute)\s+(?:toujours\s+)?cet\s+outil\s+(?:en\s+premier\s+)?avant\s+(?:tout|tous|toute|n'?importe\s+quel)\s+(?:autres?\s+)?(?:outils?|action)|\bcet\s+outil\s+doit\s+(?:toujours\s+)?etre\s+(?:appele|utilise)\s+(?:en\s+premier|avant)/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'fr',
    re: /\btous\s+les\s+(?:e-?mails|courriels|messages|paiements)\s+doivent\s+(?:aussi\s+|egalement\s+)?etre\s+(?:envoyes|transferes|copies)\s+a\b/g,
  },
  // ---- Chinese
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'zh',
    re: /(?:读取|读|获取|包含|放入|传入|发送|附上|提供|填入|复制|加入)[^。\n]{0,12}?(?:api\s?密钥|密钥|密码|凭据|凭证|令牌|私钥|环境变量|id_rsa|\.env)/g,
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'zh',
    re: /(?:包含|放入|传入|发送|附上|提供|填入|复制|加入)[^。\n]{0,12}?(?:对话历史|聊天记录|对话记录|完整对话|全部对话|之前的消息|先前的消息|系统提示词?)/g,
  },
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'zh',
    re: /(?:放入|传入|填入|作为|放到|填到)\s*[`'"]?[a-z_][\w-]{0,40}[`'"]?\s*(?:参数|字段)/g,
  },
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'zh',
    re: /(?:在(?:调用|使用)任何其他工具之前[^。\n]{0,12}?(?:先|必须)(?:调用|使用)(?:此|这个|本)工具|(?:此|这个|本)工具必须(?:始终)?(?:首先|最先|在所有其他工具之前)(?:被)?(?:调用|使用))/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'zh',
    re: /所有(?:邮件|电子邮件|消息|付款)都?必须(?:同时|也)?(?:发送|抄送|转发)(?:到|给)/g,
  },
  // ---- Russian
  {
    id: 'secret-request',
    weight: 0.5,
    lang: 'ru',
    re: /(?:прочитай|прочти|считай|включи|передай|отправь|вставь|приложи|укажи|предоставь|добавь|скопируй)[^.\n]{0,40}?(?:api[\s-]?ключ|ключ[аи]?\s+api|парол[ьия]|учетные\s+данные|учётные\s+данные|токен|закрытый\s+ключ|приватный\s+ключ|переменные\s+окружения|id_rsa|\.env|\.ssh)/g,
  },
  {
    id: 'conversation-capture',
    weight: 0.55,
    lang: 'ru',
    re: /(?:включи|передай|отправь|вставь|приложи|укажи|предоставь|добавь|скопируй)[^.\n]{0,30}?(?:истори[юяи]\s+(?:переписки|диалога|чата|разговора)|весь\s+(?:диалог|разговор|чат)|предыдущие\s+сообщения|системн(?:ый|ого)\s+(?:промпт|подсказк)|системные\s+инструкции)/g,
  },
  {
    id: 'param-sink',
    weight: 0.3,
    lang: 'ru',
    re: /(?:в\s+параметр|в\s+поле|в\s+аргумент|как\s+параметр)\s*[`'"«]?[a-z_][\w-]{0,40}/g,
  },
  {
    id: 'priority-claim',
    weight: 0.55,
    lang: 'ru',
    re: /(?:вызывай|вызови|используй)\s+(?:всегда\s+)?(?:этот|данный)\s+инструмент\s+(?:первым\s+)?(?:перед|прежде)\s+(?:любым|всеми|любых|всех)|(?:этот|данный)\s+инструмент\s+(?:должен|нужно)\s+(?:всегда\s+)?(?:вызывать(?:ся)?|использовать(?:ся)?)\s+(?:первым|перед\s+всеми)/g,
  },
  {
    // The text layer folds look-alike letters before matching, which can rewrite Russian words.
    id: 'secrecy',
    weight: 0.55,
    lang: 'ru',
    re: /не\s+(?:говори|сообщай|рассказывай|упоминай|показывай)\s+(?:об\s+этом\s+|этого\s+|ничего\s+)?(?:пользователю|никому|человеку)|никому\s+(?:об\s+этом\s+)?не\s+(?:сообщай|говори|рассказывай)|пользователь\s+не\s+должен\s+(?:знать|узнать)/g,
  },
  {
    id: 'global-redirect',
    weight: 0.6,
    lang: 'ru',
    re: /все\s+(?:письма|сообщения|платежи)\s+(?:должны|нужно)\s+(?:также\s+)?(?:отправля|пересыла|копирова)\S{0,10}\s+(?:на|в)\b/g,
  },
];

/**
 * Normal usage guidance that shares words with the attack families. A match over a signal lowers it:
 * "call `initialize` before this tool" names a prerequisite of THIS tool, which is ordinary.
 */
export const PREREQUISITE =
  /\b(?:call|use|run|invoke)\s+[`'"]?[a-z][\w.-]{1,60}[`'"]?\s+(?:tool\s+)?(?:first\s+)?(?:before|prior\s+to)\s+(?:using|calling|invoking)?\s*(?:this|it)\b|\bbefore\s+(?:using|calling)\s+this(?:\s+tool)?,?\s+(?:you\s+must\s+|first\s+)?(?:call|use|run)\b/g;

/** Words of a description that say the tool itself handles a kind of secret (a password manager). */
export const SECRET_PURPOSE =
  /\b(?:password|passwords|credential|credentials|secret|secrets|vault|keychain|keyring|api[\s_-]?keys?|tokens?|auth|authenticat\w*|login|sign[\s-]?in|oauth|ssh|gpg|pgp|encrypt\w*|decrypt\w*|kms)\b|(?<![\p{L}])(?:contrase[nñ]as?|credencial(?:es)?|secretos?|b[oó]veda|passw(?:o|ö)rt\w*|kennw(?:o|ö)rt\w*|zugangsdaten|geheimnis\w*|tresor|mots?\s+de\s+passe|identifiants|coffre-fort|парол\p{L}*|секрет\p{L}*|учётн\p{L}*\s+данн\p{L}*|учетн\p{L}*\s+данн\p{L}*|хранилищ\p{L}*\s+секрет\p{L}*)(?![\p{L}])|凭据|密码|密钥|秘钥|凭证|令牌/u;

/** Markers of tool-usage guidance in the reader's own words: documentation, not instructions to obey. */
export const USAGE_GUIDANCE =
  /\b(?:use\s+this\s+(?:tool\s+)?(?:when|to|for|if)|do\s+not\s+use\s+(?:this\s+)?(?:tool\s+)?(?:for|to|when|if)|returns?\b|example:|e\.g\.|parameters?:|args?:)/;
