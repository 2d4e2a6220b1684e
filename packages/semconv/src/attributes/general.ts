// Stable and general-purpose OpenTelemetry attribute names agentrail reads.

export const ATTR_USER_ID = 'user.id' as const;
export const ATTR_USER_NAME = 'user.name' as const;
export const ATTR_USER_EMAIL = 'user.email' as const;
export const ATTR_SESSION_ID = 'session.id' as const;
export const ATTR_SESSION_PREVIOUS_ID = 'session.previous_id' as const;
export const ATTR_ERROR_TYPE = 'error.type' as const;
export const ATTR_SERVICE_NAME = 'service.name' as const;
export const ATTR_SERVICE_VERSION = 'service.version' as const;
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id' as const;
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;
/** @deprecated older HTTP convention; still read to classify HTTP spans. */
export const ATTR_HTTP_METHOD = 'http.method' as const;
export const ATTR_URL_FULL = 'url.full' as const;
export const ATTR_DB_SYSTEM_NAME = 'db.system.name' as const;
/** @deprecated older database convention; still read to classify database spans. */
export const ATTR_DB_SYSTEM = 'db.system' as const;
export const ATTR_DB_QUERY_TEXT = 'db.query.text' as const;
