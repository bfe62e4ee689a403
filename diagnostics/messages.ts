/**
 * Every diagnostic lpt can emit, as data (TypeScript's diagnosticMessages.json). Codes by stage:
 * 10xx lexical, 11xx syntax, 2xxx check, 3xxx plan schema, 4xxx internal, 5xxx runtime support.
 * Tests and docs refer to the code, never to the wording. `{0}`, `{1}`, ... are filled by
 * `formatMessage`; a placeholder without an argument is a bug in the caller (InternalError).
 */
import type { Severity } from './diagnostic.ts';

export interface Message {
  readonly code: number;
  readonly severity: Severity;
  readonly text: string;
}

function error(code: number, text: string): Message {
  return { code, severity: 'error', text };
}
function warning(code: number, text: string): Message {
  return { code, severity: 'warning', text };
}

export const Messages = {
  // Lexical (10xx) and syntax (11xx) errors, reported by grammar/parse.ts.
  UnexpectedCharacter: error(1001, "Unexpected character '{0}'."),
  UnterminatedString: error(1002, "Unterminated string: add a closing '\"' before the end of the line."),
  UnknownEscape: error(1003, "Unknown escape '\\{0}' in a string; use \\\", \\\\, \\n or \\t."),
  UnknownNumberUnit: error(1004, "Unknown unit '{0}' after the number {1}; use k, M, G or %."),
  UnterminatedComment: error(1005, "Unterminated block comment: add '*/' to close it."),
  NestingTooDeep: error(1006, 'Brackets are nested more than {0} levels deep here; the rest of the file is not read.'),
  ExpectedToken: error(1101, 'Expected {0} but found {1}.'),
  UnclosedBlock: error(1102, "Expected '}' to close the block '{0}' opened at line {1}, but found {2}."),
  UnclosedBracket: error(1103, "Expected '{0}' to close the '{1}' opened at line {2}, but found {3}."),
  ExpectedStatement: error(1104, 'Expected a statement but found {0}.'),
  ExpectedStatementOrClose: error(1105, "Expected a statement or '}' but found {0}."),
  ExpectedValue: error(1106, 'Expected a value but found {0}.'),
  UnmatchedCloser: error(1107, "Unexpected '{0}': there is no open '{1}' to close."),
  UnexpectedToken: error(1108, 'Unexpected {0}.'),
  ReservedWord: error(1109, "'{0}' is a reserved connector (of, after, extends, on) and cannot be used as a name."),

  // Names, keywords and statement shapes.
  UnknownKeyword: error(2001, "Unknown keyword '{0}' in {1}.{2}"),
  UnknownCallee: error(2002, "Unknown {0} '{1}'.{2}"),
  UnknownArgument: error(2003, "Unknown argument '{0}' of {1}().{2}"),
  ArgumentType: error(2004, "Expected {0} for '{1}', got {2}."),
  ValueOutOfRange: error(2005, "'{0}' must be {1}; got {2}."),
  MissingArgument: error(2006, "{0}() needs the argument '{1}'."),
  DuplicateArgument: error(2007, "Argument '{0}' is given twice."),
  DuplicateName: error(2008, "Duplicate {0} '{1}'."),
  UnknownName: error(2009, "Unknown {0} '{1}'.{2}"),
  WrongKindOfName: error(2010, "'{0}' is a {1}, but a {2} is expected here."),
  ImportNotFound: error(2011, "Cannot find the imported file '{0}'."),
  ImportNotAtTop: error(2012, 'Imports are only allowed at the top of a file, outside blocks.'),
  MisplacedStatement: error(2013, "'{0}' cannot appear in {1}; it belongs in {2}."),
  WrongStatementShape: error(2014, "'{0}' is written as {1}, e.g. {2}"),
  ExtendsCycle: error(2015, "'{0}' extends itself through {1}."),
  TooManyArguments: error(2016, '{0}() takes at most {1} positional argument(s).'),
  ExpectedSimpleName: error(2017, "Expected a plain name here, not the dotted name '{0}'."),
  MissingName: error(2018, "'{0}' needs a name, e.g. {1}"),
  InvalidChoice: error(2019, "'{0}' is not a valid value for '{1}'; expected one of {2}.{3}"),

  // Model domain checks.
  TopKExceedsPool: error(2020, 'top {0} exceeds the pool size {1}.'),
  LayersOutOfDepth: error(2021, "Layer {0} is outside the backbone '{1}' (depth {2}: layers 1..{2})."),
  PhaseTrainsNothing: error(2022, "Phase '{0}' trains nothing: add `train MODULE, ...`."),
  TrainsFrozenModule: error(2023, "'{0}' is frozen here ({1}) but listed as trained."),
  TrainsBackbone: error(2024, "'{0}' is a backbone; backbone weights stay frozen in every phase."),
  PhaseAfterMissing: error(2025, "Phase '{0}' runs after '{1}', which is not a phase of this experiment.{2}"),
  PhaseCycle: error(2026, 'Phases form a cycle: {0}.'),
  DropLeavesDependent: error(2027, "Dropping '{0}' leaves phase '{1}' after a missing phase."),
  MatchingWithoutPool: error(2028, "The matching loss needs a prompt pool with keys, but phase '{0}' uses none."),
  DoubleRebalancing: warning(
    2029,
    'Re-balancing twice: the {0} sampler and the {1} loss both correct for the long tail.',
  ),
  BudgetExceeded: error(2030, '{0} = {1} breaks the budget {2}.'),
  DimNotDivisibleByHeads: error(2031, 'dim {0} is not divisible by heads {1}.'),
  ImageNotDivisibleByPatch: error(2032, 'image {0} is not divisible by patch {1}.'),
  QueryNotSharedPrompt: error(2033, "The query '{0}' must be a deep prompt on the same backbone '{1}'."),
  MissingPath: warning(2034, "{0} '{1}' does not exist (yet); `lpt run` will need it."),
  UnknownOverrideTarget: error(2035, "Cannot override '{0}': {1}{2}"),
  InvalidLossExpression: error(2036, 'Invalid loss expression: {0}.'),
  ModuleNotInModel: error(2037, "'{0}' is trained in phase '{1}' but no expert uses it."),
  ImageSizeMismatch: error(2038, "Split '{0}' yields {1}x{1} images but backbone '{2}' expects {3}x{3}."),
  ChannelMismatch: error(2039, "Split '{0}' yields {1}-channel images but backbone '{2}' takes {3}."),
  ScorerLoss: error(
    2091,
    "The loss '{0}' does not fit phase '{1}', which trains the scorer: {2}; use balanced_softmax, logit_adjust, ce or focal.",
  ),
  GreyNeedsToRgb: error(
    2090,
    "Split '{0}' yields grey (1-channel) images but backbone '{1}' takes 3 channels: add `| to_rgb` after the source.",
  ),
  ClassCountUnknown: error(
    2040,
    "The number of classes cannot be known from '{0}' while its files are missing: add `classes N` to the experiment.",
  ),
  ModelUndetermined: error(2041, '{0}'),
  MissingTrainSplit: error(2042, 'The experiment needs a `train` split in its data block.'),
  MatchingPositiveWeight: warning(
    2044,
    'The matching term is a similarity; it is usually subtracted (`- 0.5 * matching`).',
  ),
  EmptyAblation: warning(2045, "Ablation '{0}' has no variants."),
  ShotBoundsOverlap: error(2046, 'The few-shot bound {0} overlaps the many-shot bound {1}.'),
  VaryNeedsList: error(2047, 'vary takes a list of values, e.g. [1, 2, 3].'),
  PipelineOrder: error(2048, '{0}'),
  TestSplitSubsampled: warning(2049, "Split '{0}' is long-tail subsampled; test sets are usually balanced."),
  AdapterTooWide: warning(2050, 'Adapter bottleneck {0} is not smaller than the backbone width {1}.'),
  ExpertBackboneMismatch: error(2051, "'{0}' is attached to '{1}', but expert '{2}' runs on '{3}'."),
  ScorerNeedsExperts: error(2052, 'A scorer combines at least two experts; got {0}.'),
  ClassesMismatch: error(2053, "`classes {0}` contradicts split '{1}', which has {2} classes."),
  UnusedModule: warning(2054, "'{0}' is declared but no expert uses it."),
  DuplicateVariant: error(2055, "Duplicate variant '{0}' in ablation '{1}'."),
  DropUnknown: error(2056, "Cannot drop '{0}': no phase, module, split or evaluation has that name.{1}"),
  PercentNotAllowed: error(2057, "'{0}' does not take a percentage."),
  PercentRequired: error(2058, "'{0}' is a share: write it as a percentage, e.g. <=1.5%."),
  NoEvaluation: warning(2059, "Experiment '{0}' has no evaluate block; nothing will be measured."),
  RangeReversed: error(2060, 'The range {0}..{1} runs backwards.'),
  FileNotFound: error(2061, "Cannot read '{0}'."),
  UntrainedModule: warning(
    2062,
    "'{0}' is part of expert '{1}' but no phase trains it; it stays at its initialisation.",
  ),
  TextHeadSource: error(2070, "Text head '{0}' {1}."),
  TextTemplateHole: error(2071, 'The template {0} must contain exactly one {} for the class name (found {1}).'),
  HoldoutSplit: error(2073, '{0}'),
  PhaseSplit: error(2074, "Phase '{0}' trains on the split '{1}', {2}"),
  ScorerCalibration: error(2075, '{0}'),
  TextHeadProjection: error(2080, "Text head '{0}' {1}."),
  MicroBatchExceedsBatch: error(
    2076,
    "Phase '{0}' has micro_batch {1}, larger than its batch {2}: a micro-batch is a slice of the batch.",
  ),
  TextEncoderWithoutWeights: error(
    2072,
    "Backbone '{0}' has no weights file, so it has no text tower to encode the class names: give it `weights:` or give the head `encoder_weights:`.",
  ),

  // Plan schema and internal failures.
  PlanSchemaViolation: error(3001, 'The emitted plan is invalid at {0}: {1} (compiler bug).'),
  InternalError: error(4001, 'Internal compiler error: {0}'),

  // What the runtime cannot run (yet), from runtime/supports.ts.
  UnsupportedByRuntime: error(5001, "{0} '{1}': {2}; `lpt run` cannot run this plan."),
} as const satisfies Record<string, Message>;

export type MessageName = keyof typeof Messages;

/** Texts of related notes; they point at a second place and carry no code of their own. */
export const Notes = {
  BlockOpensHere: { text: "the block '{0}' opens here" },
  BracketOpensHere: { text: "the '{0}' opens here" },
} as const satisfies Record<string, { readonly text: string }>;

/** A broken assumption inside lpt (not bad user input): the CLI reports it as an internal error. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/**
 * Fills `{0}`, `{1}`, ... in a message or note. Every placeholder needs an argument (pass '' for
 * an empty did-you-mean): a missing one is a caller's bug and throws InternalError, never a
 * message with a hole or a literal `{2}` in it.
 */
export function formatMessage(message: { readonly text: string }, args: readonly (string | number)[] = []): string {
  return message.text.replace(/\{(\d+)\}/g, (_, i: string) => {
    const arg = args[Number(i)];
    if (arg === undefined)
      throw new InternalError(`message "${message.text}" needs argument {${i}}, got ${args.length} argument(s)`);
    return String(arg);
  });
}

/** Every message, for the docs and the one-fixture-per-code test. */
export function allMessages(): readonly (Message & { readonly name: string })[] {
  return Object.entries(Messages).map(([name, m]) => ({ name, ...m }));
}
