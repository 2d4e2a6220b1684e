// One-call setup: route the Agents SDK's traces into OpenTelemetry.
import { addTraceProcessor, setTraceProcessors, setTracingDisabled } from '@openai/agents-core';
import { OpenAIAgentsOtelProcessor, type OpenAIAgentsOtelProcessorOptions } from './processor.js';

export interface InstallOpenAIAgentsTracingOptions extends OpenAIAgentsOtelProcessorOptions {
  /**
   * Keep the SDK's other trace processors (by default its exporter that uploads traces to
   * OpenAI). Default false: audit data stays in your OpenTelemetry pipeline.
   */
  keepExistingProcessors?: boolean;
}

/**
 * Registers an `OpenAIAgentsOtelProcessor` on the SDK's global trace provider and turns the SDK's
 * tracing on (it is off when `NODE_ENV=test` or `OPENAI_AGENTS_DISABLE_TRACING` is set, which
 * would silently leave the audit log empty). Returns the processor.
 */
export function installOpenAIAgentsTracing(options: InstallOpenAIAgentsTracingOptions = {}): OpenAIAgentsOtelProcessor {
  const { keepExistingProcessors = false, ...processorOptions } = options;
  const processor = new OpenAIAgentsOtelProcessor(processorOptions);
  if (keepExistingProcessors) addTraceProcessor(processor);
  else setTraceProcessors([processor]);
  setTracingDisabled(false);
  return processor;
}
