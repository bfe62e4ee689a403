#!/usr/bin/env node
// The `lpt` command: loads the TypeScript CLI through tsx's loader (no build step needed). The
// project's tsconfig is named explicitly: tsx would otherwise look in the user's directory and
// compile the UI's JSX with the wrong runtime.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
