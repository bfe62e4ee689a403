/**
 * Every check rule, run in one walk by check(). Binding (unknown keywords, duplicates, extends,
 * drops, overrides) reports its own diagnostics before these run; budget assertions are checked
 * on the emitted plan (compiler/plan/budget_assertions.ts).
 */
import type { Rule } from '../context.ts';
import { AdapterWidthRule } from './adapter_width_rule.ts';
import { ArgumentRangesRule } from './argument_ranges_rule.ts';
import { ArgumentTypesRule } from './argument_types_rule.ts';
import { BackboneNotTrainedRule } from './backbone_not_trained_rule.ts';
import { ClassCountRule } from './class_count_rule.ts';
import { DataSplitsRule } from './data_splits_rule.ts';
import { DoubleRebalancingRule } from './double_rebalancing_rule.ts';
import { EvaluationRule } from './evaluation_rule.ts';
import { ExperimentCompleteRule } from './experiment_complete_rule.ts';
import { ExpertModulesRule } from './expert_modules_rule.ts';
import { FrozenNotTrainedRule } from './frozen_not_trained_rule.ts';
import { KnownArgumentsRule } from './known_arguments_rule.ts';
import { KnownCallsRule } from './known_calls_rule.ts';
import { KnownReferencesRule } from './known_references_rule.ts';
import { LayersWithinDepthRule } from './layers_within_depth_rule.ts';
import { LossExpressionRule } from './loss_expression_rule.ts';
import { MatchingNeedsPoolRule } from './matching_needs_pool_rule.ts';
import { MatchingSignRule } from './matching_sign_rule.ts';
import { MissingPathRule } from './missing_path_rule.ts';
import { ModelStructureRule } from './model_structure_rule.ts';
import { PhaseOrderRule } from './phase_order_rule.ts';
import { MicroBatchRule } from './micro_batch_rule.ts';
import { PhaseSplitRule } from './phase_split_rule.ts';
import { PhaseTrainsSomethingRule } from './phase_trains_something_rule.ts';
import { PipelineMatchesBackboneRule } from './pipeline_matches_backbone_rule.ts';
import { PipelineOrderRule } from './pipeline_order_rule.ts';
import { QueryIsSharedPromptRule } from './query_is_shared_prompt_rule.ts';
import { RequiredArgumentsRule } from './required_arguments_rule.ts';
import { ScorerCalibrationRule } from './scorer_calibration_rule.ts';
import { ScorerExpertsRule } from './scorer_experts_rule.ts';
import { ScorerLossRule } from './scorer_loss_rule.ts';
import { TextHeadProjectionRule } from './text_head_projection_rule.ts';
import { TextHeadSourceRule } from './text_head_source_rule.ts';
import { TopKWithinPoolRule } from './top_k_within_pool_rule.ts';
import { TrainedModuleUsedRule } from './trained_module_used_rule.ts';
import { UntrainedModuleRule } from './untrained_module_rule.ts';
import { UnusedModuleRule } from './unused_module_rule.ts';
import { VitShapeRule } from './vit_shape_rule.ts';

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
  TextHeadProjectionRule,
  UnusedModuleRule,
  UntrainedModuleRule,
  // Phases.
  ExperimentCompleteRule,
  PhaseTrainsSomethingRule,
  PhaseOrderRule,
  PhaseSplitRule,
  MicroBatchRule,
  ScorerCalibrationRule,
  FrozenNotTrainedRule,
  BackboneNotTrainedRule,
  TrainedModuleUsedRule,
  MatchingNeedsPoolRule,
  ScorerLossRule,
  MatchingSignRule,
  DoubleRebalancingRule,
  // Evaluation.
  EvaluationRule,
]);
