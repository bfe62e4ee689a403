// Entry of an image worker thread. A worker does not inherit the tsx loader that bin/lpt.js
// registers in the main thread, so it registers its own before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../../../tsconfig.json', import.meta.url).pathname });
await import('./worker.ts');
