// Model Context Protocol spans (client and server side).
import * as P from '../attributes/mcp.js';
import { ATTR_GEN_AI_TOOL_NAME } from '../attributes/genai.js';
import type { ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

export const mcpAdapter: ConventionAdapter = {
  convention: 'mcp',
  read(d: ActionDraft): boolean {
    const method = d.str(P.ATTR_MCP_METHOD_NAME);
    if (method === null) return false;
    d.consumed.push(P.ATTR_MCP_METHOD_NAME);
    d.take('session.sessionId', P.ATTR_MCP_SESSION_ID);
    if (method === P.MCP_METHOD_NAME_VALUE_TOOLS_CALL) {
      d.take('tool.name', ATTR_GEN_AI_TOOL_NAME);
      d.take('tool.callId', P.ATTR_JSONRPC_REQUEST_ID);
      d.put('tool.type', 'extension');
      d.classify('execute_tool', 'mcp');
    } else {
      if (d.take('resource.id', P.ATTR_MCP_RESOURCE_URI)) d.put('resource.type', 'mcp.resource');
      d.classify('mcp', 'mcp');
    }
    return true;
  },
};
