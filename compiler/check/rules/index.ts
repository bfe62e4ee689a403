/**
 * Every check rule, run in one walk by check(). Binding (unknown keywords, duplicates, extends,
 * drops, overrides) reports its own diagnostics before these run; budget assertions are checked
 * on the emitted plan (plan/budgetAssertions.ts).
 */
import type { Rule } from '../context.ts';
import { AdapterWidthRule } from './AdapterWidthRule.ts';
import { ArgumentRangesRule } from './ArgumentRangesRule.ts';
import { ArgumentTypesRule } from './ArgumentTypesRule.ts';
import { BackboneNotTrainedRule } from './BackboneNotTrainedRule.ts';
import { ClassCountRule } from './ClassCountRule.ts';
import { DataSplitsRule } from './DataSplitsRule.ts';
import { DoubleRebalancingRule } from './DoubleRebalancingRule.ts';
import { EvaluationRule } from './EvaluationRule.ts';
import { ExperimentCompleteRule } from './ExperimentCompleteRule.ts';
import { ExpertModulesRule } from './ExpertModulesRule.ts';
import { FrozenNotTrainedRule } from './FrozenNotTrainedRule.ts';
import { KnownArgumentsRule } from './KnownArgumentsRule.ts';
import { KnownCallsRule } from './KnownCallsRule.ts';
import { KnownReferencesRule } from './KnownReferencesRule.ts';
import { LayersWithinDepthRule } from './LayersWithinDepthRule.ts';
import { LossExpressionRule } from './LossExpressionRule.ts';
import { MatchingNeedsPoolRule } from './MatchingNeedsPoolRule.ts';
import { MatchingSignRule } from './MatchingSignRule.ts';
import { MissingPathRule } from './MissingPathRule.ts';
import { ModelStructureRule } from './ModelStructureRule.ts';
import { PhaseOrderRule } from './PhaseOrderRule.ts';
import { PhaseSplitRule } from './PhaseSplitRule.ts';
import { PhaseTrainsSomethingRule } from './PhaseTrainsSomethingRule.ts';
import { PipelineMatchesBackboneRule } from './PipelineMatchesBackboneRule.ts';
import { PipelineOrderRule } from './PipelineOrderRule.ts';
import { QueryIsSharedPromptRule } from './QueryIsSharedPromptRule.ts';
import { RequiredArgumentsRule } from './RequiredArgumentsRule.ts';
import { ScorerCalibrationRule } from './ScorerCalibrationRule.ts';
import { ScorerExpertsRule } from './ScorerExpertsRule.ts';
import { TextHeadSourceRule } from './TextHeadSourceRule.ts';
import { TopKWithinPoolRule } from './TopKWithinPoolRule.ts';
import { TrainedModuleUsedRule } from './TrainedModuleUsedRule.ts';
import { UntrainedModuleRule } from './UntrainedModuleRule.ts';
import { UnusedModuleRule } from './UnusedModuleRule.ts';
import { VitShapeRule } from './VitShapeRule.ts';

export const allRules: readonly Rule[] = Object.freeze([
  // Values against the spec.
  KnownCallsRule,
  KnownArgumentsRule,
  ArgumentTypesRule,
  ArgumentRangesRule,
  RequiredArgumentsRule,
  LossExpressionRule,
  KnownReferencesRule,
  // Data.
  DataSplitsRule,
  PipelineOrderRule,
  PipelineMatchesBackboneRule,
  ClassCountRule,
  MissingPathRule,
  // Model.
  ModelStructureRule,
  VitShapeRule,
  TopKWithinPoolRule,
  LayersWithinDepthRule,
  QueryIsSharedPromptRule,
  AdapterWidthRule,
  ExpertModulesRule,
  ScorerExpertsRule,
  TextHeadSourceRule,
  UnusedModuleRule,
  UntrainedModuleRule,
  // Phases.
  ExperimentCompleteRule,
  PhaseTrainsSomethingRule,
  PhaseOrderRule,
  PhaseSplitRule,
  ScorerCalibrationRule,
  FrozenNotTrainedRule,
  BackboneNotTrainedRule,
  TrainedModuleUsedRule,
  MatchingNeedsPoolRule,
  MatchingSignRule,
  DoubleRebalancingRule,
  // Evaluation.
  EvaluationRule,
]);
