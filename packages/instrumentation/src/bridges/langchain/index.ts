// LangChain.js through OpenInference's LangChain instrumentation. LangChain has no OpenTelemetry
// output of its own; OpenInference adds a callback handler that turns runs (chains, chat models,
// tools, retrievers) into spans with `openinference.span.kind`, `tool.name`, `input.value`, …,
// which the agentrail OpenInference adapter reads. In ESM there is no require hook to patch the
// module automatically, so the callback manager module is patched by hand here.
import type { TracerProvider } from '@opentelemetry/api';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';

export interface InstrumentLangChainOptions {
  /** Tracer provider for the spans. Default: the global one. */
  tracerProvider?: TracerProvider;
  /**
   * Hide inputs and outputs on the spans (OpenInference `hideInputs` / `hideOutputs`). Default
   * false: the agentrail pipeline keeps only salted commitments of tool inputs and outputs.
   */
  hideInputs?: boolean;
  hideOutputs?: boolean;
  /**
   * The `@langchain/core/callbacks/manager` module to patch. Default: the one this package
   * resolves; pass your own import when your app has its own copy of `@langchain/core`.
   */
  callbackManagerModule?: typeof CallbackManagerModule;
}

export interface LangChainInstrumentationHandle {
  readonly instrumentation: LangChainInstrumentation;
  /** Removes the patch; later LangChain runs produce no spans. */
  uninstrument(): void;
}

/**
 * Patches LangChain's callback manager so every run inside your process emits OpenInference spans.
 * Call once at startup, before building chains. Spans started inside `withAgent` / `onBehalfOf`
 * carry that identity when `AgentContextSpanProcessor` is installed (`registerAgentAudit` does).
 */
export function instrumentLangChain(options: InstrumentLangChainOptions = {}): LangChainInstrumentationHandle {
  const module = options.callbackManagerModule ?? CallbackManagerModule;
  const instrumentation = new LangChainInstrumentation({
    // No require hooks: the module is patched explicitly below (ESM has nothing to hook).
    instrumentationConfig: { enabled: false },
    traceConfig: { hideInputs: options.hideInputs ?? false, hideOutputs: options.hideOutputs ?? false },
    ...(options.tracerProvider ? { tracerProvider: options.tracerProvider } : {}),
  });
  instrumentation.manuallyInstrument(module);
  return {
    instrumentation,
    uninstrument() {
      // `unpatch` is the instrumentation's own inverse of `manuallyInstrument`; it is private in
      // its typings only.
      (instrumentation as unknown as { unpatch(m: typeof CallbackManagerModule): void }).unpatch(module);
    },
  };
}
