/** Importing a backend package by name, and telling a package that is not installed from one that fails to load. */
/** Imports a module by specifier; injected so tests can pretend packages are (not) installed. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

export const defaultLoader: ModuleLoader = (specifier) => import(specifier);

/** True when `error` says that `specifier` itself cannot be found (not one of its dependencies). */
export function isNotInstalled(error: unknown, specifier: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`);
}
