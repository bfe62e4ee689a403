/** The --queue URL: parsed into connection options; the password only ever shown as ***. */
import test from 'ava';
import { QueueUrlError } from '../../../runtime/queue/errors.ts';
import { hidePassword, hideUrlPasswords, parseQueueUrl } from '../../../runtime/queue/queue_url.ts';

test('a plain URL and one with a password, a user and a database', (t) => {
  t.like(parseQueueUrl('redis://127.0.0.1:6390'), {
    host: '127.0.0.1',
    port: 6390,
    db: 0,
    tls: false,
    display: 'redis://127.0.0.1:6390',
  });
  const withPassword = parseQueueUrl('redis://:s3cret@gpu-head:6390/2');
  t.like(withPassword, {
    host: 'gpu-head',
    port: 6390,
    db: 2,
    password: 's3cret',
    display: 'redis://:***@gpu-head:6390/2',
  });
  t.like(parseQueueUrl('rediss://me:p%40ss@h'), {
    port: 6379,
    username: 'me',
    password: 'p@ss',
    tls: true,
    display: 'rediss://me:***@h',
  });
  t.is(hidePassword('AUTH s3cret failed', withPassword), 'AUTH *** failed');
});

test('bad URLs are errors that say what is expected and never show the password', (t) => {
  for (const [text, message] of [
    ['http://127.0.0.1:6390', /'http:\/\/127\.0\.0\.1:6390' is not a Redis URL/],
    ['127.0.0.1:6390', /'127\.0\.0\.1:6390' is not a URL/],
    ['redis://:s3cret@h:99999', /'redis:\/\/:\*\*\*@h:99999' is not a URL/],
    ['redis:/:s3cret@', /'redis:\/:\*\*\*@' names no host/],
    ['redis://:s3cret@h:1/x', /the database after the port must be a number/],
  ] as const) {
    const e = t.throws(() => parseQueueUrl(text), { instanceOf: QueueUrlError });
    t.regex(e!.message, message);
    t.regex(e!.message, /expected redis:\/\/\[:PASSWORD@\]HOST:PORT\[\/DB\]|must be a number/);
    t.false(e!.message.includes('s3cret'));
  }
});

test('command lines lose the passwords of every Redis URL in them', (t) => {
  t.is(
    hideUrlPasswords('bin/lpt.js run x.lpt --queue redis://:s3cret@h:6390 --json'),
    'bin/lpt.js run x.lpt --queue redis://:***@h:6390 --json',
  );
  t.is(hideUrlPasswords('--queue=rediss://me:pw@h'), '--queue=rediss://me:***@h');
  t.is(hideUrlPasswords('--queue redis://h:6390'), '--queue redis://h:6390');
});
