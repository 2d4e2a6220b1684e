export { runSupportAgent, SUPPORT_AGENT, DEMO_TICKET, SIGNER_KEY_NAME, type SupportAgentOptions, type SupportAgentResult } from './agent.js';
export { seedBackOffice, type BackOffice, type Customer, type Order, type SentEmail } from './crm.js';
export { scriptedSupportModel, type Ticket } from './model.js';
export { evaluate, demoSupervisor, POLICY_ID, POLICY_VERSION, REFUND_LIMIT_EUR, type Approver, type ApprovalRequest, type ApprovalResponse, type PolicyDecision } from './policy.js';
export { supportTools, govern, PolicyDeniedError, ApprovalRejectedError, NotFoundError } from './tools.js';
export { agentrailBin, runAgentrail, type CliRun } from './cli.js';
export { auditWalkthrough, parseExampleArgs, runMain, type ExampleArgs } from './walkthrough.js';
