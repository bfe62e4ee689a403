/** `lpt lsp`: only the stdio transport exists; without --stdio it is bad usage (the server itself: test/lsp/). */
import test from 'ava';
import { resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

test('lsp without --stdio is bad usage and names the option', async (t) => {
  const io = recordingIO(resolve(import.meta.dirname, '../../..'));
  t.is(await main(['lsp'], io), 2);
  t.regex(io.err.join(''), /needs --stdio[\s\S]*usage: lpt lsp --stdio/);
});
