// Model Context Protocol semantic conventions (OpenTelemetry, incubating).

export const ATTR_MCP_METHOD_NAME = 'mcp.method.name' as const;
export const ATTR_MCP_SESSION_ID = 'mcp.session.id' as const;
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version' as const;
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri' as const;
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id' as const;
export const ATTR_JSONRPC_PROTOCOL_VERSION = 'jsonrpc.protocol.version' as const;

export const MCP_METHOD_NAME_VALUE_TOOLS_CALL = 'tools/call' as const;
export const MCP_METHOD_NAME_VALUE_RESOURCES_READ = 'resources/read' as const;
export const MCP_METHOD_NAME_VALUE_PROMPTS_GET = 'prompts/get' as const;
