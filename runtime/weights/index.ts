/**
 * Weight import and export: the public surface. Containers (safetensors, .npy/.npz, the tfjs
 * format), naming schemes mapping checkpoints to the canonical names (naming/lpt.ts), and
 * architecture inference. Everything works on plain typed arrays; no TensorFlow.js here.
 */
export { WeightsError, isWeightsError, type WeightsErrorKind } from './errors.ts';
export { detectFormat, readWeightFile, saveWeights, type WeightFile } from './format.ts';
export { inferArchitecture, vitDefaults, type ArchitectureOverrides, type BackboneArchitecture } from './infer.ts';
export { loadBackboneWeights, saveBackboneWeights, type BackboneWeights, type LoadBackboneOptions } from './load.ts';
export { namingSchemes, toCanonical, type FilterResult, type NamingScheme } from './naming/index.ts';
export { encodeNpy, parseNpy, readNpy, writeNpy } from './npy.ts';
export { encodeNpz, parseNpz, readNpz, writeNpz } from './npz.ts';
export {
  encodeSafetensors,
  parseSafetensors,
  readSafetensors,
  writeSafetensors,
  type SafetensorsContents,
} from './safetensors.ts';
export { readTfjs, writeTfjs, type TfjsWriteOptions } from './tfjs.ts';
export type { Float32Tensor, FloatTensors, HostDType, HostTensor, NamedTensors } from './tensor.ts';
