// One real tracer provider per test file: AsyncLocalStorage context, the identity processor and
// an in-memory exporter behind a SimpleSpanProcessor.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AgentContextSpanProcessor } from '../src/index.js';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  close(): Promise<void>;
}

export function setupTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new AgentContextSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  const cm = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(cm);
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    async close() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
