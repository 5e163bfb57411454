/**
 * The public surface of the LogQL language: parse and print queries, compile their parts, and run them
 * against a LogSource (log lines) and a SampleSource (agent metric samples). See docs/logql.md.
 */
export type * from './ast.js';
export { isCompareOp, isLogExpr } from './ast.js';

// Text ⇄ tree.
export { parseLogQL, parseStreamSelector, MAX_QUERY_LENGTH } from './parser.js';
export { printLogQL, printSelector } from './printer.js';
export { LogQLParseError, lineAndColumn } from './query-error.js';
export { MAX_NESTING_DEPTH } from './token-stream.js';
export { parseDuration, parseDurationNs, formatDuration } from './duration.js';

// Building blocks (the alert evaluator runs these incrementally).
export { compileLabelsMatcher, compileValueMatcher, type LabelsMatcher, type ValueMatcher } from './matchers.js';
export { RegexCache } from './regex.js';
export { Pipeline, type PipelineInput, type PipelineOutput } from './pipeline/pipeline.js';
export { LogSampleExtractor, type ExtractedSample } from './pipeline/sample-extractor.js';
export { ERROR_LABEL, ERROR_DETAILS_LABEL } from './pipeline/labels-builder.js';
export { RANGE_FUNCTIONS, isRangeFunction, type RangeFunctionInfo } from './metric/range-functions.js';
export { RangeAccumulator } from './metric/range-accumulator.js';
export { reduceWindow, quantile, type WindowStats } from './metric/window-stats.js';
export { aggregateVector, groupLabels } from './metric/vector-aggregation.js';
export { applyScalarOperation, filterByComparison } from './metric/binary-operation.js';
export { applyVectorOperation } from './metric/vector-matching.js';
export { labelsKey, sortLabels, type Sample } from './metric/sample.js';

// Running whole queries.
export { runLogQuery, type LogQueryParams, type StreamsResult } from './engine/log-query.js';
export { runRangeQuery, runInstantQuery, type RangeQueryParams, type InstantQueryParams, type MatrixResult, type VectorResult } from './engine/metric-query.js';
export { formatSampleValue } from './engine/format-sample-value.js';
export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './engine/query-context.js';
export { MAX_STEPS } from './engine/step-grid.js';
