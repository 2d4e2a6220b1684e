import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import { getAgent, InvalidIdentityError, onBehalfOf, withAgent } from '../src/index.js';
import { setupTracing } from './setup-tracing.js';

const tracing = setupTracing();
after(() => tracing.close());
beforeEach(() => tracing.exporter.reset());

const tracer = trace.getTracer('test');
const billing = { id: 'billing-agent', name: 'Billing', version: '1.4.0', owner: 'finance-team' };

function spanNamed(name: string) {
  const span = tracing.exporter.getFinishedSpans().find((s) => s.name === name);
  assert.ok(span, `span ${name} was exported`);
  return span;
}

describe('withAgent / onBehalfOf', () => {
  it('puts agent and principal on a plain span nested across awaits and timers', async () => {
    await withAgent(billing, () =>
      onBehalfOf({ id: 'alice', type: 'user', tenant: 'acme', delegation: [{ id: 'alice', type: 'user' }, { id: 'planner', type: 'agent' }] }, async () => {
        await sleep(1);
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            // e.g. an HTTP client span from another instrumentation: no agent attributes of its own
            tracer.startActiveSpan('GET /invoices', (outer) => {
              tracer.startSpan('SELECT invoices').end();
              outer.end();
            });
            resolve();
          }, 1),
        );
      }),
    );
    for (const name of ['GET /invoices', 'SELECT invoices']) {
      const a = spanNamed(name).attributes;
      assert.equal(a['agentrail.agent.id'], 'billing-agent');
      assert.equal(a['agentrail.agent.name'], 'Billing');
      assert.equal(a['agentrail.agent.version'], '1.4.0');
      assert.equal(a['agentrail.agent.owner'], 'finance-team');
      assert.equal(a['agentrail.principal.id'], 'alice');
      assert.equal(a['agentrail.principal.type'], 'user');
      assert.equal(a['agentrail.principal.tenant'], 'acme');
      assert.deepEqual(a['agentrail.delegation.chain'], ['user:alice', 'agent:planner']);
      // not a GenAI span: gen_ai.agent.* is left alone
      assert.equal(a['gen_ai.agent.id'], undefined);
    }
  });

  it('returns what fn returns, sync and async', async () => {
    assert.equal(withAgent(billing, () => 42), 42);
    assert.equal(await onBehalfOf({ id: 'svc', type: 'service' }, async () => 'x'), 'x');
  });

  it('adds gen_ai.agent.* to GenAI spans that lack it', () => {
    withAgent(billing, () => {
      tracer.startSpan('chat gpt', { attributes: { 'gen_ai.operation.name': 'chat' } }).end();
      tracer.startSpan('invoke_agent sub', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'sub-agent' } }).end();
    });
    const chat = spanNamed('chat gpt').attributes;
    assert.equal(chat['gen_ai.agent.id'], 'billing-agent');
    assert.equal(chat['gen_ai.agent.name'], 'Billing');
    assert.equal(spanNamed('invoke_agent sub').attributes['gen_ai.agent.id'], 'sub-agent');
  });

  it('the innermost withAgent wins and a span that names its own agent keeps its claim whole', () => {
    withAgent(billing, () => {
      withAgent({ id: 'refund-agent', name: 'Refunds' }, () => tracer.startSpan('inner').end());
      tracer.startSpan('claimed', { attributes: { 'agentrail.agent.id': 'other' } }).end();
      tracer.startSpan('outer').end();
    });
    assert.equal(spanNamed('inner').attributes['agentrail.agent.id'], 'refund-agent');
    assert.equal(spanNamed('inner').attributes['agentrail.agent.version'], undefined);
    assert.equal(spanNamed('outer').attributes['agentrail.agent.id'], 'billing-agent');
    const claimed = spanNamed('claimed').attributes;
    assert.equal(claimed['agentrail.agent.id'], 'other');
    assert.equal(claimed['agentrail.agent.name'], undefined);
  });

  it('spans outside withAgent get no identity', () => {
    tracer.startSpan('anonymous').end();
    const a = spanNamed('anonymous').attributes;
    assert.equal(a['agentrail.agent.id'], undefined);
    assert.equal(a['agentrail.principal.id'], undefined);
  });

  it('reads identity from baggage when the context has none', () => {
    const bag = propagation.createBaggage({
      'agentrail.agent.id': { value: 'remote-agent' },
      'agentrail.principal.id': { value: 'bob' },
      'agentrail.principal.type': { value: 'user' },
    });
    context.with(propagation.setBaggage(context.active(), bag), () => {
      tracer.startSpan('from-baggage').end();
      withAgent(billing, () => tracer.startSpan('context-wins').end());
    });
    const a = spanNamed('from-baggage').attributes;
    assert.equal(a['agentrail.agent.id'], 'remote-agent');
    assert.equal(a['agentrail.principal.id'], 'bob');
    const b = spanNamed('context-wins').attributes;
    assert.equal(b['agentrail.agent.id'], 'billing-agent');
    assert.equal(b['agentrail.principal.id'], 'bob');
  });

  it('rejects malformed identities with a typed error and freezes what it stores', () => {
    assert.throws(() => withAgent({ id: '', name: 'x' }, () => 1), (e: unknown) => e instanceof InvalidIdentityError && e.code === 'ERR_AGENTRAIL_INVALID_IDENTITY');
    assert.throws(() => onBehalfOf({ id: 'a', type: 'robot' as 'user' }, () => 1), InvalidIdentityError);
    const agent = { id: 'a', name: 'A' };
    withAgent(agent, () => {
      agent.id = 'mutated';
      assert.equal(getAgent()?.id, 'a');
    });
  });
});
