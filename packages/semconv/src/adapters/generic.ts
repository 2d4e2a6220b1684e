// Last in precedence: general OpenTelemetry names (user.id, session.id, error.type) and the
// classification of identity-carrying spans that no AI convention classified (HTTP, DB, other).
import * as S from '../attributes/general.js';
import type { ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

export const genericAdapter: ConventionAdapter = {
  convention: 'generic',
  read(d: ActionDraft): boolean {
    if (d.take('principal.id', S.ATTR_USER_ID)) d.put('principal.type', 'user');
    d.take('session.sessionId', S.ATTR_SESSION_ID);
    d.take('error.type', S.ATTR_ERROR_TYPE);
    if (d.operation === null && d.spanHasIdentity) {
      if (d.has(S.ATTR_HTTP_REQUEST_METHOD) || d.has(S.ATTR_HTTP_METHOD)) d.classify('http', 'generic');
      else if (d.has(S.ATTR_DB_SYSTEM_NAME) || d.has(S.ATTR_DB_SYSTEM) || d.has(S.ATTR_DB_QUERY_TEXT)) d.classify('db', 'generic');
      else d.classify('other', 'generic');
    }
    return false;
  },
};
