// The support agent: the Vercel AI SDK tool loop, run as a known agent on behalf of the customer,
// with every span recorded in a signed agentrail audit log (and optionally forwarded to Jaeger).
import { randomBytes } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { generateText, stepCountIs } from 'ai';
import { registerAgentAudit } from '@agentrail/exporter';
import { onBehalfOf, withAgent, type AgentIdentity, type Principal } from '@agentrail/instrumentation';
import { aiSdkTelemetry } from '@agentrail/instrumentation/ai-sdk';
import { seedBackOffice, type BackOffice } from './crm.js';
import { scriptedSupportModel, type Ticket } from './model.js';
import { demoSupervisor, type Approver } from './policy.js';
import { supportTools } from './tools.js';

export const SUPPORT_AGENT: AgentIdentity = {
  id: 'support-agent',
  name: 'Support Agent',
  version: '1.0.0',
  owner: 'team-customer-care',
};

export const DEMO_TICKET: Ticket = {
  id: 'T-1042',
  customerId: 'cus_1042',
  orderId: 'ord_7731',
  message: 'My loom (order ord_7731) arrived damaged. Please refund me and confirm by email.',
};

export interface SupportAgentOptions {
  /** Where the audit log and its keys live (`<dataDir>/log`, `<dataDir>/support-agent.key` / `.vkey`). */
  dataDir: string;
  /**
   * OTLP/HTTP traces URL to forward spans to (e.g. Jaeger's `http://localhost:4318/v1/traces`),
   * `false` for none. Default: `OTEL_EXPORTER_OTLP_ENDPOINT` if set, else none.
   */
  forwardTo?: string | false;
  /** The ticket to work on (default: the damaged-loom ticket). */
  ticket?: Ticket;
  /** Reviews high-risk calls (default: a supervisor who approves). */
  approver?: Approver;
  /** Seeded into a customer's internal notes; must never appear raw in the log. Default: random. */
  secret?: string;
  /** One-time notices from the audit setup (default: stderr). */
  log?: (line: string) => void;
}

export interface SupportAgentResult {
  /** The OpenTelemetry trace id of this ticket's run (`agentrail log --trace <id>`). */
  traceId: string;
  answer: string;
  toolCalls: { toolName: string; toolCallId: string; input: unknown; error?: string }[];
  backOffice: BackOffice;
  dataDir: string;
  /** The verifier key file: what an auditor needs to check the log (`agentrail verify --vkey`). */
  verifierKeyPath: string;
  forwardUrl: string | undefined;
  recorded: number;
}

/** Key name of the log's signer, also the checkpoint origin. */
export const SIGNER_KEY_NAME = 'support-agent';

/** Works one ticket end to end and returns once every record is durable and the log is checkpointed. */
export async function runSupportAgent(options: SupportAgentOptions): Promise<SupportAgentResult> {
  const ticket = options.ticket ?? DEMO_TICKET;
  const backOffice = seedBackOffice(options.secret ?? `sk_live_${randomBytes(12).toString('hex')}`);
  // registerAgentAudit loads the signing key from the data dir (creating it on first run, with a
  // notice through `log`); `ready` says where its verifier key is.
  const audit = registerAgentAudit({
    serviceName: 'support-agent',
    keyName: SIGNER_KEY_NAME,
    serviceVersion: SUPPORT_AGENT.version,
    dataDir: options.dataDir,
    ...(options.forwardTo !== undefined ? { forwardTo: options.forwardTo } : {}),
    shutdownOnExit: false,
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    const { verifierKeyPath } = await audit.ready;
    const customer: Principal = { id: ticket.customerId, type: 'user', tenant: 'loom-shop' };
    const tracer = trace.getTracer('support-desk');
    // One root span per ticket so the whole run is one trace; it carries no identity and is
    // not itself an agent action.
    const { traceId, result } = await tracer.startActiveSpan(`ticket ${ticket.id}`, async (span) => {
      try {
        const result = await withAgent(SUPPORT_AGENT, () =>
          onBehalfOf(customer, () =>
            generateText({
              model: scriptedSupportModel(ticket),
              system: 'You are the support agent of a loom shop. Use the tools; never promise what policy forbids.',
              prompt: ticket.message,
              tools: supportTools(backOffice, options.approver ?? demoSupervisor),
              stopWhen: stepCountIs(8),
              experimental_telemetry: aiSdkTelemetry({ conversationId: ticket.id }),
            }),
          ),
        );
        return { traceId: span.spanContext().traceId, result };
      } finally {
        span.end();
      }
    });
    const toolCalls: SupportAgentResult['toolCalls'] = [];
    for (const part of result.steps.flatMap((step) => step.content)) {
      if (part.type === 'tool-result') {
        toolCalls.push({ toolName: part.toolName, toolCallId: part.toolCallId, input: part.input });
      } else if (part.type === 'tool-error') {
        const error = part.error instanceof Error ? part.error.message : String(part.error);
        toolCalls.push({ toolName: part.toolName, toolCallId: part.toolCallId, input: part.input, error });
      }
    }
    await audit.provider.forceFlush();
    return {
      traceId,
      answer: result.text,
      toolCalls,
      backOffice,
      dataDir: audit.dataDir,
      verifierKeyPath: verifierKeyPath!,
      forwardUrl: audit.forwardUrl,
      recorded: audit.exporter.stats.recorded,
    };
  } finally {
    await audit.shutdown();
  }
}
