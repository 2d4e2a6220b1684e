export {
  runOpenAIAgentsSupport,
  OPENAI_SUPPORT_AGENT,
  SIGNER_KEY_NAME,
  type OpenAIAgentsSupportOptions,
  type OpenAIAgentsSupportResult,
} from './agent.js';
export { ScriptedSupportModel, SCRIPTED_MODEL_NAME } from './model.js';
export { supportTools } from './tools.js';
