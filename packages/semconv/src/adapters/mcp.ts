// Model Context Protocol spans (client and server side).
import * as P from '../attributes/mcp.js';
import { ATTR_GEN_AI_TOOL_NAME } from '../attributes/genai.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

export const mcpAdapter: ConventionAdapter = {
  convention: 'mcp',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    const method = scalarString(a[P.ATTR_MCP_METHOD_NAME]);
    if (method === null) return false;
    d.consumed.push(P.ATTR_MCP_METHOD_NAME);
    d.take(F.SESSION_SESSION_ID, a[P.ATTR_MCP_SESSION_ID], P.ATTR_MCP_SESSION_ID);
    if (method === P.MCP_METHOD_NAME_VALUE_TOOLS_CALL) {
      d.take(F.TOOL_NAME, a[ATTR_GEN_AI_TOOL_NAME], ATTR_GEN_AI_TOOL_NAME);
      d.take(F.TOOL_CALL_ID, a[P.ATTR_JSONRPC_REQUEST_ID], P.ATTR_JSONRPC_REQUEST_ID);
      d.put(F.TOOL_TYPE, 'extension');
      d.classify('execute_tool', 'mcp');
    } else {
      if (d.take(F.RESOURCE_ID, a[P.ATTR_MCP_RESOURCE_URI], P.ATTR_MCP_RESOURCE_URI)) d.put(F.RESOURCE_TYPE, 'mcp.resource');
      d.classify('mcp', 'mcp');
    }
    return true;
  },
};
