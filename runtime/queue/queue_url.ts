/**
 * The `--queue` URL: redis://[[USER]:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS). Parsed once at
 * the command line's edge into connection options and a display form with the password replaced
 * by *** (redis://:***@host:6390), the only form that is ever printed or written to a file.
 */
import { QueueUrlError } from './errors.ts';

export interface QueueUrl {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The URL with the password replaced by ***: safe to print and to write into run files. */
  readonly display: string;
}

export { QueueUrlError };

const FORM = 'redis://[:PASSWORD@]HOST:PORT[/DB]';

export function parseQueueUrl(text: string): QueueUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue: '${redactText(text)}' is not a URL; expected ${FORM}`);
  }
  const shown = redactUrl(url);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new QueueUrlError(
      `--queue: '${shown}' is not a Redis URL (${url.protocol.slice(0, -1)}://); expected ${FORM}`,
    );
  if (url.hostname === '') throw new QueueUrlError(`--queue: '${redactText(text)}' names no host; expected ${FORM}`);
  if (url.search !== '' || url.hash !== '')
    throw new QueueUrlError(`--queue: '${shown}': query strings and fragments are not understood; expected ${FORM}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isSafeInteger(db))
    throw new QueueUrlError(`--queue: '${shown}': the database after the port must be a number (/0, /1, ...)`);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    ...(username !== '' ? { username } : {}),
    ...(password !== '' ? { password } : {}),
    tls: url.protocol === 'rediss:',
    display: shown,
  };
}

function redactUrl(url: URL): string {
  if (url.password === '') return url.href.replace(/\/$/, '');
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/** A text that is not a well-formed URL may still hold a password: hide whatever sits between a ':' and an '@'. */
function redactText(text: string): string {
  return text.replace(/:[^:@/]*@/g, ':***@');
}

/** `text` with the URL's password (and its URL-encoded form) replaced by ***: for messages from libraries. */
export function hidePassword(text: string, url: QueueUrl): string {
  if (url.password === undefined) return text;
  return text.split(url.password).join('***').split(encodeURIComponent(url.password)).join('***');
}

/** `text` (a command line, say) with the password of every redis:// or rediss:// URL in it replaced by ***. */
export function hideUrlPasswords(text: string): string {
  return text.replace(/(rediss?:\/\/[^:@/\s]*:)[^@/\s]*@/g, '$1***@');
}
