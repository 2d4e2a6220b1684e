// The support agent on the OpenAI Agents SDK. The SDK traces in its own format; the agentrail
// bridge re-emits those traces as OpenTelemetry spans, which the audit exporter records.
import { randomBytes } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { Agent, Runner } from '@openai/agents-core';
import { registerAgentAudit } from '@agentrail/exporter';
import { onBehalfOf, withAgent, type AgentIdentity, type Principal } from '@agentrail/instrumentation';
import { installOpenAIAgentsTracing } from '@agentrail/instrumentation/openai-agents';
import { DEMO_TICKET, demoSupervisor, seedBackOffice, type Approver, type BackOffice, type Ticket } from '@agentrail/example-support-agent';
import { ScriptedSupportModel } from './model.js';
import { supportTools } from './tools.js';

export const OPENAI_SUPPORT_AGENT: AgentIdentity = {
  id: 'support-agent-oai',
  name: 'Support Agent (Agents SDK)',
  version: '1.0.0',
  owner: 'team-customer-care',
};

/** Key name of the log's signer, also the checkpoint origin. */
export const SIGNER_KEY_NAME = 'support-agent-oai';

export interface OpenAIAgentsSupportOptions {
  dataDir: string;
  /** OTLP/HTTP traces URL to forward to, `false` for none; default `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  forwardTo?: string | false;
  ticket?: Ticket;
  approver?: Approver;
  /** Seeded into a customer's internal notes; must never appear raw in the log. */
  secret?: string;
  log?: (line: string) => void;
}

export interface OpenAIAgentsSupportResult {
  traceId: string;
  answer: string;
  backOffice: BackOffice;
  dataDir: string;
  verifierKeyPath: string;
  forwardUrl: string | undefined;
  recorded: number;
}

export async function runOpenAIAgentsSupport(options: OpenAIAgentsSupportOptions): Promise<OpenAIAgentsSupportResult> {
  const ticket = options.ticket ?? DEMO_TICKET;
  const backOffice = seedBackOffice(options.secret ?? `sk_live_${randomBytes(12).toString('hex')}`);
  // The signing key is loaded from the data dir (created on first run); `ready` says where its verifier key is.
  const audit = registerAgentAudit({
    serviceName: 'support-agent-oai',
    keyName: SIGNER_KEY_NAME,
    serviceVersion: OPENAI_SUPPORT_AGENT.version,
    dataDir: options.dataDir,
    ...(options.forwardTo !== undefined ? { forwardTo: options.forwardTo } : {}),
    shutdownOnExit: false,
    ...(options.log ? { log: options.log } : {}),
  });
  // Replaces the SDK's default trace exporter (which uploads to OpenAI) with the OTel bridge.
  const bridge = installOpenAIAgentsTracing({ tracerProvider: audit.provider });
  try {
    const { verifierKeyPath } = await audit.ready;
    const agent = new Agent({
      name: 'Support',
      instructions: 'You are the support agent of a loom shop. Use the tools; never promise what policy forbids.',
      model: new ScriptedSupportModel(ticket),
      tools: supportTools(backOffice, options.approver ?? demoSupervisor),
    });
    const customer: Principal = { id: ticket.customerId, type: 'user', tenant: 'loom-shop' };
    const tracer = trace.getTracer('support-desk');
    const { traceId, answer } = await tracer.startActiveSpan(`ticket ${ticket.id}`, async (span) => {
      try {
        const result = await withAgent(OPENAI_SUPPORT_AGENT, () =>
          // The group id ties the ticket's runs together (it becomes gen_ai.conversation.id).
          onBehalfOf(customer, () => new Runner({ groupId: ticket.id }).run(agent, ticket.message)),
        );
        return { traceId: span.spanContext().traceId, answer: String(result.finalOutput ?? '') };
      } finally {
        span.end();
      }
    });
    await bridge.forceFlush();
    await audit.provider.forceFlush();
    return {
      traceId,
      answer,
      backOffice,
      dataDir: audit.dataDir,
      verifierKeyPath: verifierKeyPath!,
      forwardUrl: audit.forwardUrl,
      recorded: audit.exporter.stats.recorded,
    };
  } finally {
    await bridge.shutdown();
    await audit.shutdown();
  }
}
