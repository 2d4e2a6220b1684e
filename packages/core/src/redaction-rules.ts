// The built-in secret formats, as data: one rule per format, with a stable id that records count
// removals by. Rule ids and formats follow the public catalogues of secret scanners (gitleaks,
// secretlint, GitHub secret scanning); the expressions are this project's own.
//
// Conventions: every pattern is global; when group 1 is present it is kept (a key name, a URL's
// user part), and only the rest of the match is replaced. `hint` is a cheap test that any string
// holding the secret passes: strings that pass no hint skip every pattern.

export interface SecretRule {
  /** Stable id, shown in the replacement (`[REDACTED:<id>]`) and counted in the record. */
  id: string;
  pattern: RegExp;
  /** Source of a regular expression (case-sensitive) every match contains. */
  hint: string;
  /** Extra check on the replaced part of a match (e.g. Luhn); false keeps the text. */
  validate?: (secret: string) => boolean;
}

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Issuer prefixes of the major card networks: a digit run that passes Luhn but starts otherwise
// (a nanosecond timestamp, an order number) is not a card.
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6011|65|64[4-9]|35)/;

function isCardNumber(s: string): boolean {
  const digits = s.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhn(digits);
}

function isBasicCredential(s: string): boolean {
  // "Basic <base64 of user:password>": only a value that decodes to a pair is a credential
  const text = Buffer.from(s, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(text);
}

// A URL's "password" that is really a port followed by a path ("host:8080/x?to=a@b") is not one.
function isUrlPassword(s: string): boolean {
  return !/^\d{1,5}(?:[/?#]|$)/.test(s);
}

const HIGH_ENTROPY_BITS = 3;
function isHighEntropy(s: string): boolean {
  return shannonEntropy(s) >= HIGH_ENTROPY_BITS;
}

// Not the marker of an earlier rule: "(?!\[REDACTED)" after a kept prefix.
const NOT_MARKER = '(?!\\[REDACTED)';
// An optional quote after a key name, escaped when the text is JSON inside a JSON string.
const QUOTE = `(?:\\\\?["'])?`;
const CI = (word: string): string => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');

const PASSWORD_WORD = `(?:${CI('password')}|${CI('passwd')}|${CI('passphrase')}|${CI('pwd')})`;
const SECRET_WORD = `(?:${CI('secret')}|${CI('token')}|${CI('api')}[_-]?${CI('key')}|${CI('apikey')}|${CI('access')}[_-]?${CI('key')}|${CI('auth')}[_-]?${CI('key')}|${CI('private')}[_-]?${CI('key')}|${CI('credential')}|${CI('signing')}[_-]?${CI('key')})`;

/** Built-in rules, in the order they run: specific provider formats before generic ones. */
export const BUILTIN_SECRET_RULES: readonly SecretRule[] = [
  { id: 'private_key', hint: '-----BEGIN', pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  { id: 'age_secret_key', hint: 'AGE-SECRET-KEY-', pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/g },
  { id: 'anthropic_key', hint: 'sk-ant-', pattern: /sk-ant-[A-Za-z0-9_-]{16,}/g },
  { id: 'openai_key', hint: 'sk-', pattern: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { id: 'stripe_key', hint: '_live_|_test_', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { id: 'stripe_webhook_secret', hint: 'whsec_', pattern: /whsec_[A-Za-z0-9+/=]{24,}/g },
  { id: 'aws_access_key', hint: 'AKIA|ASIA|ABIA|ACCA|A3T', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
  {
    id: 'aws_secret_key', hint: '[aA][wW][sS]',
    pattern: new RegExp(`(${CI('aws')}[A-Za-z0-9_.-]{0,30}${CI('secret')}[A-Za-z0-9_.-]{0,30}${QUOTE}\\s*[:=]\\s*(?:${QUOTE})?)${NOT_MARKER}[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])`, 'g'),
  },
  { id: 'github_token', hint: 'gh[pousr]_|github_pat_', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { id: 'gitlab_token', hint: 'gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-', pattern: /\bgl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-[A-Za-z0-9_-]{20,}/g },
  { id: 'slack_token', hint: 'xox|xapp-', pattern: /\b(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{20,})/g },
  { id: 'slack_webhook', hint: 'hooks\\.slack\\.com', pattern: /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9+/_-]{16,}/g },
  { id: 'discord_webhook', hint: 'discord', pattern: /(https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/)\d+\/[A-Za-z0-9_-]{20,}/g },
  { id: 'teams_webhook', hint: 'webhook\\.office\\.com|logic\\.azure\\.com', pattern: /(https:\/\/[A-Za-z0-9.-]*(?:webhook\.office\.com\/webhookb2|logic\.azure\.com(?::443)?\/workflows)\/)[^\s"'<>]+/g },
  { id: 'google_api_key', hint: 'AIza', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { id: 'google_oauth_secret', hint: 'GOCSPX-', pattern: /GOCSPX-[A-Za-z0-9_-]{28}/g },
  { id: 'azure_ad_client_secret', hint: 'Q~', pattern: /\b[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/g },
  {
    id: 'azure_connection_key', hint: '[kK][eE][yY]\\s*=|[sS][iI][gG][nN][aA][tT][uU][rR][eE]\\s*=',
    pattern: new RegExp(`(\\b(?:${CI('AccountKey')}|${CI('SharedAccessKey')}|${CI('SharedAccessSignature')})\\s*=\\s*)${NOT_MARKER}[^;\\s"'<>]+`, 'g'),
  },
  { id: 'npm_token', hint: 'npm_', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'npm_auth_token', hint: '_auth', pattern: new RegExp(`(_auth(?:Token)?\\s*=\\s*)${NOT_MARKER}[^\\s"'<>]+`, 'g') },
  { id: 'pypi_token', hint: 'pypi-', pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,}/g },
  { id: 'dockerhub_token', hint: 'dckr_', pattern: /\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{24,}/g },
  { id: 'huggingface_token', hint: 'hf_', pattern: /\bhf_[A-Za-z]{34}\b/g },
  { id: 'sendgrid_key', hint: 'SG\\.', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { id: 'twilio_key', hint: 'SK', pattern: /\bSK[0-9a-fA-F]{32}\b/g },
  { id: 'shopify_token', hint: 'shp', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { id: 'digitalocean_token', hint: 'do[opr]_v1_', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { id: 'linear_key', hint: 'lin_api_', pattern: /\blin_api_[A-Za-z0-9]{40}\b/g },
  { id: 'mailgun_key', hint: 'key-', pattern: /\bkey-[0-9a-f]{32}\b/g },
  { id: 'telegram_bot_token', hint: ':AA', pattern: /(?<!\d)\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g },
  { id: 'jwt', hint: 'eyJ', pattern: /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  // "Bearer <token>" in any case; a token of only lowercase letters is prose ("the bearer of news")
  { id: 'bearer_token', hint: `${CI('bearer')}\\s`, pattern: new RegExp(`(\\b${CI('bearer')}\\s+)${NOT_MARKER}(?=[a-z]*[A-Z0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}`, 'g') },
  { id: 'basic_auth', hint: `${CI('basic')}\\s`, pattern: new RegExp(`(\\b${CI('basic')}\\s+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])`, 'g'), validate: isBasicCredential },
  // scheme://user:password@host: the password may hold '/' or '@'; the last '@' before a host ends it
  {
    id: 'url_password', hint: ':\\/\\/',
    pattern: /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#"'<>]*:)(?!\[REDACTED)([^\s"'<>]{1,256}?)(?=@[A-Za-z0-9._-]+(?::\d+)?(?:[/?#\s"'<>,;)]|$))/g,
    validate: isUrlPassword,
  },
  {
    id: 'query_secret', hint: '[?&][A-Za-z_-]+=',
    pattern: new RegExp(`([?&](?:${CI('api')}[_-]?${CI('key')}|${CI('apikey')}|${CI('key')}|${CI('access')}[_-]?${CI('token')}|${CI('refresh')}[_-]?${CI('token')}|${CI('auth')}[_-]?${CI('token')}|${CI('token')}|${CI('secret')}|${CI('client')}[_-]?${CI('secret')}|${PASSWORD_WORD}|${CI('sig')}|${CI('signature')}|${CI('code')}|${CI('X-Amz-Signature')}|${CI('X-Amz-Credential')}|${CI('X-Amz-Security-Token')})=)${NOT_MARKER}[^&#;\\s"'<>]+`, 'g'),
  },
  // e-mail address with its password: "alice@example.com:hunter2" (not a port)
  { id: 'email_password', hint: '@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}[:|]', pattern: /(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}[:|])(?!\[REDACTED)(?!\d{1,5}\b)[^\s:|,;"'<>]{4,}/g },
  // Password=..., PWD=... (ODBC / ADO.NET / JDBC / env), "password": "..." (JSON, YAML)
  {
    id: 'password_assignment', hint: '[pP][aA][sS][sS]|[pP][wW][dD]',
    // the value may be quoted, or quoted inside JSON that is itself a string (\"...\")
    pattern: new RegExp(`(\\b${PASSWORD_WORD}${QUOTE}\\s*[:=]\\s*(?:${QUOTE})?)${NOT_MARKER}(?:(?<=\\\\")(?:[^"\\\\\\n]|\\\\[^"])+|(?<=")[^"\\n]+|(?<=')[^'\\n]+|\\{[^}\\n]*\\}|[^\\s"'\\\\;&<>,}]+)`, 'g'),
  },
  { id: 'card_number', hint: '\\d{4}[ -]?\\d{4}', pattern: /(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d.])/g, validate: isCardNumber },
  // a high-entropy token right after a secret-like key name: "client_secret: 8f3c..."
  {
    id: 'secret_assignment', hint: '[sS][eE][cC][rR][eE][tT]|[tT][oO][kK][eE][nN]|[kK][eE][yY]|[cC][rR][eE][dD]',
    pattern: new RegExp(`(${SECRET_WORD}[A-Za-z0-9_.-]{0,20}${QUOTE}\\s*[:=]\\s*(?:${QUOTE})?)${NOT_MARKER}([A-Za-z0-9+/_.~=-]{16,})`, 'g'),
    validate: isHighEntropy,
  },
];
